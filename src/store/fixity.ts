import { recordAudit } from '../db/audit.ts';
import { listBlobHashes, setFixity } from '../db/blobs.ts';
import type { Database } from '../db/sql.ts';
import type { BlobStore, FixityStatus } from './blobs.ts';

export interface FixityReport {
  checked: number;
  ok: number;
  problems: Array<{ sha256: string; status: Exclude<FixityStatus, 'ok'> }>;
}

/**
 * Re-hashes every blob the database knows of. A blob whose bytes no longer match its hash, or
 * that has gone missing, is recorded on its row and as an audit event, and reported.
 */
export async function checkFixity(
  db: Database,
  blobs: BlobStore,
  actor: string,
  onProgress: (checked: number) => void = () => {},
): Promise<FixityReport> {
  const report: FixityReport = { checked: 0, ok: 0, problems: [] };
  let after = '';
  for (;;) {
    const batch = await listBlobHashes(db, after, 500);
    if (batch.length === 0) return report;
    for (const sha256 of batch) {
      const status = await blobs.verify(sha256);
      await db.transaction(async (sql) => {
        await setFixity(sql, sha256, status);
        if (status !== 'ok') {
          await recordAudit(sql, { actor, action: `fixity.${status}`, objectType: 'blob', objectId: sha256 });
        }
      });
      report.checked += 1;
      if (status === 'ok') report.ok += 1;
      else report.problems.push({ sha256, status });
      onProgress(report.checked);
    }
    after = batch.at(-1)!;
  }
}
