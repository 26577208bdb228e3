/**
 * The files an archive delivers for one book: a multi-page PDF of JPEG pages, a multi-page TIFF
 * (greyscale deflate/LZW, or bilevel CCITT G4 for old books), or a folder of JPEG or PNG pages named
 * page1.jpg, page2.jpg… Pages are written as they come, so memory holds one book's compressed pages at most.
 */
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawImage } from './damage.ts';

export type Delivery =
  | { kind: 'pdf'; colour: boolean }
  | { kind: 'tiff'; compression: 'deflate' | 'lzw' | 'g4' }
  | { kind: 'jpeg-folder'; colour: boolean }
  | { kind: 'png-folder' };

/** A fixed date for PDF metadata: output must not depend on when it was generated. */
const PDF_DATE = new Date(Date.UTC(2025, 0, 1));
const SOFTWARE = 'civreg samples';

export interface DeliveredImage {
  /** Relative to the corpus folder. */
  file: string;
  filePage: number;
}

interface TiffPage {
  width: number;
  height: number;
  dpi: number;
  tags: Map<number, number[]>;
  strips: Buffer[];
}

/**
 * Grey levels as a document scanner's compact greyscale mode keeps them: fine steps in the paper tones,
 * coarse steps in the ink, so lossless files stay small while the text is untouched.
 */
function posterize(data: Buffer): Buffer {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = v >= 176 ? Math.min(255, 176 + Math.round((v - 176) / 10) * 10) : Math.min(170, Math.round(v / 24) * 24);
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) out[i] = lut[data[i]!]!;
  return out;
}

export class BookWriter {
  private readonly dir: string;
  private readonly bookId: string;
  private readonly delivery: Delivery;
  private readonly jpegs: { jpeg: Buffer; width: number; height: number; dpi: number }[] = [];
  private readonly tiffPages: TiffPage[] = [];
  private readonly files: string[] = [];
  private images = 0;

  constructor(corpusDir: string, bookId: string, delivery: Delivery) {
    this.dir = join(corpusDir, bookId);
    this.bookId = bookId;
    this.delivery = delivery;
  }

  /** Adds the next page image; returns where it will be found in the delivered files. */
  async add(img: RawImage, dpi: number, jpegQuality: number): Promise<DeliveredImage> {
    await mkdir(this.dir, { recursive: true });
    const index = this.images++;
    const d = this.delivery;
    const raw = (data: Buffer, channels: 1 | 3) => sharp(data, { raw: { width: img.width, height: img.height, channels } }).withDensity(dpi);
    const grey = async (): Promise<Buffer> =>
      img.channels === 1 ? img.data : (await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).greyscale().raw().toBuffer());
    if (d.kind === 'pdf' || d.kind === 'jpeg-folder') {
      const colour = d.colour && img.channels === 3;
      const data = colour ? img.data : await grey();
      const pipeline = raw(data, colour ? 3 : 1);
      const jpeg = await (colour ? pipeline : pipeline.toColourspace('b-w')).jpeg({ quality: jpegQuality }).toBuffer();
      if (d.kind === 'pdf') {
        this.jpegs.push({ jpeg, width: img.width, height: img.height, dpi });
        return { file: `${this.bookId}/book.pdf`, filePage: index };
      }
      return this.writePage(`page${index + 1}.jpg`, jpeg);
    }
    if (d.kind === 'png-folder') {
      const png = await raw(posterize(await grey()), 1).toColourspace('b-w').png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
      return this.writePage(`page${index + 1}.png`, png);
    }
    const g = await grey();
    const encoded =
      d.compression === 'g4'
        ? await raw(g, 1).toColourspace('b-w').tiff({ compression: 'ccittfax4', bitdepth: 1 }).toBuffer()
        : await raw(posterize(g), 1).toColourspace('b-w').tiff({ compression: d.compression, predictor: d.compression === 'lzw' ? 'horizontal' : 'none' }).toBuffer();
    this.tiffPages.push(readSinglePageTiff(encoded, dpi));
    return { file: `${this.bookId}/book.tif`, filePage: index };
  }

  private async writePage(name: string, bytes: Buffer): Promise<DeliveredImage> {
    await writeFile(join(this.dir, name), bytes);
    const file = `${this.bookId}/${name}`;
    this.files.push(file);
    return { file, filePage: 0 };
  }

  /** Writes the multi-page files; returns every delivered file in page order. */
  async close(title: string): Promise<string[]> {
    if (this.delivery.kind === 'pdf') {
      await writeFile(join(this.dir, 'book.pdf'), await pdfOfJpegs(this.jpegs, title));
      return [`${this.bookId}/book.pdf`];
    }
    if (this.delivery.kind === 'tiff') {
      await writeFile(join(this.dir, 'book.tif'), writeMultiPageTiff(this.tiffPages));
      return [`${this.bookId}/book.tif`];
    }
    return this.files;
  }
}

