import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestBook } from '../../schemas/corpus.ts';
import { bookForFiles, type BookKey } from '../../src/db/books.ts';
import { bookKeyFor } from '../../src/eval/run.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';

const book = (id: string, bookNo: string, years: number[]): ManifestBook => ({ id, registerType: 'birth', era: '1961-1998', office: 'HBT', bookNo, years, files: [`${id}.png`] });

// The eval hands each corpus book to civreg as its own book: two books civreg would take for one ("2" and "02" of a
// year) or ask about (a book without a year beside one with it) must not be merged or stop the run.
describe('eval book keys', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
  });
  afterAll(async () => {
    await p.close();
  });

  it('gives every corpus book a book of its own, renaming only those civreg would match to an earlier one', async () => {
    const corpus = [book('a', '2', [2000]), book('b', '02', [2000]), book('c', '002', [2000]), book('d', '2', [2001]), book('e', '7', [1990]), book('f', '07', [1991])];
    const seen: BookKey[] = [];
    const ids: number[] = [];
    for (const b of corpus) ids.push(await p.services.db.transaction((tx) => bookForFiles(tx, bookKeyFor(b, seen))));
    expect(new Set(ids).size).toBe(corpus.length);
    // another year is another book: kept as numbered
    expect(seen.map((k) => k.bookNo)).toEqual(['2', '02 (b)', '002 (c)', '2', '7', '07']);
  });

  it('never asks about a book without a year beside one with it', async () => {
    const noYear = { ...book('g', '5', [1980]), years: [] as unknown as number[] };
    const seen: BookKey[] = [];
    const ids: number[] = [];
    for (const b of [noYear, book('h', '05', [1980]), book('i', '5', [1981])]) ids.push(await p.services.db.transaction((tx) => bookForFiles(tx, bookKeyFor(b, seen))));
    expect(new Set(ids).size).toBe(3);
    expect(seen.map((k) => [k.bookNo, k.yearFrom])).toEqual([['5', null], ['05 (h)', 1980], ['5 (i)', 1981]]);
  });
});
