import type { Config } from '../../schemas/config.ts';
import { stageNameSchema } from '../../schemas/jobs.ts';
import { rerunStage } from '../pipeline/rerun.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import { CliError, type Flags } from './errors.ts';

/** `civreg rerun`: queue a stage again for a book's pages, or retry pages that failed. */
export async function runRerun(config: Config, flags: Flags): Promise<number> {
  const bookId = flags.book === undefined ? undefined : Number(flags.book);
  if (bookId !== undefined && !Number.isInteger(bookId)) throw new CliError('bad_arguments', '--book takes a book id (see `civreg status`).');
  if (!flags.failed && bookId === undefined) throw new CliError('bad_arguments', 'Give --book ID or --failed.');
  const stage = flags.stage === undefined ? undefined : stageNameSchema.safeParse(flags.stage);
  if (stage && !stage.success) throw new CliError('bad_arguments', `--stage must be one of ${stageNameSchema.options.join(', ')}.`);
  if (!stage && !flags.failed) throw new CliError('bad_arguments', '--stage is required with --book.');

  const services = await openServices(config, createLogger('warn'), { ocr: false });
  try {
    const queued = await rerunStage(services, { stage: stage?.data, bookId, failedOnly: Boolean(flags.failed), actor: process.env.USER ?? 'cli' });
    if (flags.json) console.log(JSON.stringify({ queued }));
    else console.log(`${queued} job(s) queued. Workers (civreg start / civreg work) will run them.`);
    return 0;
  } finally {
    await services.close();
  }
}
