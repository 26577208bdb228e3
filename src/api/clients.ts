import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db/sql.ts';
import { ApiError } from './errors.ts';

/** What a client may see. `'*'` in a list means "all". */
export interface ClientScope {
  offices: string[];
  registerTypes: string[];
  fields: string[];
}

export interface ApiClient extends ClientScope {
  id: number;
  name: string;
  tokenHint: string;
  ratePerMinute: number;
  expiresAt: Date;
  revokedAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

export interface NewClient extends ClientScope {
  name: string;
  ratePerMinute: number;
  expiresAt: Date;
  createdBy: string;
}

const TOKEN_PREFIX = 'cvr_';
/** Tokens are `cvr_` + 256 random bits in base64url: guessing one is hopeless, so a fast hash is enough. */
const TOKEN_SHAPE = /^cvr_[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const CLIENT_COLUMNS = `id, name, token_hint as "tokenHint", offices, register_types as "registerTypes", fields,
  rate_per_minute as "ratePerMinute", expires_at as "expiresAt", revoked_at as "revokedAt", created_by as "createdBy", created_at as "createdAt"`;

/**
 * Creates a client and returns its token: the only time the token exists outside the caller's hands.
 *
 * @example const { client, token } = await createClient(db, { name: 'mot-cua-ba-dinh', offices: ['*'], … });
 */
export async function createClient(sql: Sql, input: NewClient): Promise<{ client: ApiClient; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const [client] = await sql.query<ApiClient>(
    `insert into api_client (name, token_sha256, token_hint, offices, register_types, fields, rate_per_minute, expires_at, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${CLIENT_COLUMNS}`,
    [input.name, hashToken(token), token.slice(0, 10), input.offices, input.registerTypes, input.fields, input.ratePerMinute, input.expiresAt, input.createdBy],
  );
  return { client: client!, token };
}

/** Revokes a client by name; returns false when there is no such client or it was already revoked. */
export async function revokeClient(sql: Sql, name: string, at = new Date()): Promise<boolean> {
  const rows = await sql.query('update api_client set revoked_at = $2 where name = $1 and revoked_at is null returning id', [name, at]);
  return rows.length > 0;
}

export async function listClients(sql: Sql): Promise<ApiClient[]> {
  return sql.query<ApiClient>(`select ${CLIENT_COLUMNS} from api_client order by id`);
}

/** An authenticated client, and whether its rate-limit bucket had a request left for this one. */
export interface Authenticated {
  client: ApiClient;
  allowed: boolean;
}

/**
 * The client a bearer token belongs to, or the refusal: missing, unknown (or malformed), revoked, expired.
 * Only the token's SHA-256 is looked up, so the token itself never reaches the database (a token carries
 * 256 random bits: a slow password hash would buy nothing and cost every request).
 *
 * With `take`, the same statement also takes one request from the client's token bucket in `api_rate`
 * (`ratePerMinute` requests, refilled continuously by the database's clock), so the limit holds across
 * every server process and costs no extra round trip; `allowed` is false when the bucket was empty.
 */
export async function authenticate(sql: Sql, authorization: string | undefined, now = new Date(), take = false): Promise<Authenticated> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!authorization?.trim()) throw new ApiError('token_missing');
  if (!match || !TOKEN_SHAPE.test(match[1]!)) throw new ApiError('token_invalid', 'malformed bearer token');
  // The refill expression is written twice (set and where) because an update's where cannot see its own set.
  const [row] = await sql.query<ApiClient & { allowed: boolean }>(
    `with c as (select ${CLIENT_COLUMNS} from api_client where token_sha256 = $1),
          taken as (
            insert into api_rate as r (client_id, tokens, at)
            select id, "ratePerMinute" - 1, now() from c
             where $3 and ("revokedAt" is null or "revokedAt" > $2) and "expiresAt" > $2
            on conflict (client_id) do update
               set tokens = least(excluded.tokens + 1, r.tokens + greatest(0, extract(epoch from excluded.at - r.at)) * (excluded.tokens + 1) / 60) - 1,
                   at = excluded.at
             where least(excluded.tokens + 1, r.tokens + greatest(0, extract(epoch from excluded.at - r.at)) * (excluded.tokens + 1) / 60) >= 1
            returning client_id)
     select c.*, exists (select 1 from taken) as allowed from c`,
    [hashToken(match[1]!), now, take],
  );
  if (!row) throw new ApiError('token_invalid', 'unknown token');
  const { allowed, ...client } = row;
  const refusal = client.revokedAt && client.revokedAt <= now ? 'token_revoked' : client.expiresAt <= now ? 'token_expired' : null;
  if (refusal) {
    const error = new ApiError(refusal, `client ${client.id}`);
    error.clientId = client.id;
    throw error;
  }
  return { client, allowed };
}

export const allows = (list: string[], value: string): boolean => list.includes('*') || list.includes(value);
