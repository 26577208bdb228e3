import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, hashToken } from '../../src/api/clients.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { runCli } from '../helpers/cli.ts';

describe('civreg client', () => {
  let t: TestDatabase;
  let dataDir: string;
  const run = (args: string[]) => runCli(['client', ...args], { databaseUrl: t.url, dataDir });
  beforeAll(async () => {
    t = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'civreg-client-'));
  });
  afterAll(async () => {
    await t.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('adds a client, shows its token once, lists and revokes it', async () => {
    const added = await run(['add', '--name', 'mot-cua-bach-mai', '--offices', 'HBT,DD', '--types', 'birth,death', '--fields', 'fullName,birthDate', '--rate', '30', '--expires', '2099-12-31', '--json']);
    expect(added.code, added.stderr).toBe(0);
    const { token, client } = JSON.parse(added.stdout);
    expect(token).toMatch(/^cvr_[A-Za-z0-9_-]{43}$/);
    expect(client).toMatchObject({ offices: ['HBT', 'DD'], registerTypes: ['birth', 'death'], fields: ['fullName', 'birthDate'], ratePerMinute: 30 });
    const [row] = await t.db.query<{ token_sha256: string }>('select token_sha256 from api_client where name = $1', ['mot-cua-bach-mai']);
    expect(row!.token_sha256).toBe(hashToken(token));
    expect((await authenticate(t.db, `Bearer ${token}`)).client.name).toBe('mot-cua-bach-mai');

    const listed = await run(['list']);
    expect(listed.stdout).toContain('mot-cua-bach-mai [active]');
    expect(listed.stdout).not.toContain(token);

    expect((await run(['revoke', '--name', 'mot-cua-bach-mai'])).code).toBe(0);
    await expect(authenticate(t.db, `Bearer ${token}`)).rejects.toMatchObject({ code: 'token_revoked' });
    expect((await run(['list'])).stdout).toContain('[revoked]');
  });

  it('lists and rotates the extract signing keys', async () => {
    const rotate = async () => {
      const { stdout, stderr, code } = await runCli(['signing-key', 'rotate', '--json'], { databaseUrl: t.url, dataDir });
      expect(code, stderr).toBe(0);
      return JSON.parse(stdout) as { retired: string | null; active: string };
    };
    const first = await rotate();
    expect(first.retired).toBeNull();
    const second = await rotate();
    expect(second.retired).toBe(first.active);
    expect(second.active).not.toBe(first.active);
    const rows = await t.db.query<{ kid: string; retired_at: Date | null }>('select kid, retired_at from signing_key order by created_at');
    expect(rows.map((r) => [r.kid, r.retired_at === null])).toEqual([[first.active, false], [second.active, true]]);
    // The private key is a 0600 file under the data folder; the retired one's file is gone.
    expect(await readdir(join(dataDir, 'keys'))).toEqual([`${second.active}.pem`]);
    expect((await stat(join(dataDir, 'keys', `${second.active}.pem`))).mode & 0o777).toBe(0o600);
  });

  it('grants nothing by default and refuses unknown types and fields', async () => {
    expect(await run(['add', '--name', 'x1', '--types', 'birth', '--fields', '*'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--offices is required') });
    expect(await run(['add', '--name', 'x1', '--offices', '*', '--types', 'divorce', '--fields', '*'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown divorce') });
    expect(await run(['add', '--name', 'x1', '--offices', '*', '--types', '*', '--fields', 'password'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown password') });
    expect(await run(['revoke', '--name', 'nobody'])).toMatchObject({ code: 2, stderr: expect.stringContaining('civreg: not_found') });
  });
});
