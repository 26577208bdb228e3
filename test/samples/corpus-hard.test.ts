import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existingRecordSchema, FIELD_KEYS, truthLinksSchema } from '../../schemas/corpus.ts';
import { DAMAGE_KINDS } from '../../src/samples/damage.ts';
import { generateCorpus } from '../../src/samples/generate.ts';
import { decodePersonalId } from '../../src/samples/vietnamese.ts';
import { deliveredPixels, deliveredSize, loadCorpus, stringsOf, yearOf, type LoadedCorpus } from './corpus-helpers.ts';

/** A hard-profile corpus big enough that every damage and fault kind occurs (seed chosen for that coverage). */
const HARD = { books: 9, seed: 20_240_611, profile: 'hard', pagesPerBook: [2, 4] } as const;

let dir: string;
let corpus: LoadedCorpus;
const allEntries = () => [...corpus.truths.entries()].flatMap(([book, t]) => t.entries.map((e) => ({ book, e, type: corpus.manifest.books.find((b) => b.id === book)!.registerType })));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'civreg-hard-'));
  await generateCorpus({ out: dir, ...HARD, pagesPerBook: [...HARD.pagesPerBook] });
  corpus = await loadCorpus(dir);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('generateCorpus (hard profile)', () => {
  it('writes a manifest, truths, existing records and links that validate against schemas/corpus.ts', async () => {
    expect(corpus.manifest).toMatchObject({ version: 1, profile: 'hard', seed: HARD.seed });
    expect(corpus.manifest.books).toHaveLength(HARD.books);
    const links = truthLinksSchema.parse(JSON.parse(await readFile(join(dir, 'truth-links.json'), 'utf8')));
    const existing = (await readFile(join(dir, 'existing.jsonl'), 'utf8')).trim().split('\n').map((l) => existingRecordSchema.parse(JSON.parse(l)));
    expect(existing.length).toBeGreaterThan(0);
    const keys = new Set(allEntries().filter(({ e }) => !e.struck).map(({ e }) => `scan:${e.key}`));
    const ids = new Set(existing.map((e) => `existing:${e.id}`));
    for (const pair of links.sameEvent) for (const ref of pair) expect(keys.has(ref) || ids.has(ref), ref).toBe(true);
    // second copies and re-registrations link scans to scans
    expect(links.sameEvent.some(([a, b]) => a.startsWith('scan:') && b.startsWith('scan:'))).toBe(true);
  });

  it('uses only the field keys of EVALUATION.md, in their normal forms', () => {
    for (const { e, type } of allEntries()) {
      for (const [key, f] of Object.entries(e.fields)) {
        expect(FIELD_KEYS[type] as readonly string[], `${e.key} ${key}`).toContain(key);
        if (/Date$/.test(key)) expect(f.value, `${e.key} ${key}`).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
        if (key === 'deathTime') expect(f.value).toMatch(/^\d{2}:\d{2}$/);
        if (key === 'sex') expect(['male', 'female']).toContain(f.value);
        if (/BirthYear$/.test(key)) expect(f.value).toMatch(/^\d{4}$/);
        if (/idNumber$|IdNumber$/.test(key)) expect(f.value).toMatch(/^(\d{9}|\d{12})$/);
        expect(f.value).toBe(f.value.normalize('NFC').replace(/\s+/g, ' ').trim());
      }
    }
  });

  it('applies every kind of damage, and records dpi, skew and rotation per page', () => {
    const pages = [...corpus.truths.values()].flatMap((t) => t.pages);
    const seen = new Set(pages.flatMap((p) => p.damage as string[]));
    expect([...seen].sort()).toEqual([...DAMAGE_KINDS].sort());
    for (const p of pages) {
      expect(p).toHaveProperty('dpi');
      expect(Math.abs(p.skewDeg as number)).toBeLessThanOrEqual(5);
      expect([0, 90, 180, 270]).toContain(p.rotation);
    }
    expect(new Set(pages.map((p) => p.dpi)).size).toBeGreaterThan(2);
    expect(new Set(corpus.manifest.books.map((b) => b.delivery)).size).toBeGreaterThanOrEqual(4);
  });

  it('puts both facing pages of one image in its pixel coordinates, with the same file page', () => {
    const facing = [...corpus.truths.values()].flatMap((t) => t.pages.filter((p) => p.facing === 'left').map((p) => [p, t.pages.find((q) => q.index === p.index + 1)!]));
    expect(facing.length).toBeGreaterThan(0);
    for (const [left, right] of facing) {
      expect(right).toMatchObject({ file: left!.file, filePage: left!.filePage, facing: 'right', width: left!.width, height: left!.height });
    }
  });

  it('injects every kind of book fault, each consistent with the delivered pages', () => {
    const kinds = new Set([...corpus.truths.values()].flatMap((t) => t.faults.map((f) => f.kind)));
    expect([...kinds].sort()).toEqual(['book_years_in_doubt', 'duplicate_page', 'entry_gap', 'missing_page', 'struck_entry']);
    for (const [id, truth] of corpus.truths) {
      const book = corpus.manifest.books.find((b) => b.id === id)!;
      const wrongYears = truth.faults.find((f) => f.kind === 'book_years_in_doubt');
      // the manifest states the wrong years of exactly the books with that fault, and its years are the entries'
      expect(book.statedYears).toEqual(wrongYears?.kind === 'book_years_in_doubt' ? wrongYears.stated : undefined);
      expect(book.years).toEqual([...new Set(truth.entries.map((e) => e.year))].sort((a, b) => a - b));
      const numbersOn = (page: number) => truth.entries.filter((e) => e.pages[0] === page).map((e) => e.year * 10_000 + e.entryNo);
      for (const f of truth.faults) {
        if (f.kind === 'missing_page') {
          // the entries of the missing page are absent: numbers jump between the pages around it
          const before = numbersOn(f.page - 1);
          const after = numbersOn(f.page);
          if (before.length && after.length) expect(Math.min(...after) - Math.max(...before)).toBeGreaterThan(1);
        } else if (f.kind === 'duplicate_page') {
          const page = truth.pages.find((p) => p.index === f.page)!;
          const of = truth.pages.find((p) => p.index === f.of)!;
          expect(page.lines.map((l) => l.text)).toEqual(of.lines.map((l) => l.text));
          expect(truth.entries.some((e) => e.pages.includes(f.page))).toBe(false);
        } else if (f.kind === 'entry_gap') {
          const numbers = new Set(truth.entries.filter((e) => e.year === f.year).map((e) => e.entryNo));
          expect(numbers.has(f.after)).toBe(true);
          for (const n of f.missing) expect(numbers.has(n)).toBe(false);
          expect(numbers.has(f.missing.at(-1)! + 1)).toBe(true);
        } else if (f.kind === 'book_years_in_doubt') {
          expect(truth.entries.every((e) => !f.stated.includes(e.year))).toBe(true);
        } else {
          expect(truth.entries.find((e) => e.key === f.key)?.struck).toBe(true);
        }
      }
    }
  });

  it('draws a dark pen line across a struck entry', async () => {
    const [book, truth] = [...corpus.truths.entries()].find(([, t]) => t.entries.some((e) => e.struck))!;
    const entry = truth.entries.find((e) => e.struck)!;
    const page = truth.pages.find((p) => p.index === entry.pages[0])!;
    const img = await deliveredPixels(dir, page.file, page.filePage);
    const [x0, y0, x1, y1] = entry.strike as number[];
    const at = (x: number, y: number) => img.data[Math.round(y) * img.width + Math.round(x)]!;
    const sorted = Buffer.from(img.data).sort();
    const paper = sorted[Math.floor(sorted.length * 0.7)]!;
    let dark = 0;
    for (let t = 0.05; t <= 0.95; t += 0.05) {
      const x = x0! + (x1! - x0!) * t;
      const y = y0! + (y1! - y0!) * t;
      // the stroke is a few pixels wide: look at the darkest pixel right around the point
      const near = Math.min(...[-2, -1, 0, 1, 2].map((d) => at(x, y + d)));
      if (near < paper - 40) dark++;
    }
    expect(dark, `${book} ${entry.key}`).toBeGreaterThanOrEqual(15);
  });

  it('keeps every box inside its delivered image', async () => {
    for (const [book, truth] of corpus.truths) {
      const files = corpus.manifest.books.find((b) => b.id === book)!.files;
      for (const page of truth.pages) {
        expect(files).toContain(page.file);
        const size = await deliveredSize(dir, page.file, page.filePage);
        expect([size.width, size.height]).toEqual([page.width, page.height]);
        const boxes = [...page.lines.map((l) => l.box), ...truth.entries.flatMap((e) => Object.values(e.fields).filter((f) => f.page === page.index).map((f) => f.box))];
        for (const [x, y, w, h] of boxes) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(y).toBeGreaterThanOrEqual(0);
          expect(w).toBeGreaterThan(0);
          expect(h).toBeGreaterThan(0);
          expect(x + w).toBeLessThanOrEqual(size.width);
          expect(y + h).toBeLessThanOrEqual(size.height);
        }
      }
    }
  });

  it('gives ID numbers that agree with sex and year of birth, and only where the era had them', () => {
    for (const { e, type } of allEntries()) {
      const reg = yearOf(e.fields.registrationDate!.value);
      const people = type === 'marriage'
        ? (['husband', 'wife'] as const).map((who) => ({ id: e.fields[`${who}IdNumber`]?.value, sex: who === 'husband' ? 'male' : 'female', born: e.fields[`${who}BirthDate`]?.value }))
        : [{ id: e.fields.idNumber?.value, sex: e.fields.sex?.value, born: e.fields.birthDate?.value }];
      for (const p of people) {
        if (!p.id) continue;
        if (p.id.length === 12) {
          expect(reg, e.key).toBeGreaterThanOrEqual(2016);
          expect(decodePersonalId(p.id), e.key).toMatchObject({ sex: p.sex, birthYear: yearOf(p.born!) });
        } else {
          expect(type).toBe('marriage');
          expect(reg).toBeGreaterThanOrEqual(1980);
          expect(reg).toBeLessThanOrEqual(2015);
        }
      }
    }
  });

  it('keeps dates consistent: events before registration, parents 18–45 at the birth, entry numbers rising', () => {
    for (const { e, type } of allEntries()) {
      if (e.struck) continue;
      const reg = e.fields.registrationDate!.value;
      const f = (k: string) => e.fields[k]?.value;
      const notCorrected = !e.notes.some((n) => n.field === 'birthDate');
      if (type === 'birth' && notCorrected) expect(f('birthDate')! <= reg, e.key).toBe(true);
      if (type === 'death') {
        expect(f('deathDate')! <= reg, e.key).toBe(true);
        expect(yearOf(f('birthDate')!)).toBeLessThanOrEqual(yearOf(f('deathDate')!));
      }
      if (type === 'birth') {
        const born = yearOf(f('birthDate')!);
        const ages = (e.parentAges ?? {}) as Record<string, number>;
        for (const who of ['mother', 'father']) {
          const age = f(`${who}BirthYear`) ? born - Number(f(`${who}BirthYear`)) : ages[who];
          if (age === undefined) continue;
          expect(age, `${e.key} ${who}`).toBeGreaterThanOrEqual(18);
          expect(age, `${e.key} ${who}`).toBeLessThanOrEqual(45);
        }
      }
      if (type === 'marriage') for (const who of ['husband', 'wife']) expect(yearOf(reg) - yearOf(f(`${who}BirthDate`)!)).toBeGreaterThanOrEqual(18);
    }
    for (const truth of corpus.truths.values()) {
      const order = truth.entries.map((e) => e.year * 10_000 + e.entryNo);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(new Set(order).size).toBe(order.length);
    }
  });

  it('writes all truth text in NFC', () => {
    for (const truth of corpus.truths.values()) for (const [path, s] of stringsOf(truth)) expect(s, path).toBe(s.normalize('NFC'));
  });
});
