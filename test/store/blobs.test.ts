import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordBlob } from '../../src/db/blobs.ts';
import { createLocalBlobStore, sha256Hex, type BlobStore } from '../../src/store/blobs.ts';
import { checkFixity } from '../../src/store/fixity.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

describe('local blob store', () => {
  let dir: string;
  let store: BlobStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-blobs-'));
    store = createLocalBlobStore(join(dir, 'blobs'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps bytes exactly and addresses them by SHA-256', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    const { sha256, bytes: size } = await store.put(bytes);
    expect(sha256).toBe(sha256Hex(bytes));
    expect(size).toBe(5);
    expect(Buffer.compare(await store.get(sha256), bytes)).toBe(0);
  });

  it('stores a file streamed in under the same hash as its bytes, once', async () => {
    const path = join(dir, 'scan.bin');
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
    await writeFile(path, bytes);
    const first = await store.putFile(path);
    const second = await store.putFile(path);
    expect(first).toEqual({ sha256: sha256Hex(bytes), bytes: bytes.length });
    expect(second).toEqual(first);
    const all = [];
    for await (const hash of store.list()) all.push(hash);
    expect(all.filter((h) => h === first.sha256)).toHaveLength(1);
  });

  it('reports a missing blob as missing, not as an empty one', async () => {
    await expect(store.get('0'.repeat(64))).rejects.toThrow(/missing/);
    expect(await store.verify('0'.repeat(64))).toBe('missing');
  });
});

describe('fixity check', () => {
  let t: TestDatabase;
  let dir: string;
  let store: BlobStore;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'civreg-fixity-'));
    store = createLocalBlobStore(dir);
  });
  afterAll(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds changed and missing blobs, records them and audits them', async () => {
    const blobs = await Promise.all(['intact', 'changed', 'gone'].map((text) => store.put(Buffer.from(text))));
    for (const b of blobs) await recordBlob(t.db, { ...b, mediaType: 'text/plain' });
    const [, changed, gone] = blobs as [typeof blobs[0], typeof blobs[0], typeof blobs[0]];
    const pathOf = (sha: string) => join(dir, sha.slice(0, 2), sha.slice(2, 4), sha);
    await chmod(pathOf(changed.sha256), 0o644);
    await writeFile(pathOf(changed.sha256), 'tampered');
    await rm(pathOf(gone.sha256));

    const report = await checkFixity(t.db, store, 'test');
    expect(report.checked).toBe(3);
    expect(report.ok).toBe(1);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        { sha256: changed.sha256, status: 'mismatch' },
        { sha256: gone.sha256, status: 'missing' },
      ]),
    );
    const statuses = await t.db.query<{ fixity_status: string }>('select fixity_status from blob order by fixity_status');
    expect(statuses.map((s) => s.fixity_status).sort()).toEqual(['mismatch', 'missing', 'ok']);
    const events = await t.db.query<{ action: string; object_id: string }>(`select action, object_id from audit_event where action like 'fixity.%'`);
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.action).sort()).toEqual(['fixity.mismatch', 'fixity.missing']);
  });
});
