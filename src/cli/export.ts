import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import { recordAudit } from '../db/audit.ts';
import { exportBook } from '../export/book.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import { CliError, type Flags } from './errors.ts';
import { createProgress } from './progress.ts';

/** `civreg export --book ID [--out DIR] [--json]`: the archive export of one book as a zip (src/export/book.ts). */
export async function runExport(config: Config, flags: Flags): Promise<number> {
  const bookId = Number(flags.book);
  if (!Number.isInteger(bookId) || bookId <= 0) throw new CliError('bad_arguments', 'civreg export --book ID [--out DIR] [--json]: --book is the book id shown by `civreg status`.');
  const outDir = resolve(typeof flags.out === 'string' ? flags.out : '.');
  await mkdir(outDir, { recursive: true });
  const services = await openServices(config, createLogger('warn'), { ocr: false });
  try {
    const [exists] = await services.db.query('select 1 from book where id = $1', [bookId]);
    if (!exists) throw new CliError('not_found', `No book #${bookId}. List the books with \`civreg status\`.`);
    const progress = createProgress(`Exporting book #${bookId}`);
    const result = await exportBook(services, bookId, outDir, (done, total) => progress.update(done, total));
    progress.finish();
    // The zip holds personal data: who exported which book is recorded, as for a download from the workbench.
    await recordAudit(services.db, { actor: `cli:${process.env.USER ?? 'unknown'}`, action: 'export_book', objectType: 'book', objectId: bookId, detail: { entries: result.entries, skipped: result.skipped, via: 'cli' } });
    if (flags.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(`${result.path}: ${result.entries} verified entries (${result.pages} page scans, ${Math.round(result.pdfBytes / Math.max(1, result.pages) / 1000)} kB a page), spreadsheet included.`);
      if (result.skipped) console.log(`${result.skipped} entries not yet verified or struck were left out (listed in the spreadsheet's sheet "Không xuất").`);
    }
    return 0;
  } finally {
    await services.close();
  }
}
