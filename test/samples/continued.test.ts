import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookTruth } from '../../schemas/corpus.ts';
import { generateCorpus } from '../../src/samples/generate.ts';
import { loadCorpus } from './corpus-helpers.ts';

const inside = (box: number[], outer: number[], slack = 4) =>
  box[0]! >= outer[0]! - slack && box[1]! >= outer[1]! - slack && box[0]! + box[2]! <= outer[0]! + outer[2]! + slack && box[1]! + box[3]! <= outer[1]! + outer[3]! + slack;

describe('an entry begun at the foot of a page and continued at the top of the next', () => {
  let dir: string;
  let truth: BookTruth;
  const generate = (out: string) =>
    generateCorpus({ out, books: 1, seed: 1, profile: 'clean', eras: ['1999-2005'], types: ['birth'], pagesPerBook: [2, 2], continuedEntries: 1 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-continued-'));
    await generate(join(dir, 'a'));
    truth = (await loadCorpus(join(dir, 'a'))).truths.get('b01')!;
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is one truth entry covering both pages, each part and field with its page and box', () => {
    const continued = truth.entries.filter((e) => e.pages.length > 1);
    expect(continued).toHaveLength(1);
    const [entry] = continued;
    expect(entry).toMatchObject({ continued: true, pages: [0, 1] });
    const [first, rest] = entry!.parts!;
    const height = (truth.pages[0] as unknown as { height: number }).height;
    // the first part ends near the page's foot, the rest starts at the top of the next page's body
    expect(first!.page).toBe(0);
    expect(first!.box[1]! + first!.box[3]!).toBeGreaterThan(height * 0.8);
    expect(rest!.page).toBe(1);
    expect(rest!.box[1]!).toBeLessThan(height * 0.2);
    const onPage = (page: number) => Object.entries(entry!.fields).filter(([, f]) => f.page === page).map(([name]) => name);
    expect(onPage(0)).toContain('fullName');
    expect(onPage(1)).toEqual(expect.arrayContaining(['motherName', 'registrationDate']));
    for (const [name, field] of Object.entries(entry!.fields)) {
      expect(inside(field.box, entry!.parts!.find((p) => p.page === field.page)!.box), name).toBe(true);
      // the value is written on its page: a truth line of that page holds the field's box
      expect(truth.pages[field.page]!.lines.some((l) => inside(field.box, l.box)), name).toBe(true);
    }
    // the entry is not repeated for its second page, and other entries have no parts
    expect(truth.entries.filter((e) => e.key === entry!.key)).toHaveLength(1);
    expect(truth.entries.filter((e) => e !== entry).every((e) => e.parts === undefined && e.pages.length === 1)).toBe(true);
    expect(truth.orphanParts ?? []).toEqual([]);
  });

  it('is the same from the same seed', async () => {
    await generate(join(dir, 'b'));
    expect(await readFile(join(dir, 'b', 'b01', 'truth.json'), 'utf8')).toBe(await readFile(join(dir, 'a', 'b01', 'truth.json'), 'utf8'));
  }, 60_000);
});

describe('a ruled-table row whose last lines go on at the top of the next page', () => {
  let dir: string;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps the row’s first lines on the first page and the items that did not fit on the next', async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-continued-table-'));
    await generateCorpus({ out: dir, books: 1, seed: 3, profile: 'clean', eras: ['1961-1998'], types: ['birth'], pagesPerBook: [2, 2], continuedEntries: 1 });
    const truth = (await loadCorpus(dir)).truths.get('b01')!;
    const [entry, ...others] = truth.entries.filter((e) => e.pages.length > 1);
    expect(others).toHaveLength(0);
    expect(entry!.parts!.map((p) => p.page)).toEqual([0, 1]);
    const pageOf = (field: string) => entry!.fields[field]?.page;
    // the first line of every column is on the first page, the column's last item on the next
    expect([pageOf('fullName'), pageOf('sex'), pageOf('motherName'), pageOf('motherResidence')]).toEqual([0, 0, 0, 1]);
    for (const [name, field] of Object.entries(entry!.fields)) expect(inside(field.box, entry!.parts!.find((p) => p.page === field.page)!.box), name).toBe(true);
  }, 60_000);
});

describe('continued entries and book faults', () => {
  let dir: string;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('leaves the continuation of an entry whose page is missing as an orphan part, and a first part without its rest', async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-continued-missing-'));
    // seed 6: the middle page of three goes missing; entries run over both page breaks
    await generateCorpus({ out: dir, books: 1, seed: 6, profile: 'hard', eras: ['2006-2015'], types: ['birth'], pagesPerBook: [3, 3], continuedEntries: 1, facingPages: 0 });
    const truth = (await loadCorpus(dir)).truths.get('b01')!;
    expect(truth.faults).toContainEqual(expect.objectContaining({ kind: 'missing_page', page: 1 }));
    // the top of delivered page 1 continues an entry begun on the missing page: no entry, a part to place
    const [orphan, ...more] = truth.orphanParts ?? [];
    expect(more).toHaveLength(0);
    expect(orphan!.page).toBe(1);
    expect(Object.values(orphan!.fields).every((f) => f.page === 1)).toBe(true);
    expect(truth.entries.some((e) => e.key === orphan!.key)).toBe(false);
    // the entry begun at the foot of page 0 went on over the missing page: only its first part is delivered
    const cut = truth.entries.filter((e) => e.continued);
    expect(cut.map((e) => [e.pages, e.parts!.map((p) => p.page)])).toEqual([[[0], [0]]]);
  }, 60_000);
});
