import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../bin/civreg.js', import.meta.url));
const field = (value: string) => ({ value, page: 0, box: [0, 0, 10, 10] });

/** Truth only (the matcher reads no scans): a book copy, a namesake and an existing record in TCVN3. */
async function writeCorpus(dir: string): Promise<void> {
  const hoa = { fullName: field('Nguyễn Thị Hoà'), sex: field('female'), birthDate: field('1962-03-15'), motherName: field('Lê Thị Lan'), registrationDate: field('1962-03-20') };
  const namesake = { ...hoa, birthDate: field('1962-09-02'), motherName: field('Trần Thị Mai'), registrationDate: field('1962-09-10') };
  const book = (id: string) => ({ id, registerType: 'birth', era: '1961-1998', office: 'Phường Bạch Mai', bookNo: '01', years: [1962], files: [`${id}/p.png`] });
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ version: 1, books: [book('b01'), book('b02')] }));
  for (const id of ['b01', 'b02']) {
    await mkdir(join(dir, id));
    const entries = [{ key: `${id}/1962/1`, year: 1962, entryNo: 1, pages: [0], fields: hoa }, { key: `${id}/1962/2`, year: 1962, entryNo: 2, pages: [0], fields: namesake }];
    await writeFile(join(dir, id, 'truth.json'), JSON.stringify({ pages: [], entries }));
  }
  await writeFile(join(dir, 'existing.jsonl'), JSON.stringify({ id: 'E1', registerType: 'birth', fields: { fullName: 'NguyÔn ThÞ Hoµ', birthDate: '1962-03-15', motherName: 'Lª ThÞ Lan' } }) + '\n');
  await writeFile(join(dir, 'truth-links.json'), JSON.stringify({ sameEvent: [['scan:b01/1962/1', 'existing:E1'], ['scan:b01/1962/1', 'scan:b02/1962/1'], ['scan:b01/1962/2', 'scan:b02/1962/2']] }));
}

describe('civreg eval --match-only', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-match-corpus-'));
    await writeCorpus(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reports the matcher on the truth entries, per era', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'eval', '--corpus', dir, '--match-only', '--json'], { env: { ...process.env, DATABASE_URL: inject('serverUrl') } });
    const { match } = JSON.parse(stdout);
    expect(match.truePairs).toBe(4);
    expect(match.onTruth).toMatchObject({ precision: 1, recall: 1, autoLinkPrecision: 1, autoLinkRecall: 1, truePairs: 4 });
    expect(match.onTruth.byEra['1961-1998']).toMatchObject({ precision: 1, recall: 1 });
  }, 60_000);
});
