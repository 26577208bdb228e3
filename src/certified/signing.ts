import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Sql } from '../db/sql.ts';

/**
 * Signatures on certified extracts: Ed25519 keys kept in `signing_key`, each with a key id (kid) so keys
 * can be rotated; retired keys no longer sign but still verify what they signed.
 *
 * A seal is `1.<kid>.<record id>.<issued, unix seconds>.<content hash>.<signature>`, all URL-safe, short
 * enough for a QR code: the signature covers everything before it. The content hash (SHA-256, first 16
 * bytes, base64url) is over the extract's content (src/certified/content.ts), so a verifier can tell
 * whether the record still says what the extract says.
 */
export interface Seal {
  kid: string;
  recordId: string;
  issuedAt: Date;
  contentHash: string;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

const kidOf = (publicDer: Buffer) => createHash('sha256').update(publicDer).digest('hex').slice(0, 16);

/** The key that signs now, created on first use. Two processes creating one at once: one wins, both use it. */
export async function activeSigningKey(sql: Sql): Promise<SigningKey> {
  const [row] = await sql.query<{ kid: string; private_key: string }>('select kid, private_key from signing_key where retired_at is null');
  if (row) return { kid: row.kid, privateKey: createPrivateKey({ key: Buffer.from(row.private_key, 'base64'), format: 'der', type: 'pkcs8' }) };
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicDer = publicKey.export({ format: 'der', type: 'spki' });
  await sql.query(`insert into signing_key (kid, public_key, private_key) values ($1, $2, $3) on conflict do nothing`, [
    kidOf(publicDer),
    publicDer.toString('base64'),
    privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  ]);
  return activeSigningKey(sql);
}

/** Retires the signing key; the next extract is signed with a new one. Returns the retired kid. */
export async function rotateSigningKey(sql: Sql): Promise<string | null> {
  const [row] = await sql.query<{ kid: string }>('update signing_key set retired_at = now() where retired_at is null returning kid');
  return row?.kid ?? null;
}

const b64 = (bytes: Buffer) => bytes.toString('base64url');

export function contentHash(canonical: string): string {
  return b64(createHash('sha256').update(canonical, 'utf8').digest().subarray(0, 16));
}

/** Signs a seal for a record's extract. */
export function sealExtract(key: SigningKey, recordId: string, issuedAt: Date, hash: string): string {
  const body = ['1', key.kid, recordId.replaceAll('-', ''), String(Math.floor(issuedAt.getTime() / 1000)), hash].join('.');
  return `${body}.${b64(sign(null, Buffer.from(body, 'utf8'), key.privateKey))}`;
}

export type SealCheck = { ok: true; seal: Seal } | { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_signature' };

const SEAL_SHAPE = /^1\.([0-9a-f]{16})\.([0-9a-f]{32})\.(\d{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{86})$/;

/** Checks a seal's signature against the key it names. Says nothing yet about the record's current content. */
export async function checkSeal(sql: Sql, text: string): Promise<SealCheck> {
  const m = SEAL_SHAPE.exec(text);
  if (!m) return { ok: false, reason: 'malformed' };
  const [, kid, rid, issued, hash, signature] = m as unknown as [string, string, string, string, string, string];
  // base64url leaves spare bits in the last character: only the canonical spelling of a signature is accepted.
  if (Buffer.from(signature, 'base64url').toString('base64url') !== signature) return { ok: false, reason: 'malformed' };
  const [row] = await sql.query<{ public_key: string }>('select public_key from signing_key where kid = $1', [kid]);
  if (!row) return { ok: false, reason: 'unknown_key' };
  const publicKey = createPublicKey({ key: Buffer.from(row.public_key, 'base64'), format: 'der', type: 'spki' });
  const body = text.slice(0, text.lastIndexOf('.'));
  if (!verify(null, Buffer.from(body, 'utf8'), publicKey, Buffer.from(signature, 'base64url'))) return { ok: false, reason: 'bad_signature' };
  const recordId = `${rid.slice(0, 8)}-${rid.slice(8, 12)}-${rid.slice(12, 16)}-${rid.slice(16, 20)}-${rid.slice(20)}`;
  return { ok: true, seal: { kid, recordId, issuedAt: new Date(Number(issued) * 1000), contentHash: hash } };
}
