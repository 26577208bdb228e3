import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, type Corpus } from '../../src/eval/corpus.ts';
import { scoreChanges } from '../../src/eval/metrics/extraction.ts';
import { extractionAfterReview, runCorpus, type CorpusRun } from '../../src/eval/run.ts';
import { settleReviewToTruth } from '../../src/eval/settle.ts';
import { SILENT_PROGRESS } from '../../src/pipeline/settle.ts';
import { generateCorpus } from '../../src/samples/generate.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';

/**
 * A generated register of changes (a computer-printed page of 2016-) and the two birth books its entries refer
 * to, one page each, through the real pipeline: the change entries are read with their own layout and become
 * events on the birth entries they change.
 */
describe('a register of changes through the real pipeline', () => {
  let dir: string;
  let p: TestPipeline;
  let corpus: Corpus;
  let run: CorpusRun;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-changes-'));
    // no audit sample: its 2 % of fields, picked by id (which follows the workers' order), would now and then hold a
    // field of a change entry and leave the change for a person, failing the first check below by chance
    p = await startTestPipeline({ workers: true, env: { CIVREG_AUDIT_RATE: '0' } });
    // seed 8 plans the two birth books first, then the register of changes referring to their entries
    await generateCorpus({ out: dir, books: 3, seed: 8, profile: 'clean', eras: ['2016-'], types: ['birth', 'change'], pagesPerBook: [1, 1] });
    corpus = await loadCorpus(dir);
    run = await runCorpus(p, corpus, SILENT_PROGRESS);
  }, 300_000);
  afterAll(async () => {
    await p?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const books = () => corpus.books.map(({ book, truth }) => ({ id: book.id, truth }));

  it('reads the change entries and makes no wrong event; once review is settled every change is on its original', async () => {
    expect(corpus.books.map(({ book }) => book.registerType)).toEqual(['birth', 'birth', 'change']);
    const changeBook = corpus.books[2]!.book.id;
    const read = run.entries.filter((e) => e.book === changeBook && !e.struck);
    expect(read.length).toBe(corpus.books[2]!.truth.entries.filter((e) => !e.struck).length);
    for (const entry of read) expect(entry.fields.refEntryNo?.value, 'the reference is read').toMatch(/^\d+$/);

    const before = scoreChanges(books(), run.entries);
    expect(before.withOriginal).toBe(2);
    expect(before.wrong).toBe(0);
    // on printed pages the machine ties a change to its original without a person
    expect(before.right).toBeGreaterThanOrEqual(1);

    await settleReviewToTruth(p.services.db, corpus, run);
    const after = scoreChanges(books(), (await extractionAfterReview(p.services.db, corpus, run)).entries);
    expect(after).toMatchObject({ right: 2, wrong: 0, unresolved: 0 });
  });
});
