import type { Config } from '../../schemas/config.ts';
import { rotateSigningKey, signingKeyDir } from '../certified/signing.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import { CliError, type Flags } from './errors.ts';

/**
 * `civreg signing-key list|rotate`: the Ed25519 keys that seal certified extracts. `rotate` retires the
 * signing key (extracts it sealed still verify; its private file is deleted) and creates the next one,
 * whose private key is written to the key folder (CIVREG_SIGNING_KEY_DIR, default CIVREG_DATA_DIR/keys).
 */
export async function runSigningKey(config: Config, args: string[], flags: Flags): Promise<number> {
  const [action] = args;
  if (action !== 'list' && action !== 'rotate') throw new CliError('bad_arguments', 'civreg signing-key list|rotate [--json]');
  const services = await openServices(config, createLogger('warn'), { ocr: false });
  try {
    if (action === 'rotate') {
      const dir = signingKeyDir(config);
      const { retired, active } = await rotateSigningKey(services.db, dir);
      console.log(flags.json ? JSON.stringify({ retired, active, dir }) : `Signing key ${retired ?? '(none)'} retired; extracts are now sealed with ${active} (private key in ${dir}, readable by this user only).`);
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
