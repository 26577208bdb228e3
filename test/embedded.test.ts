import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';

describe('embedded PostgreSQL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-embedded-'));
    await chmod(dir, 0o755);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const query = async (url: string, sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  it('creates a UTF-8 cluster, keeps its data across restarts, and lets a second process join it', async () => {
    const first = await startEmbeddedPostgres(join(dir, 'pg'));
    expect(first.owned).toBe(true);
    expect(await query(first.url, 'show server_encoding')).toEqual([{ server_encoding: 'UTF8' }]);
    await query(first.url, `create table kept (name text); insert into kept values ('Nguyễn Thị Hoà')`);

    const joined = await startEmbeddedPostgres(join(dir, 'pg'));
    expect(joined.owned).toBe(false);
    expect(joined.url).toBe(first.url);
    await first.stop();

    const again = await startEmbeddedPostgres(join(dir, 'pg'));
    expect(await query(again.url, 'select name from kept')).toEqual([{ name: 'Nguyễn Thị Hoà' }]);
    await again.stop();
  });

  it('recovers from a pid file left by a crash', async () => {
    // A pid that cannot be running: the kernel's pid_max is far below it.
    const pidFile = join(dir, 'pg', 'postmaster.pid');
    await writeFile(pidFile, `99999999\n${join(dir, 'pg')}\n0\n5999\n`);
    const server = await startEmbeddedPostgres(join(dir, 'pg'));
    expect(server.owned).toBe(true);
    expect(await query(server.url, 'select count(*)::int as n from kept')).toEqual([{ n: 1 }]);
    expect((await readFile(pidFile, 'utf8')).split('\n')[0]).not.toBe('99999999');
    await server.stop();
  });

  it('leaves the process exit code alone (the library would force 0 on beforeExit)', async () => {
    const { spawnSync } = await import('node:child_process');
    const module = new URL('../src/db/embedded.ts', import.meta.url).href;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(module)}); process.exitCode = 3;`]);
    expect(child.status).toBe(3);
  });

  it('refuses a cluster made by another PostgreSQL major, saying what to do', async () => {
    const old = join(dir, 'old');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(old);
    await writeFile(join(old, 'PG_VERSION'), '15\n');
    await expect(startEmbeddedPostgres(old)).rejects.toThrow(/PostgreSQL 15.*bundles PostgreSQL 18.*pg_dump/s);
  });
});