/** One JPEG image per page, the page the size of the image at its resolution; fixed metadata. */
async function pdfOfJpegs(pages: { jpeg: Buffer; width: number; height: number; dpi: number }[], title: string): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(title);
  doc.setProducer(SOFTWARE);
  doc.setCreator(SOFTWARE);
  doc.setCreationDate(PDF_DATE);
  doc.setModificationDate(PDF_DATE);
  for (const p of pages) {
    const image = await doc.embedJpg(p.jpeg);
    const w = (p.width * 72) / p.dpi;
    const h = (p.height * 72) / p.dpi;
    doc.addPage([w, h]).drawImage(image, { x: 0, y: 0, width: w, height: h });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

// ───────── multi-page TIFF from single-page TIFFs written by sharp ─────────

const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 16: 8 };
/** Tags copied from each page as sharp wrote it (the rest are written here). */
const COPIED_TAGS = [258, 259, 262, 266, 277, 278, 284, 292, 293, 317];

/** Reads a little-endian single-page TIFF with strips: its tag values and compressed strips. */
function readSinglePageTiff(bytes: Buffer, dpi: number): TiffPage {
  if (bytes.toString('latin1', 0, 2) !== 'II' || bytes.readUInt16LE(2) !== 42) throw new Error('expected a little-endian classic TIFF from sharp');
  const ifd = bytes.readUInt32LE(4);
  const count = bytes.readUInt16LE(ifd);
  const tags = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    const tag = bytes.readUInt16LE(at);
    const type = bytes.readUInt16LE(at + 2);
    const n = bytes.readUInt32LE(at + 4);
    const size = TYPE_SIZES[type] ?? 1;
    if (type !== 3 && type !== 4) continue;
    const base = n * size <= 4 ? at + 8 : bytes.readUInt32LE(at + 8);
    tags.set(tag, Array.from({ length: n }, (_, k) => (type === 3 ? bytes.readUInt16LE(base + k * 2) : bytes.readUInt32LE(base + k * 4))));
  }
  const offsets = tags.get(273);
  const counts = tags.get(279);
  const width = tags.get(256)?.[0];
  const height = tags.get(257)?.[0];
  if (!offsets || !counts || !width || !height) throw new Error('TIFF page without strips');
  return { width, height, dpi, tags, strips: offsets.map((o, k) => bytes.subarray(o, o + counts[k]!)) };
}

/** One IFD per page (tags sorted, as TIFF requires), strips copied as they are, PageNumber set. */
function writeMultiPageTiff(pages: TiffPage[]): Buffer {
  const chunks: Buffer[] = [];
  let offset = 8;
  const push = (b: Buffer): number => {
    const start = offset;
    chunks.push(b);
    offset += b.length;
    if (offset % 2) {
      chunks.push(Buffer.alloc(1));
      offset += 1;
    }
    return start;
  };
  const longs = (xs: number[]) => {
    const b = Buffer.alloc(xs.length * 4);
    xs.forEach((v, i) => b.writeUInt32LE(v, i * 4));
    return b;
  };
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  chunks.push(header);
  const ifdOffsets: number[] = [];
  const nextPointers: number[] = [];
  for (const [pi, p] of pages.entries()) {
    const stripOffsets = p.strips.map((s) => push(s));
    const stripCounts = p.strips.map((s) => s.length);
    const n = stripOffsets.length;
    const offsetsAt = n > 1 ? push(longs(stripOffsets)) : stripOffsets[0]!;
    const countsAt = n > 1 ? push(longs(stripCounts)) : stripCounts[0]!;
    const resolution = push(longs([p.dpi, 1]));
    const software = Buffer.from(`${SOFTWARE}\0`, 'latin1');
    const softwareAt = push(software);
    // [tag, type (3 SHORT, 4 LONG, 5 RATIONAL, 2 ASCII), count, value or offset]
    const entries: [number, number, number, number][] = [
      [254, 4, 1, 2],
      [256, 4, 1, p.width],
      [257, 4, 1, p.height],
      [273, 4, n, offsetsAt],
      [279, 4, n, countsAt],
      [282, 5, 1, resolution],
      [283, 5, 1, resolution],
      [296, 3, 1, 2],
      [297, 3, 2, pi | (pages.length << 16)],
      [305, 2, software.length, softwareAt],
    ];
    for (const tag of COPIED_TAGS) {
      const v = p.tags.get(tag);
      if (v && v.length === 1) entries.push([tag, tag === 292 || tag === 293 || tag === 278 ? 4 : 3, 1, v[0]!]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
    ifd.writeUInt16LE(entries.length, 0);
    entries.forEach(([tag, type, count, value], i) => {
      const o = 2 + i * 12;
      ifd.writeUInt16LE(tag, o);
      ifd.writeUInt16LE(type, o + 2);
      ifd.writeUInt32LE(count, o + 4);
      if (type === 3 && count === 1) ifd.writeUInt16LE(value, o + 8);
      else ifd.writeUInt32LE(value >>> 0, o + 8);
    });
    const at = push(ifd);
    ifdOffsets.push(at);
    nextPointers.push(at + 2 + entries.length * 12);
  }
  const file = Buffer.concat(chunks);
  file.writeUInt32LE(ifdOffsets[0] ?? 0, 4);
  for (let i = 0; i + 1 < ifdOffsets.length; i++) file.writeUInt32LE(ifdOffsets[i + 1]!, nextPointers[i]!);
  return file;
}
