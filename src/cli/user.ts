import type { Config } from '../../schemas/config.ts';
import { AccountError, createAccount } from '../auth/accounts.ts';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from '../auth/password.ts';
import { ROLES, type Role } from '../auth/roles.ts';
import { recordAudit } from '../db/audit.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import { CliError, type Flags } from './errors.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/**
 * `civreg user add --name NAME --role ROLE --office CODE[,CODE…]|all [--password-stdin]`: creates an
 * account. Without `--password-stdin` a password is generated and printed once (only its hash is kept), and
 * its owner must choose another at the first sign-in.
 */
export async function runUser(config: Config, args: string[], flags: Flags): Promise<number> {
  if (args[0] !== 'add') throw new CliError('bad_arguments', 'Usage: civreg user add --name NAME --role staff|verifier|supervisor|admin --office CODE[,CODE…]|all [--password-stdin]');
  const name = typeof flags.name === 'string' ? flags.name.trim().toLowerCase() : '';
  const role = flags.role as Role;
  if (!name) throw new CliError('bad_arguments', '--name is required.');
  if (!ROLES.includes(role)) throw new CliError('bad_arguments', `--role must be one of ${ROLES.join(', ')}.`);
  if (typeof flags.office !== 'string' || !flags.office.trim()) throw new CliError('bad_arguments', '--office is required: office code(s), comma-separated, or "all".');
  const offices = flags.office.trim() === 'all' ? 'all' : flags.office.split(',').map((c) => c.trim()).filter(Boolean);

  const given = flags['password-stdin'] ? await readStdin() : null;
  if (given !== null && given.length < MIN_PASSWORD_LENGTH) throw new CliError('password_too_short', `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  const password = given ?? generatePassword();

  const services = await openServices(config, createLogger('warn'), { ocr: false });
  try {
    const account = await services.db.transaction(async (tx) => {
      const created = await createAccount(tx, { name, role, officeCodes: offices, passwordHash: await hashPassword(password), mustChangePassword: given === null });
      await recordAudit(tx, { actor: `cli:${process.env.USER ?? 'unknown'}`, action: 'account_created', objectType: 'account', objectId: created.id, detail: { role, offices } });
      return created;
    }).catch((error: unknown) => {
      if (error instanceof AccountError) throw new CliError(error.code, error.message);
      throw error;
    });
    if (flags.json) console.log(JSON.stringify({ id: account.id, name, role, offices, ...(given === null ? { password } : {}) }));
    else {
      console.log(`Account "${name}" (${role}) created for ${offices === 'all' ? 'all offices' : offices.join(', ')}.`);
      if (given === null) console.log(`Password (shown once; its owner chooses their own at the first sign-in): ${password}`);
    }
    return 0;
  } finally {
    await services.close();
  }
}
