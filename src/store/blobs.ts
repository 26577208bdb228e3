import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export type FixityStatus = 'ok' | 'mismatch' | 'missing';

/**
 * Content-addressed storage of immutable byte strings, keyed by their SHA-256 (lower-case hex).
 * The local folder implementation below is the only one today; an S3-compatible store implements
 * the same five methods (objects named by hash, `verify` re-reading the object).
 */
export interface BlobStore {
  /** Stores bytes; storing the same bytes again is a no-op. */
  put(bytes: Buffer): Promise<{ sha256: string; bytes: number }>;
  /** Streams a file in (for uploads of hundreds of MB) while hashing it. */
  putFile(path: string): Promise<{ sha256: string; bytes: number }>;
  get(sha256: string): Promise<Buffer>;
  /** Re-hashes the stored bytes. */
  verify(sha256: string): Promise<FixityStatus>;
  /** Every hash present in the store. */
  list(): AsyncIterable<string>;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * Blobs as read-only files `<root>/ab/cd/<hash>`. Writes go to `<root>/tmp` first and are renamed
 * into place, so a crash never leaves a partial blob under a valid name.
 *
 * @example
 * const store = createLocalBlobStore('.data/blobs');
 * const { sha256 } = await store.put(Buffer.from('scan'));
 */
export function createLocalBlobStore(root: string): BlobStore {
  const pathOf = (sha256: string) => {
    if (!HASH.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };
  const tmpPath = async () => {
    await mkdir(join(root, 'tmp'), { recursive: true });
    return join(root, 'tmp', randomUUID());
  };
  const exists = (path: string) => stat(path).then(() => true, () => false);

  async function place(tmp: string, sha256: string): Promise<void> {
    const target = pathOf(sha256);
    if (await exists(target)) {
      await rm(tmp, { force: true });
      return;
    }
    await mkdir(join(target, '..'), { recursive: true });
    await chmod(tmp, 0o444);
    await rename(tmp, target);
  }

  async function hashFile(path: string): Promise<string> {
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    return hash.digest('hex');
  }

  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      if (!(await exists(pathOf(sha256)))) {
        const tmp = await tmpPath();
        await writeFile(tmp, bytes);
        await place(tmp, sha256);
      }
      return { sha256, bytes: bytes.length };
    },
    async putFile(path) {
      const tmp = await tmpPath();
      const hash = createHash('sha256');
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(createReadStream(path), tap, createWriteStream(tmp));
      const sha256 = hash.digest('hex');
      await place(tmp, sha256);
      return { sha256, bytes: size };
    },
    async get(sha256) {
      try {
        return await readFile(pathOf(sha256));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(`blob ${sha256} is missing`);
        throw error;
      }
    },
    async verify(sha256) {
      const path = pathOf(sha256);
      if (!(await exists(path))) return 'missing';
      return (await hashFile(path)) === sha256 ? 'ok' : 'mismatch';
    },
    async *list() {
      for (const a of await readdir(root).catch(() => [] as string[])) {
        if (!/^[0-9a-f]{2}$/.test(a)) continue;
        for (const b of await readdir(join(root, a))) {
          for (const name of await readdir(join(root, a, b))) if (HASH.test(name)) yield name;
        }
      }
    },
  };
}
