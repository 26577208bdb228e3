import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../src/samples/generate.ts';
import { deliveredPixels, loadCorpus, type LoadedCorpus } from './corpus-helpers.ts';

let dir: string;
let corpus: LoadedCorpus;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'civreg-clean-'));
  await generateCorpus({ out: dir, books: 3, seed: 5, profile: 'clean', pagesPerBook: [1, 2], eras: ['1961-1998', '1999-2005', '2016-'] });
  corpus = await loadCorpus(dir);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('generateCorpus (clean profile)', () => {
  it('injects no fault and no scanning damage', () => {
    for (const truth of corpus.truths.values()) {
      expect(truth.faults).toEqual([]);
      expect(truth.entries.every((e) => !e.struck)).toBe(true);
      for (const page of truth.pages) expect(page).toMatchObject({ rotation: 0, skewDeg: 0, damage: [] });
    }
  });

  it('keeps to the eras asked for and lists every delivered file in the manifest', async () => {
    expect(new Set(corpus.manifest.books.map((b) => b.era))).toEqual(new Set(['1961-1998', '1999-2005', '2016-']));
    for (const book of corpus.manifest.books) {
      const onDisk = (await readdir(join(dir, book.id))).filter((f) => f !== 'truth.json').map((f) => `${book.id}/${f}`);
      expect([...book.files].sort()).toEqual(onDisk.sort());
    }
  });

  it('draws boxes that cover ink: sampled lines and fields have dark pixels inside', async () => {
    for (const truth of corpus.truths.values()) {
      const page = truth.pages[0]!;
      const img = await deliveredPixels(dir, page.file, page.filePage);
      const boxes = [...page.lines.filter((_, i) => i % 7 === 0), ...truth.entries.flatMap((e) => Object.values(e.fields)).filter((f) => f.page === page.index).slice(0, 6)].map((x) => x.box);
      expect(boxes.length).toBeGreaterThan(3);
      for (const [x, y, w, h] of boxes) {
        let darkest = 255;
        let dark = 0;
        for (let yy = y; yy < y + h; yy++) {
          for (let xx = x; xx < x + w; xx++) {
            const v = img.data[yy * img.width + xx]!;
            darkest = Math.min(darkest, v);
            if (v < 128) dark++;
          }
        }
        expect(darkest, `box ${[x, y, w, h]}`).toBeLessThan(110);
        expect(dark / (w * h)).toBeGreaterThan(0.01);
      }
    }
  });

  it('writes existing records and same-event links for the scanned entries', async () => {
    const existing = (await readFile(join(dir, 'existing.jsonl'), 'utf8')).trim().split('\n');
    expect(existing.length).toBeGreaterThan(0);
    const links = JSON.parse(await readFile(join(dir, 'truth-links.json'), 'utf8')) as { sameEvent: [string, string][] };
    expect(links.sameEvent.every(([a, b]) => a.startsWith('scan:') && /^(scan|existing):/.test(b))).toBe(true);
  });
});

describe('generateCorpus (clean pages, faults of another profile)', () => {
  it('injects the book faults asked for and still no scanning damage', async () => {
    const out = await mkdtemp(join(tmpdir(), 'civreg-clean-faults-'));
    try {
      await generateCorpus({ out, books: 3, seed: 11, profile: 'clean', faults: 'hard', pagesPerBook: [4, 4], eras: ['2016-'] });
      const faulty = await loadCorpus(out);
      expect(faulty.manifest).toMatchObject({ profile: 'clean', faults: 'hard' });
      expect([...faulty.truths.values()].flatMap((t) => t.faults).length).toBeGreaterThan(0);
      for (const truth of faulty.truths.values()) for (const page of truth.pages) expect(page).toMatchObject({ rotation: 0, skewDeg: 0, damage: [] });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});
