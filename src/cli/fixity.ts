import type { Config } from '../../schemas/config.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import { checkFixity } from '../store/fixity.ts';
import type { Flags } from './errors.ts';
import { createProgress } from './progress.ts';

/** `civreg fixity`: exit code 1 when any blob is missing or changed. */
export async function runFixity(config: Config, flags: Flags): Promise<number> {
  const services = await openServices(config, createLogger('warn'), { ocr: false });
  try {
    const [{ n: total }] = (await services.db.query<{ n: number }>('select count(*)::int as n from blob')) as [{ n: number }];
    const progress = createProgress('Checking blobs');
    const report = await checkFixity(services.db, services.blobs, process.env.USER ?? 'cli', (checked) => progress.update(checked, total));
    progress.finish();
    if (flags.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`${report.checked} blob(s) checked, ${report.ok} intact, ${report.problems.length} with problems.`);
      for (const p of report.problems) console.log(`  ${p.sha256}: ${p.status}`);
    }
    return report.problems.length ? 1 : 0;
  } finally {
    await services.close();
  }
}
