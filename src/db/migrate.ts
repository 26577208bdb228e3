import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './sql.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
/** Arbitrary constant shared by every civreg process, so only one migrates at a time. */
const MIGRATION_LOCK = 7_141_956;

/**
 * Applies forward-only numbered migrations (`migrations/NNN_name.sql`) in order, each in its own
 * transaction, under an advisory lock so that processes starting together migrate once.
 * Returns the versions applied by this call.
 */
export async function migrate(db: Database): Promise<number[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((name) => /^\d{3}_.+\.sql$/.test(name)).sort();
  const client = await db.pool.connect();
  const applied: number[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`create table if not exists schema_migration (
      version int primary key, name text not null, applied_at timestamptz not null default now())`);
    const done = new Set((await client.query<{ version: number }>('select version from schema_migration')).rows.map((r) => r.version));
    for (const file of files) {
      const version = Number(file.slice(0, 3));
      if (done.has(version)) continue;
      const sql = await readFile(MIGRATIONS_DIR + file, 'utf8');
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query('insert into schema_migration (version, name) values ($1, $2)', [version, file]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw new Error(`Migration ${file} failed: ${(error as Error).message}`);
      }
      applied.push(version);
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return applied;
}

/** Refuses a database whose encoding would silently mangle Vietnamese text. */
export async function assertUtf8(db: Database): Promise<void> {
  const [row] = await db.query<{ server_encoding: string }>('show server_encoding');
  if (row?.server_encoding !== 'UTF8') {
    throw new Error(`The database encoding is ${row?.server_encoding}; civreg needs UTF8 (create the database with ENCODING 'UTF8').`);
  }
}
