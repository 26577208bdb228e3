import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { PgBoss } from 'pg-boss';
import type { Config } from '../schemas/config.ts';
import { connectServer } from './db/server.ts';
import { assertUtf8, migrate } from './db/migrate.ts';
import { createDatabase, type Database } from './db/sql.ts';
import { DEFAULT_LIMITS, type DecodeLimits } from './ingest/limits.ts';
import type { Logger } from './log.ts';
import type { OcrPool } from './ocr/types.ts';
import { startQueue } from './pipeline/queue.ts';
import { createLocalBlobStore, type BlobStore } from './store/blobs.ts';

/** Everything a civreg process holds open, built once at start-up and closed once at exit. */
export interface Services {
  config: Config;
  log: Logger;
  db: Database;
  blobs: BlobStore;
  boss: PgBoss;
  decodeLimits: DecodeLimits;
  /** `host:pid`, recorded with each result this process produces. */
  instance: string;
  /** Present only in processes that run OCR workers. */
  ocr: OcrPool | null;
  close(): Promise<void>;
}

/**
 * Connects to the database (starting the embedded server when no DATABASE_URL is set), migrates,
 * opens the blob store and the queue, and with `ocr: true` starts the OCR pool.
 */
export async function openServices(config: Config, log: Logger, options: { ocr: boolean }): Promise<Services> {
  const dataDir = resolve(config.CIVREG_DATA_DIR);
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne().catch((error) => log.warn({ err: String(error) }, 'close failed'));
    closers.length = 0;
  };
  try {
    const server = await connectServer(config, log);
    closers.push(server.stop);
    const url = server.url;
    const db = createDatabase(url, { max: Math.max(10, config.CIVREG_OCR_WORKERS + 6) });
    closers.push(() => db.close());
    await assertUtf8(db);
    const applied = await migrate(db);
    if (applied.length) log.info({ migrations: applied }, 'database migrated');

    const boss = await startQueue(url, config, (error) => log.error({ err: error.message }, 'queue error'));
    closers.push(() => boss.stop({ graceful: true, timeout: 10_000 }));

    let ocr: OcrPool | null = null;
    if (options.ocr) {
      // loaded here: commands without OCR (status, user, fixity…) need not load tesseract.js
      const { createOcrPool } = await import('./ocr/pool.ts');
      ocr = await createOcrPool({
        size: config.CIVREG_OCR_WORKERS,
        pageTimeoutMs: config.CIVREG_OCR_TIMEOUT_MS,
        recycleAfterPages: config.CIVREG_OCR_RECYCLE_AFTER,
        model: config.CIVREG_OCR_MODEL,
      });
      const pool = ocr;
      // Stop taking jobs (boss) before the pool goes: closers run in reverse order.
      closers.splice(closers.length - 1, 0, () => pool.close());
    }

    return {
      config,
      log,
      db,
      blobs: createLocalBlobStore(join(dataDir, 'blobs')),
      boss,
      decodeLimits: { ...DEFAULT_LIMITS, maxPixels: config.CIVREG_MAX_PAGE_PIXELS, maxFileBytes: config.CIVREG_MAX_UPLOAD_BYTES },
      instance: `${hostname()}:${process.pid}`,
      ocr,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
