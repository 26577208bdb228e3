import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { recordAudit } from '../db/audit.ts';
import type { Sql } from '../db/sql.ts';

/**
 * Large files arrive from the browser in chunks, each appended at the offset the server reports, so an
 * interrupted upload continues where it stopped (the same file offered again resumes its transfer).
 * Chunks are written to `<dir>/<transfer id>/<file name>`; once complete the file goes through the same
 * receive path as `civreg ingest` and the folder is removed. The folder is local to the web process that
 * received the first chunk (with several web servers, route one browser to one server).
 */
export interface Transfer {
  id: string;
  bookId: number;
  fileName: string;
  bytes: number;
  received: number;
  status: 'receiving' | 'done' | 'failed';
  uploadId: number | null;
  /** The file's pages are placed in the book by their entry numbers (a rescan or late page; migration 059). */
  placeByNumbers: boolean;
}

const COLUMNS = `id, book_id as "bookId", file_name as "fileName", bytes, received, status, upload_id as "uploadId", place_by_numbers as "placeByNumbers"`;

/** A file name safe to use as the last part of a path: no folders, no control characters, not empty. */
export function safeFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  const cleaned = last.normalize('NFC').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'tep' : cleaned;
}

export function transferPath(dir: string, transfer: Pick<Transfer, 'id' | 'fileName'>): string {
  return join(dir, transfer.id, safeFileName(transfer.fileName));
}

/** Starts a transfer, or returns the unfinished one of the same person, book, name and size (resume). */
export async function startTransfer(sql: Sql, dir: string, input: { accountId: number; bookId: number; fileName: string; bytes: number; placeByNumbers?: boolean }): Promise<Transfer> {
  const fileName = safeFileName(input.fileName);
  const [existing] = await sql.query<Transfer>(
    `select ${COLUMNS} from upload_transfer where account_id = $1 and book_id = $2 and file_name = $3 and bytes = $4 and status = 'receiving'
      order by created_at desc limit 1`,
    [input.accountId, input.bookId, fileName, input.bytes],
  );
  if (existing) {
    if (existing.placeByNumbers !== (input.placeByNumbers ?? false)) {
      await sql.query('update upload_transfer set place_by_numbers = $2 where id = $1', [existing.id, input.placeByNumbers ?? false]);
      existing.placeByNumbers = input.placeByNumbers ?? false;
    }
    // The bytes on disk are the truth (a chunk may have been written without its row being updated).
    const onDisk = await stat(transferPath(dir, existing)).then((s) => s.size, () => 0);
    if (onDisk !== existing.received) {
      const received = Math.min(onDisk, existing.received);
      await sql.query('update upload_transfer set received = $2, updated_at = now() where id = $1', [existing.id, received]);
      return { ...existing, received };
    }
    return existing;
  }
  const id = randomUUID();
  await mkdir(join(dir, id), { recursive: true });
  await (await open(transferPath(dir, { id, fileName }), 'w')).close();
  const [row] = await sql.query<Transfer>(
    `insert into upload_transfer (id, account_id, book_id, file_name, bytes, place_by_numbers) values ($1, $2, $3, $4, $5, $6) returning ${COLUMNS}`,
    [id, input.accountId, input.bookId, fileName, input.bytes, input.placeByNumbers ?? false],
  );
  return row!;
}

export async function getTransfer(sql: Sql, id: string, accountId: number): Promise<Transfer | null> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const [row] = await sql.query<Transfer>(`select ${COLUMNS} from upload_transfer where id = $1 and account_id = $2`, [id, accountId]);
  return row ?? null;
}

export class OffsetMismatchError extends Error {
  override name = 'OffsetMismatchError';
  readonly received: number;
  constructor(received: number) {
    super(`expected a chunk at offset ${received}`);
    this.received = received;
  }
}

/**
 * Writes one chunk at `offset`, which must be what was received so far (a repeated or out-of-order chunk is
 * refused with the offset to continue from). Returns the bytes received.
 */
