import type { FixityStatus } from '../store/blobs.ts';
import type { Sql } from './sql.ts';

/** Registers a stored blob so that fixity checks know every blob that must exist. */
export async function recordBlob(sql: Sql, blob: { sha256: string; bytes: number; mediaType: string }): Promise<void> {
  await sql.query('insert into blob (sha256, bytes, media_type) values ($1, $2, $3) on conflict (sha256) do nothing', [
    blob.sha256,
    blob.bytes,
    blob.mediaType,
  ]);
}

export async function listBlobHashes(sql: Sql, after: string, limit: number): Promise<string[]> {
  const rows = await sql.query<{ sha256: string }>('select sha256 from blob where sha256 > $1 order by sha256 limit $2', [after, limit]);
  return rows.map((r) => r.sha256);
}

export async function setFixity(sql: Sql, sha256: string, status: FixityStatus): Promise<void> {
  await sql.query('update blob set fixity_status = $2, fixity_checked_at = now() where sha256 = $1', [sha256, status]);
}
