import type { Config } from '../../schemas/config.ts';
import { clearIssuer, IssuerSettingError, listIssuers, setIssuer } from '../certified/issuer.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import { CliError, type Flags } from './errors.ts';

const USE = 'civreg issuer set --office CODE|default --heading "LINE|LINE" [--superior LINE] --place PLACE | clear --office CODE|default | list [--json]';

/**
 * `civreg issuer set|clear|list`: the authority that issues certified extracts of an office's books today (the
 * heading and the "…, ngày … tháng … năm …" line), per office or for the deployment (`--office default`).
 */
export async function runIssuer(config: Config, args: string[], flags: Flags): Promise<number> {
  const [action] = args;
  if (action !== 'set' && action !== 'clear' && action !== 'list') throw new CliError('bad_arguments', USE);
  if (action !== 'list' && typeof flags.office !== 'string') throw new CliError('bad_arguments', `--office is required.\n${USE}`);
  if (action === 'set' && (typeof flags.heading !== 'string' || typeof flags.place !== 'string')) throw new CliError('bad_arguments', `--heading and --place are required.\n${USE}`);
  const office = flags.office === 'default' ? null : (flags.office as string | undefined) ?? null;
  const by = typeof flags.by === 'string' ? flags.by : `cli:${process.env.USER ?? 'unknown'}`;
  const services = await openServices(config, createLogger('warn'), { ocr: false });
  try {
    if (action === 'set') {
      const heading = (flags.heading as string).split('|');
      const superior = typeof flags.superior === 'string' ? flags.superior : null;
      await setIssuer(services.db, { office, superior, heading, place: flags.place as string }, by)
        .catch((error: unknown) => {
          throw error instanceof IssuerSettingError ? new CliError(error.code, error.message) : error;
        });
      const [stored] = (await listIssuers(services.db)).filter((i) => i.office === office);
      console.log(`Extracts of ${office ?? 'every office without its own issuer'} are now issued by: ${stored ? [stored.superior, ...stored.heading].filter(Boolean).join(' / ') : ''}.`);
      return 0;
    }
    if (action === 'clear') {
      const had = await clearIssuer(services.db, office, by).catch((error: unknown) => {
        throw error instanceof IssuerSettingError ? new CliError(error.code, error.message) : error;
      });
      console.log(had ? 'Issuer removed.' : 'No issuer was set there.');
      return 0;
    }
    const list = await listIssuers(services.db);
    if (flags.json) console.log(JSON.stringify(list, null, 2));
    else for (const i of list) console.log(`${i.office ?? 'default'}: ${[i.superior, ...i.heading].filter(Boolean).join(' / ')} (${i.place})`);
    if (!flags.json && !list.length) console.log('No issuer set: no certified extract is issued (issuer_not_set) until one is set for its office or as the default.');
    return 0;
  } finally {
    await services.close();
  }
}