export async function appendChunk(sql: Sql, dir: string, transfer: Transfer, offset: number, chunk: Buffer): Promise<number> {
  if (transfer.status !== 'receiving' || offset !== transfer.received || offset + chunk.length > transfer.bytes) throw new OffsetMismatchError(transfer.received);
  const file = await open(transferPath(dir, transfer), 'r+');
  try {
    await file.write(chunk, 0, chunk.length, offset);
    await file.truncate(offset + chunk.length);
  } finally {
    await file.close();
  }
  const [row] = await sql.query<{ received: number }>(
    `update upload_transfer set received = $3, updated_at = now() where id = $1 and received = $2 returning received`,
    [transfer.id, offset, offset + chunk.length],
  );
  if (!row) throw new OffsetMismatchError(transfer.received);
  return row.received;
}

export async function completeTransfer(sql: Sql, dir: string, transfer: Transfer, uploadId: number | null): Promise<void> {
  await sql.query(`update upload_transfer set status = $2, upload_id = $3, updated_at = now() where id = $1`, [transfer.id, uploadId === null ? 'failed' : 'done', uploadId]);
  await rm(join(dir, transfer.id), { recursive: true, force: true });
}

const TRANSFER_FOLDER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Removes uploads abandoned half-way: transfers still receiving with no chunk for `maxAgeHours` (their row
 * and their folder, each recorded in the audit trail), and transfer folders in `dir` that no unfinished
 * transfer owns any more and that were not touched for as long (left by a crash, or by a row another web
 * server swept). A person resuming later simply starts the file again.
 *
 * @example const swept = await sweepAbandonedTransfers(db, uploadDir, 24); // { transfers: 2, folders: 2 }
 */
export async function sweepAbandonedTransfers(sql: Sql, dir: string, maxAgeHours: number): Promise<{ transfers: number; folders: number }> {
  const abandoned = await sql.query<{ id: string; bookId: number; bytes: number; received: number }>(
    `delete from upload_transfer where status = 'receiving' and updated_at < now() - make_interval(secs => $1)
     returning id, book_id as "bookId", bytes, received`,
    [maxAgeHours * 3600],
  );
  for (const t of abandoned) {
    await rm(join(dir, t.id), { recursive: true, force: true });
    await recordAudit(sql, { actor: 'civreg', action: 'upload_abandoned', objectType: 'upload_transfer', objectId: t.id, detail: { bookId: t.bookId, bytes: t.bytes, received: t.received, maxAgeHours } });
  }
  let folders = abandoned.length;
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => TRANSFER_FOLDER.test(n));
  if (names.length > 0) {
    const live = new Set((await sql.query<{ id: string }>(`select id from upload_transfer where status = 'receiving' and id = any($1::uuid[])`, [names])).map((r) => r.id));
    const cutoff = Date.now() - maxAgeHours * 3_600_000;
    for (const name of names) {
      if (live.has(name) || abandoned.some((t) => t.id === name)) continue;
      const touched = await stat(join(dir, name)).then((s) => s.mtimeMs, () => Infinity);
      if (touched >= cutoff) continue;
      await rm(join(dir, name), { recursive: true, force: true });
      folders++;
    }
  }
  return { transfers: abandoned.length, folders };
}

/**
 * Runs the sweep now and then every `everyMs` in a web process (the chunks live on its disk); returns a stop
 * function. A failed sweep is logged and tried again next time.
 */
export function scheduleTransferSweep(
  options: { sql: Sql; dir: string; maxAgeHours: number; everyMs: number; log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void } },
): () => void {
  const { sql, dir, maxAgeHours, log } = options;
  let running: Promise<void> | null = null;
  const sweep = () => {
    running ??= sweepAbandonedTransfers(sql, dir, maxAgeHours)
      .then((swept) => {
        if (swept.transfers + swept.folders > 0) log.info(swept, 'abandoned uploads removed');
      })
      .catch((error: Error) => log.warn({ err: error.message }, 'upload sweep failed'))
      .finally(() => {
        running = null;
      });
  };
  sweep();
  const timer = setInterval(sweep, options.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
