import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { crc32 } from 'node:zlib';

/**
 * A minimal zip writer (stored entries, no compression: the members are PDFs of JPEG scans and an xlsx,
 * which are compressed already). Streams to a file so a large book never sits in memory whole. Zip64 is
 * not written: a book's export stays far below 4 GiB and 65,535 members.
 *
 * @example const zip = openZip('/tmp/book.zip'); await zip.add('a.pdf', bytes); await zip.close();
 */
export interface ZipWriter {
  add(name: string, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

const DOS_EPOCH_DATE = (1 << 5) | 1; // 1980-01-01: fixed, so the same export gives the same bytes

export function openZip(path: string): ZipWriter {
  const out = createWriteStream(path);
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  const write = async (chunk: Buffer | Uint8Array) => {
    if (!out.write(chunk)) await once(out, 'drain');
    offset += chunk.length;
  };
  return {
    async add(name, bytes) {
      if (offset + bytes.length > 0xffff_ff00 || count >= 0xffff) throw new Error('zip too large for a non-zip64 archive');
      const nameBytes = Buffer.from(name, 'utf8');
      const crc = crc32(bytes);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(0, 8); // stored
      local.writeUInt16LE(0, 10);
      local.writeUInt16LE(DOS_EPOCH_DATE, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(bytes.length, 18);
      local.writeUInt32LE(bytes.length, 22);
      local.writeUInt16LE(nameBytes.length, 26);
      local.writeUInt16LE(0, 28);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(0x0800, 8);
      header.writeUInt16LE(0, 10);
      header.writeUInt16LE(0, 12);
      header.writeUInt16LE(DOS_EPOCH_DATE, 14);
      header.writeUInt32LE(crc, 16);
      header.writeUInt32LE(bytes.length, 20);
      header.writeUInt32LE(bytes.length, 24);
      header.writeUInt16LE(nameBytes.length, 28);
      header.writeUInt32LE(offset, 42);
      central.push(header, nameBytes);
      count++;
      await write(local);
      await write(nameBytes);
      await write(bytes);
    },
    async close() {
      const start = offset;
      for (const part of central) await write(part);
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(count, 8);
      end.writeUInt16LE(count, 10);
      end.writeUInt32LE(offset - start, 12);
      end.writeUInt32LE(start, 16);
      await write(end);
      out.end();
      await once(out, 'finish');
    },
  };
}
