import type { Config } from '../../schemas/config.ts';
import { STAGES } from '../../schemas/jobs.ts';
import { REASONS, type ReasonCode } from '../../schemas/reasons.ts';
import { listBookSummaries } from '../db/books.ts';
import { listFailedPages, listRescanPages } from '../db/pages.ts';
import { listUploadProblems } from '../db/uploads.ts';
import { officesWithoutIssuer } from '../certified/issuer.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import type { Flags } from './errors.ts';

/** `civreg status`: books and their progress, problem uploads, failed pages and queue counts. */
export async function runStatus(config: Config, flags: Flags): Promise<number> {
  const services = await openServices(config, createLogger('warn'), { ocr: false });
  try {
    const [books, uploads, failedPages, rescanPages, queues, noIssuer] = await Promise.all([
      listBookSummaries(services.db),
      listUploadProblems(services.db),
      listFailedPages(services.db),
      listRescanPages(services.db),
      services.boss.getQueues([...STAGES]),
      officesWithoutIssuer(services.db),
    ]);
    const queueCounts = Object.fromEntries(queues.map((q) => [q.name, { queued: q.queuedCount, active: q.activeCount }]));
    if (flags.json) {
      console.log(JSON.stringify({ books, uploadProblems: uploads, failedPages, rescanPages, queues: queueCounts, officesWithoutIssuer: noIssuer }, null, 2));
      return 0;
    }
    console.log('Books:');
    for (const b of books) {
      console.log(`  #${b.id} ${b.registerType} ${b.bookNo} (${b.office}${b.yearFrom ? `, ${b.yearFrom}` : ''}): ` +
        `${b.pages} pages, ${b.pagesDone} read, ${b.pagesRejected} rejected, ${b.pagesDuplicate} duplicate, ` +
        `${b.pagesBlank} blank, ${b.pagesNeedRescan} to rescan, ${b.pagesReplaced} replaced by a rescan, ${b.pagesFailed} failed; ` +
        `${b.entries} entries, ${b.fieldsAccepted} fields accepted, ${b.fieldsToReview} to review, ${b.bookIssues} book issues`);
    }
    if (uploads.length) console.log('Uploads with problems:');
    for (const u of uploads) {
      const why = u.status === 'duplicate' ? `duplicate of upload ${u.duplicateOf}` : `${u.reason}: ${REASONS[u.reason as ReasonCode] ?? ''}`;
      console.log(`  upload ${u.id} ${u.fileName} (book #${u.bookId}): ${u.status}, ${why}`);
    }
    if (rescanPages.length) console.log('Pages to scan again:');
    for (const p of rescanPages) console.log(`  page ${p.id} ${p.label} (book #${p.bookId}): ${p.reasons.join(', ')}: ${p.reasons.map((r) => REASONS[r]).join(' ')}`);
    if (failedPages.length) console.log('Failed pages (retry with `civreg rerun --failed`):');
    for (const p of failedPages) console.log(`  page ${p.id} ${p.label} (book #${p.bookId}) at stage ${p.stage}: ${p.lastError ?? ''}`);
    if (noIssuer.length) console.log('Offices with verified records but no extract issuer (extracts refused until `civreg issuer set`):');
    for (const o of noIssuer) console.log(`  ${o.code} ${o.name}`);
    console.log('Queues:', Object.entries(queueCounts).map(([name, c]) => `${name} ${c.queued}/${c.active}`).join('  '), '(queued/active)');
    return 0;
  } finally {
    await services.close();
  }
}
