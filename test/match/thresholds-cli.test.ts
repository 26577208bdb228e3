import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeMatchModel, saveActiveMatchModel } from '../../src/db/match-models.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { runCli } from '../helpers/cli.ts';

describe('civreg match thresholds', () => {
  let t: TestDatabase;
  let dataDir: string;
  const run = (args: string[]) => runCli(['match', 'thresholds', ...args], { databaseUrl: t.url, dataDir });
  beforeAll(async () => {
    t = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'civreg-thresholds-'));
  });
  afterAll(async () => {
    await t.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses thresholds that are not numbers or leave no room for review, and a database without a trained model', async () => {
    expect((await run(['--link', 'high', '--review', '2'])).stderr).toMatch(/bad_arguments/);
    expect((await run(['--link', '2', '--review', '5'])).stderr).toMatch(/bad_arguments: --link \(2\) must be above --review \(5\)/);
    const none = await run(['--link', '9', '--review', '3']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/not_found: no trained model is active/);
  });

  it('sets them on the active version', async () => {
    await saveActiveMatchModel(t.db, 'em-cli', { fullName: { exact: [0.9, 0.001] as const } }, { candidatePairs: 1 });
    const set = await run(['--link', '9.5', '--review', '3']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/Model em-cli: link at 9.5 bits, review from 3 bits/);
    expect((await activeMatchModel(t.db))?.thresholds).toEqual({ link: 9.5, review: 3 });
  });
});
