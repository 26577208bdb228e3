import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Database, Sql } from '../db/sql.ts';
import type { Role } from './roles.ts';

export interface Account {
  id: number;
  name: string;
  role: Role;
  allOffices: boolean;
  /** Ids of the registry offices this person works for (empty when `allOffices`). */
  officeIds: number[];
  /** The password was handed out by someone else: its owner must choose one before doing anything else. */
  mustChangePassword: boolean;
}

export class AccountError extends Error {
  override name = 'AccountError';
  readonly code: 'account_exists' | 'unknown_office' | 'bad_account_name' | 'password_too_short';
  constructor(code: AccountError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

const NAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/**
 * Creates an account scoped to offices given by code (`all` for every office). Refuses an unknown office
 * code rather than creating an office from a typo.
 */
export async function createAccount(
  sql: Sql,
  input: { name: string; role: Role; officeCodes: string[] | 'all'; passwordHash: string; mustChangePassword?: boolean },
): Promise<Account> {
  if (!NAME.test(input.name)) throw new AccountError('bad_account_name', 'A login name is 2–63 characters: lower-case letters, digits, ".", "_" or "-".');
  const allOffices = input.officeCodes === 'all';
  const codes = input.officeCodes === 'all' ? [] : input.officeCodes;
  const offices = await sql.query<{ id: number; code: string }>('select id, code from registry_office where code = any($1)', [codes]);
  const missing = codes.filter((c) => !offices.some((o) => o.code === c));
  if (missing.length) {
    const known = await sql.query<{ code: string }>('select code from registry_office order by code');
    throw new AccountError('unknown_office', `Unknown office code(s): ${missing.join(', ')}. Known: ${known.map((k) => k.code).join(', ') || '(none yet)'}; or use --office all.`);
  }
  const [row] = await sql.query<{ id: number }>(
    `insert into account (name, role, password_hash, all_offices, must_change_password) values ($1, $2, $3, $4, $5)
     on conflict (name) do nothing returning id`,
    [input.name, input.role, input.passwordHash, allOffices, input.mustChangePassword ?? false],
  );
  if (!row) throw new AccountError('account_exists', `An account named "${input.name}" already exists.`);
  for (const office of offices) await sql.query('insert into account_office (account_id, office_id) values ($1, $2)', [row.id, office.id]);
  return { id: row.id, name: input.name, role: input.role, allOffices, officeIds: offices.map((o) => o.id), mustChangePassword: input.mustChangePassword ?? false };
}

const ACCOUNT_COLUMNS = `a.id, a.name, a.role, a.all_offices as "allOffices", a.must_change_password as "mustChangePassword",
  coalesce((select array_agg(ao.office_id order by ao.office_id) from account_office ao where ao.account_id = a.id), '{}') as "officeIds"`;

/** pg returns bigint[] as strings; ids stay far below 2^53. */
function withNumericOffices<T extends Account>(row: T | undefined): T | null {
  return row ? { ...row, officeIds: row.officeIds.map(Number) } : null;
}

export async function findAccountForLogin(sql: Sql, name: string): Promise<(Account & { passwordHash: string }) | null> {
  const [row] = await sql.query<Account & { passwordHash: string }>(
    `select ${ACCOUNT_COLUMNS}, a.password_hash as "passwordHash" from account a where a.name = $1 and not a.disabled`,
    [name],
  );
  return withNumericOffices(row);
}

export async function countAccounts(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ n: number }>('select count(*)::int as n from account');
  return row!.n;
}

/** How long a sign-in lasts, whatever the activity: a working day. */
export const SESSION_HOURS = 12;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session; returns the token for the cookie (only its hash is stored). */
export async function createSession(sql: Sql, accountId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await sql.query(`insert into account_session (token_hash, account_id, expires_at) values ($1, $2, now() + make_interval(hours => $3))`, [
    hashToken(token),
    accountId,
    SESSION_HOURS,
  ]);
  return token;
}

/** The account behind a session token, or null when unknown, expired or disabled. */
export async function accountOfSession(sql: Sql, token: string): Promise<Account | null> {
  const [row] = await sql.query<Account>(
    `update account_session s set last_seen_at = now()
       from account a
      where s.token_hash = $1 and s.expires_at > now() and a.id = s.account_id and not a.disabled
     returning ${ACCOUNT_COLUMNS}`,
    [hashToken(token)],
  );
  return withNumericOffices(row);
}

/**
 * The account a session token was of, expired or not (not ended, nor of a disabled account): whose form a request
 * sent after its session expired is, to keep it for that person only (src/http/refused-forms.ts).
 */
export async function accountIdOfSession(sql: Sql, token: string): Promise<number | null> {
  const [row] = await sql.query<{ id: number }>(
    `select a.id from account_session s join account a on a.id = s.account_id where s.token_hash = $1 and not a.disabled`, [hashToken(token)]);
  return row ? Number(row.id) : null;
}

/** The password hash of a signed-in account, to check its current password before a change. */
export async function passwordHashOf(sql: Sql, accountId: number): Promise<string> {
  const [row] = await sql.query<{ hash: string }>('select password_hash as hash from account where id = $1', [accountId]);
  return row!.hash;
}

/**
 * Sets the password its owner chose: the handed-out one no longer needs replacing, and every other session of
 * the account ends (one opened by whoever knew the old password), keeping the one that made the change.
 */
export async function changeOwnPassword(sql: Sql, accountId: number, passwordHash: string, keepSessionToken: string): Promise<void> {
  await sql.query('update account set password_hash = $2, must_change_password = false where id = $1', [accountId, passwordHash]);
  await sql.query('delete from account_session where account_id = $1 and token_hash <> $2', [accountId, hashToken(keepSessionToken)]);
}

/**
 * Ends a session, and clears sessions expired over a day ago: one expired since is still told apart, so that a form
 * its owner sent after it expired is kept for them over the sign-in (src/http/refused-forms.ts).
 */
export async function endSession(sql: Sql, token: string): Promise<void> {
  await sql.query(`delete from account_session where token_hash = $1 or expires_at < now() - interval '1 day'`, [hashToken(token)]);
}

/**
 * The CSRF token of a session: derived from the session token, so it needs no storage, changes with every
 * sign-in and cannot be computed by a page that does not hold the HttpOnly cookie.
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('civreg csrf').digest('base64url');
}

/** Failed sign-ins allowed per login name and per address within the window, before refusing. */
export const LOGIN_LIMITS = { perName: 5, perAddress: 20, windowMinutes: 15 } as const;

export async function loginThrottled(sql: Sql, name: string, ip: string): Promise<boolean> {
  const [row] = await sql.query<{ byName: number; byIp: number }>(
    `select count(*) filter (where name = $1)::int as "byName", count(*) filter (where ip = $2)::int as "byIp"
       from login_attempt where not ok and at > now() - make_interval(mins => $3) and (name = $1 or ip = $2)`,
    [name, ip, LOGIN_LIMITS.windowMinutes],
  );
  return row!.byName >= LOGIN_LIMITS.perName || row!.byIp >= LOGIN_LIMITS.perAddress;
}

export async function recordLoginAttempt(sql: Sql, name: string, ip: string, ok: boolean): Promise<void> {
  await sql.query('insert into login_attempt (name, ip, ok) values ($1, $2, $3)', [name, ip, ok]);
}

/**
 * On a fresh installation (no account at all) creates `admin` for every office with a generated password,
 * so a newcomer can sign in; returns the password to print once, or null when accounts already exist.
 */
export async function createFirstAdmin(db: Database, password: string, passwordHash: string): Promise<string | null> {
  return db.transaction(async (tx) => {
    // Serialise concurrent first starts: only one creates the admin.
    await tx.query('lock table account in share row exclusive mode');
    if ((await countAccounts(tx)) > 0) return null;
    const account = await createAccount(tx, { name: 'admin', role: 'admin', officeCodes: 'all', passwordHash, mustChangePassword: true });
    await tx.query(`insert into audit_event (actor, action, object_type, object_id, detail) values ('civreg start', 'account_created', 'account', $1, '{"role":"admin","first":true}')`, [String(account.id)]);
    return password;
  });
}
