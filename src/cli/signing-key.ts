import type { Config } from '../../schemas/config.ts';
import { activeSigningKey, rotateSigningKey } from '../certified/signing.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import { CliError, type Flags } from './errors.ts';

/**
 * `civreg signing-key list|rotate`: the Ed25519 keys that seal certified extracts. `rotate` retires the
 * signing key (extracts it sealed still verify) and creates the next one.
 */
export async function runSigningKey(config: Config, args: string[], flags: Flags): Promise<number> {
  const [action] = args;
  if (action !== 'list' && action !== 'rotate') throw new CliError('bad_arguments', 'civreg signing-key list|rotate [--json]');
  const services = await openServices(config, createLogger('warn'), { ocr: false });
  try {
    if (action === 'rotate') {
      const retired = await rotateSigningKey(services.db);
      const { kid } = await activeSigningKey(services.db);
      console.log(flags.json ? JSON.stringify({ retired, active: kid }) : `Signing key ${retired ?? '(none)'} retired; extracts are now sealed with ${kid}.`);
      return 0;
    }
    const keys = await services.db.query<{ kid: string; createdAt: Date; retiredAt: Date | null }>(
      'select kid, created_at as "createdAt", retired_at as "retiredAt" from signing_key order by created_at',
    );
    if (flags.json) console.log(JSON.stringify(keys, null, 2));
    else for (const k of keys) console.log(`${k.kid}  created ${k.createdAt.toISOString()}  ${k.retiredAt ? `retired ${k.retiredAt.toISOString()}` : 'signing'}`);
    if (!flags.json && !keys.length) console.log('No signing key yet: the first extract creates one.');
    return 0;
  } finally {
    await services.close();
  }
}
