import { access } from 'node:fs/promises';
import type { Config } from '../../schemas/config.ts';
import { IMPORT_ROW_REASONS } from '../../schemas/existing.ts';
import { importExisting, type ImportReport } from '../existing/import.ts';
import { importFormatOf } from '../existing/read.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import { CliError, type Flags } from './errors.ts';
import { createProgress } from './progress.ts';

/**
 * `civreg import-existing FILE… [--json]`: records of the electronic civil-status database (JSONL, CSV or
 * Excel exports) into `existing_record`, for matching. Rows that cannot be used are listed with their
 * reason; the rest goes in. Importing a file again changes nothing.
 */
export async function runImportExisting(config: Config, paths: string[], flags: Flags): Promise<number> {
  if (paths.length === 0) throw new CliError('no_input', 'Name at least one export file (.jsonl, .csv or .xlsx).');
  for (const path of paths) {
    await access(path).catch(() => {
      throw new CliError('not_found', `${path} does not exist.`);
    });
    if (!importFormatOf(path)) throw new CliError('unsupported_format', `${path}: only .jsonl, .csv and .xlsx exports can be imported.`);
  }
  const services = await openServices(config, createLogger(config.CIVREG_LOG_LEVEL === 'info' ? 'warn' : config.CIVREG_LOG_LEVEL), { ocr: false });
  try {
    const reports: ImportReport[] = [];
    for (const path of paths) {
      const progress = createProgress(`Importing ${path}`);
      const unit = importFormatOf(path) === 'xlsx' ? 'rows' : 'bytes';
      reports.push(await importExisting(services.db, path, importFormatOf(path)!, (done, total) => progress.update(done, total, unit)));
      progress.finish();
    }
    if (flags.json) console.log(JSON.stringify({ files: reports }, null, 2));
    else {
      for (const r of reports) {
        console.log(`${r.file}: ${r.rows} rows, ${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged, ${r.rejected.length} rejected` +
          ` (repaired: ${r.repaired.nfd} decomposed Unicode, ${r.repaired.tcvn3} TCVN3, ${r.repaired.vni} VNI, ${r.repaired.mixed} mixed)`);
        for (const bad of r.rejected.slice(0, 50)) console.log(`  row ${bad.row}: ${bad.reason}${bad.field ? ` (${bad.field})` : ''}: ${IMPORT_ROW_REASONS[bad.reason]}`);
        if (r.rejected.length > 50) console.log(`  … ${r.rejected.length - 50} more (--json lists all)`);
      }
    }
    return 0;
  } finally {
    await services.close();
  }
}
