import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus, type CorpusOptions } from '../../src/samples/generate.ts';

async function filesUnder(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(root, path)));
    else out.push(relative(root, path));
  }
  return out.sort();
}

const base: Omit<CorpusOptions, 'out'> = { books: 4, seed: 99, profile: 'typical', pagesPerBook: [1, 1] };
let dirs: string[] = [];

beforeAll(async () => {
  dirs = await Promise.all([0, 1, 2].map(() => mkdtemp(join(tmpdir(), 'civreg-det-'))));
  await generateCorpus({ ...base, out: dirs[0]! });
  await generateCorpus({ ...base, out: dirs[1]! });
  await generateCorpus({ ...base, seed: 100, out: dirs[2]! });
}, 120_000);
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('generateCorpus determinism', () => {
  it('writes byte-identical files for the same options (PDF, TIFF, JPEG, PNG, truth, manifest, links)', async () => {
    const [a, b] = [await filesUnder(dirs[0]!), await filesUnder(dirs[1]!)];
    expect(a).toEqual(b);
    expect(a.some((f) => /\.(pdf|tif|jpg|png)$/.test(f))).toBe(true);
    for (const f of a) expect((await readFile(join(dirs[0]!, f))).equals(await readFile(join(dirs[1]!, f))), f).toBe(true);
  });

  it('writes a different corpus for another seed', async () => {
    const truthA = await readFile(join(dirs[0]!, 'b01', 'truth.json'), 'utf8');
    const truthC = await readFile(join(dirs[2]!, 'b01', 'truth.json'), 'utf8');
    expect(truthC).not.toEqual(truthA);
    expect(await readFile(join(dirs[2]!, 'manifest.json'), 'utf8')).not.toEqual(await readFile(join(dirs[0]!, 'manifest.json'), 'utf8'));
  });
});
