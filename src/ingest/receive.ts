import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PgBoss } from 'pg-boss';
import type { ReasonCode } from '../../schemas/reasons.ts';
import { recordAudit } from '../db/audit.ts';
import { recordBlob } from '../db/blobs.ts';
import { bookForFiles, type BookKey } from '../db/books.ts';
import type { Database } from '../db/sql.ts';
import { registerUpload } from '../db/uploads.ts';
import { checkBook } from '../extract/book-checks.ts';
import { sendJob } from '../pipeline/queue.ts';
import type { BlobStore } from '../store/blobs.ts';
import { naturalCompare } from './natural-order.ts';

export interface ReceivedFile {
  file: string;
  uploadId: number;
  status: 'queued' | 'duplicate' | 'rejected';
  duplicateOf: number | null;
  reason: ReasonCode | null;
}

/**
 * Expands folders into their files in natural order (`page2` before `page10`), skipping hidden
 * files; plain files are kept in the order given.
 */
export async function expandInputs(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      const names = (await readdir(path, { withFileTypes: true }))
        .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && entry.name !== 'truth.json')
        .map((entry) => entry.name)
        .sort(naturalCompare);
      files.push(...names.map((name) => join(path, name)));
    } else files.push(path);
  }
  return files;
}

/**
 * Receives files for one book, in delivery order: each is stored byte for byte, recorded as an
 * upload and queued for ingest in one transaction. The same bytes received before are recorded as a
 * duplicate of the first upload and not queued; a file over the size limit is recorded as rejected
 * without being stored. The book is named by its key (matched as the upload page matches it, bookForFiles) or,
 * once a person or a command has chosen it, by its id, used as it is: not turned back into a key and matched again.
 */
export async function receiveFiles(
  services: { db: Database; blobs: BlobStore; boss: PgBoss; maxUploadBytes: number },
  book: BookKey | { bookId: number },
  files: string[],
  uploadedBy: string,
  onFile: (done: number, total: number, result: ReceivedFile) => void = () => {},
  options: { placeByNumbers?: boolean; newBook?: boolean } = {},
): Promise<ReceivedFile[]> {
  const { db, blobs, boss } = services;
  // "2" goes into the office's "02" of that year, as on the upload page; a near miss is refused (BookAmbiguousError)
  const bookId = 'bookId' in book ? book.bookId : await db.transaction((sql) => bookForFiles(sql, book, { newBook: options.newBook ?? false }));
  const results: ReceivedFile[] = [];
  for (const file of files) {
    const size = (await stat(file)).size;
    const tooLarge = size > services.maxUploadBytes;
    const stored = tooLarge ? { sha256: await hashFile(file), bytes: size } : await blobs.putFile(file);
    const result = await db.transaction(async (sql) => {
      if (!tooLarge) await recordBlob(sql, { ...stored, mediaType: 'application/octet-stream' });
      const upload = await registerUpload(sql, {
        bookId,
        fileName: basename(file),
        sha256: stored.sha256,
        bytes: stored.bytes,
        uploadedBy,
        placeByNumbers: options.placeByNumbers ?? false,
        ...(tooLarge ? { rejection: { reason: 'file_too_large' as const, detail: `${size} bytes > ${services.maxUploadBytes}` } } : {}),
      });
      await recordAudit(sql, { actor: uploadedBy, action: 'upload.received', objectType: 'upload', objectId: upload.id, detail: { bookId, bytes: stored.bytes, status: upload.status } });
      if (upload.status === 'received') await sendJob(boss, 'ingest', { uploadId: upload.id }, sql);
      // A file delivered again is not read again, so no page of it will check the book at the end of the pipeline:
      // checked now, in case it came under another name (src/extract/book-checks.ts, `file_delivered_twice`).
      if (upload.status === 'duplicate') await checkBook(sql, bookId, { comparePages: false });
      return {
        file,
        uploadId: upload.id,
        status: upload.status === 'received' ? 'queued' : upload.status === 'duplicate' ? 'duplicate' : 'rejected',
        duplicateOf: upload.duplicateOf,
        reason: upload.reason,
      } satisfies ReceivedFile;
    });
    results.push(result);
    onFile(results.length, files.length, result);
  }
  return results;
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
