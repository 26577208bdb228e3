import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookTruth } from '../../schemas/corpus.ts';
import { breakAtSeparators } from '../../src/samples/layout.ts';
import { generateCorpus } from '../../src/samples/generate.ts';
import { loadCorpus } from './corpus-helpers.ts';

describe('breakAtSeparators', () => {
  const width = (s: string) => 10 * s.length;
  it('cuts a typed line too wide for its column after a separator, as a typist goes on at the next line', () => {
    expect(breakAtSeparators('12/05/1944', 60, width)).toEqual(['12/05/', '1944']);
    expect(breakAtSeparators('23.10.1974', 40, width)).toEqual(['23.', '10.', '1974']);
    expect(breakAtSeparators('12/05/1944', 100, width)).toEqual(['12/05/1944']);
    expect(breakAtSeparators('Nguyễn', 30, width)).toEqual(['Nguyễn']); // no separator: stays whole
  });
});

describe('typed values of a ruled register', () => {
  let dir: string;
  let truth: BookTruth;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-typed-columns-'));
    await generateCorpus({ out: dir, books: 1, seed: 3, profile: 'clean', eras: ['1961-1998'], fills: ['typed'], types: ['birth'], pagesPerBook: [2, 2] });
    truth = (await loadCorpus(dir)).truths.get('b01')!;
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stay in their columns: no two values of a row side by side overlap', () => {
    let pairs = 0;
    for (const entry of truth.entries) {
      const fields = Object.entries(entry.fields);
      for (const [i, [a, fa]] of fields.entries()) {
        for (const [b, fb] of fields.slice(i + 1)) {
          if (fa.page !== fb.page) continue;
          const [ax, ay, aw, ah] = fa.box;
          const [bx, by, bw, bh] = fb.box;
          const sameRow = ay! < by! + bh! && by! < ay! + ah!;
          if (!sameRow) continue;
          pairs++;
          expect(ax! < bx! + bw! && bx! < ax! + aw!, `${entry.key} ${a} over ${b}`).toBe(false);
        }
      }
    }
    expect(pairs).toBeGreaterThan(20);
  });
});
