import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import type { Database, Sql } from '../db/sql.ts';

/**
 * Signatures on certified extracts: Ed25519 keys, each with a key id (kid) so keys can be rotated; retired
 * keys no longer sign but still verify what they signed. The private key of the signing key is a file
 * `<kid>.pem` (PKCS#8, mode 0600) in the key folder, never in the database; the database keeps every
 * key's public half (`signing_key`), so any process can verify and a rotation keeps old extracts valid.
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

/** Why a seal cannot be made: the key folder lacks the signing key's file, or the file is readable by others. */
export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

/** The key folder: CIVREG_SIGNING_KEY_DIR, else `keys` under the data folder. */
export const signingKeyDir = (config: Pick<Config, 'CIVREG_DATA_DIR' | 'CIVREG_SIGNING_KEY_DIR'>): string =>
  resolve(config.CIVREG_SIGNING_KEY_DIR ?? join(config.CIVREG_DATA_DIR, 'keys'));

const kidOf = (publicDer: Buffer) => createHash('sha256').update(publicDer).digest('hex').slice(0, 16);
const keyFile = (dir: string, kid: string) => join(dir, `${kid}.pem`);

/** Makes a key pair and writes its private half to `<dir>/<kid>.pem`, readable by this user only. */
async function newKeyFile(dir: string): Promise<{ kid: string; publicKey: string }> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicDer = publicKey.export({ format: 'der', type: 'spki' });
  const kid = kidOf(publicDer);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(keyFile(dir, kid), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  await chmod(keyFile(dir, kid), 0o600); // the umask may have narrowed nothing, but never widen
  return { kid, publicKey: publicDer.toString('base64') };
}

async function readKeyFile(dir: string, kid: string): Promise<SigningKey> {
  const path = keyFile(dir, kid);
  const info = await stat(path).catch(() => null);
  if (!info) throw new SigningKeyError(`The private key of signing key ${kid} is not in ${dir}. Restore ${kid}.pem from the backup, or run \`civreg signing-key rotate\` to start signing with a new key (extracts already issued still verify).`);
  if (info.mode & 0o077) throw new SigningKeyError(`${path} can be read by other users: run \`chmod 600 ${path}\`.`);
  return { kid, privateKey: createPrivateKey(await readFile(path)) };
}

/**
 * The key that signs now, created on first use. Two processes creating one at once: one wins (the
 * database allows one active key), the other removes its file and uses the winner's.
 */
export async function activeSigningKey(sql: Sql, dir: string): Promise<SigningKey> {
  const [row] = await sql.query<{ kid: string }>('select kid from signing_key where retired_at is null');
  if (row) return readKeyFile(dir, row.kid);
  const created = await newKeyFile(dir);
  const inserted = await sql.query(`insert into signing_key (kid, public_key) values ($1, $2) on conflict do nothing returning kid`, [created.kid, created.publicKey]);
  if (!inserted.length) await rm(keyFile(dir, created.kid), { force: true });
  return activeSigningKey(sql, dir);
}

/**
 * Retires the signing key and makes a new one in one transaction; the retired key's private file is then
 * deleted (it signs nothing any more; its public key stays for verifying). Returns both kids.
 */
export async function rotateSigningKey(db: Database, dir: string): Promise<{ retired: string | null; active: string }> {
  const created = await newKeyFile(dir);
  try {
    const retired = await db.transaction(async (tx) => {
      const [old] = await tx.query<{ kid: string }>('update signing_key set retired_at = now() where retired_at is null returning kid');
      await tx.query('insert into signing_key (kid, public_key) values ($1, $2)', [created.kid, created.publicKey]);
      return old?.kid ?? null;
    });
    if (retired) await rm(keyFile(dir, retired), { force: true });
    return { retired, active: created.kid };
  } catch (error) {
    await rm(keyFile(dir, created.kid), { force: true });
    throw error;
  }
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
