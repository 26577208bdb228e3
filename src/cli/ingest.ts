import { access } from 'node:fs/promises';
import type { Config } from '../../schemas/config.ts';
import { registerTypeSchema } from '../../schemas/jobs.ts';
import { REASONS } from '../../schemas/reasons.ts';
import { expandInputs, receiveFiles } from '../ingest/receive.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import { CliError, type Flags } from './errors.ts';
import { createProgress } from './progress.ts';

/** `civreg ingest`: stores and queues files for one book; workers (start/work) process them. */
export async function runIngest(config: Config, paths: string[], flags: Flags): Promise<number> {
  if (paths.length === 0) throw new CliError('no_input', 'Name at least one file or folder to ingest.');
  const registerType = registerTypeSchema.safeParse(flags.type);
  if (!registerType.success) throw new CliError('bad_arguments', '--type must be one of birth, marriage, death, other.');
  if (typeof flags.office !== 'string' || typeof flags.book !== 'string') throw new CliError('bad_arguments', '--office and --book are required.');
  const year = flags.year === undefined ? null : Number(flags.year);
  if (year !== null && !(Number.isInteger(year) && year >= 1900 && year <= 2100)) throw new CliError('bad_arguments', '--year must be a year such as 1962.');
  for (const path of paths) await access(path).catch(() => {
    throw new CliError('not_found', `${path} does not exist.`);
  });

  const files = await expandInputs(paths);
  const services = await openServices(config, createLogger(config.CIVREG_LOG_LEVEL === 'info' ? 'warn' : config.CIVREG_LOG_LEVEL), { ocr: false });
  try {
    const progress = createProgress('Receiving');
    const results = await receiveFiles(
      { ...services, maxUploadBytes: config.CIVREG_MAX_UPLOAD_BYTES },
      { officeCode: flags.office, ...(typeof flags['office-name'] === 'string' ? { officeName: flags['office-name'] } : {}), registerType: registerType.data, bookNo: flags.book, yearFrom: year },
      files,
      typeof flags.by === 'string' ? flags.by : (process.env.USER ?? 'cli'),
      (done, total) => progress.update(done, total, 'files'),
    );
    progress.finish();
    if (flags.json) console.log(JSON.stringify({ files: results }, null, 2));
    else {
      for (const r of results) {
        if (r.status === 'duplicate') console.log(`${r.file}: duplicate of upload ${r.duplicateOf} (not processed again)`);
        if (r.status === 'rejected' && r.reason) console.log(`${r.file}: ${r.reason}: ${REASONS[r.reason]}`);
      }
      const queued = results.filter((r) => r.status === 'queued').length;
      console.log(`${queued} file(s) queued, ${results.length - queued} not queued. Run \`civreg start\` or \`civreg work\` to process them.`);
    }
    return 0;
  } finally {
    await services.close();
  }
}
