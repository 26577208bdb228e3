import type { Config } from '../../schemas/config.ts';
import { ALL_FIELD_KEYS, API_REGISTER_TYPES } from '../../schemas/api.ts';
import { createClient, listClients, revokeClient } from '../api/clients.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import { CliError, type Flags } from './errors.ts';

const USAGE = 'civreg client add --name NAME --offices CODE,…|* --types birth,marriage,death|* --fields KEY,…|* [--rate N] [--expires YYYY-MM-DD]\n' +
  '       civreg client revoke --name NAME\n       civreg client list [--json]';

/** A comma list that must be given (least privilege: nothing is granted by default), each item checked. */
function list(flags: Flags, key: string, allowed: readonly string[] | null): string[] {
  const raw = flags[key];
  if (typeof raw !== 'string' || !raw.trim()) throw new CliError('bad_arguments', `--${key} is required (a comma-separated list, or * for all).\n${USAGE}`);
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.includes('*')) return ['*'];
  const unknown = allowed ? items.filter((i) => !allowed.includes(i)) : [];
  if (unknown.length) throw new CliError('bad_arguments', `--${key}: unknown ${unknown.join(', ')} (known: ${allowed!.join(', ')})`);
  return items;
}

/**
 * `civreg client add|revoke|list`: API clients for procedure services. `add` prints the token once;
 * only its SHA-256 is stored, so a lost token means a new client.
 */
export async function runClient(config: Config, args: string[], flags: Flags): Promise<number> {
  const [action] = args;
  if (!['add', 'revoke', 'list'].includes(action ?? '')) throw new CliError('bad_arguments', USAGE);
  const name = typeof flags.name === 'string' ? flags.name.trim() : '';
  if (action !== 'list' && !/^[A-Za-z0-9._-]{2,60}$/.test(name)) throw new CliError('bad_arguments', `--name is required: 2–60 letters, digits, dot, dash or underscore.\n${USAGE}`);
  let add: Parameters<typeof createClient>[1] | null = null;
  if (action === 'add') {
    const rate = flags.rate === undefined ? 60 : Number(flags.rate);
    if (!Number.isInteger(rate) || rate < 1 || rate > 100_000) throw new CliError('bad_arguments', '--rate must be a whole number of requests per minute (1–100000).');
    const expires = typeof flags.expires === 'string' ? new Date(`${flags.expires}T23:59:59+07:00`) : new Date(Date.now() + 365 * 86_400_000);
    if (Number.isNaN(expires.getTime()) || expires.getTime() <= Date.now()) throw new CliError('bad_arguments', '--expires must be a future date YYYY-MM-DD (default: one year).');
    add = {
      name,
      offices: list(flags, 'offices', null),
      registerTypes: list(flags, 'types', API_REGISTER_TYPES),
      fields: list(flags, 'fields', ALL_FIELD_KEYS),
      ratePerMinute: rate,
      expiresAt: expires,
      createdBy: typeof flags.by === 'string' ? flags.by : (process.env.USER ?? 'cli'),
    };
  }
  const services = await openServices(config, createLogger('warn'), { ocr: false });
  try {
    if (add) {
      const exists = (await listClients(services.db)).some((c) => c.name === add.name);
      if (exists) throw new CliError('client_exists', `A client named "${add.name}" exists. Revoke it and add one under a new name.`);
      const { client, token } = await createClient(services.db, add);
      if (flags.json) console.log(JSON.stringify({ client, token }, null, 2));
      else {
        console.log(`Client "${client.name}" (#${client.id}) created, expires ${client.expiresAt.toISOString()}.`);
        console.log(`Token (shown once; store it now, civreg keeps only its hash):\n\n  ${token}\n`);
      }
      return 0;
    }
    if (action === 'revoke') {
      if (!(await revokeClient(services.db, name))) throw new CliError('not_found', `No active client named "${name}".`);
      console.log(`Client "${name}" revoked.`);
      return 0;
    }
    const clients = await listClients(services.db);
    if (flags.json) console.log(JSON.stringify(clients, null, 2));
    else {
      for (const c of clients) {
        const state = c.revokedAt ? 'revoked' : c.expiresAt <= new Date() ? 'expired' : 'active';
        console.log(`#${c.id} ${c.name} [${state}] token ${c.tokenHint}… offices ${c.offices.join(',')} types ${c.registerTypes.join(',')} fields ${c.fields.join(',')} ${c.ratePerMinute}/min until ${c.expiresAt.toISOString().slice(0, 10)}`);
      }
      if (!clients.length) console.log('No API clients.');
    }
    return 0;
  } finally {
    await services.close();
  }
}
