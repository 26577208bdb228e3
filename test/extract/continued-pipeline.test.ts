import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, type Corpus } from '../../src/eval/corpus.ts';
import { scoreExtraction } from '../../src/eval/metrics/extraction.ts';
import { runCorpus, type CorpusRun } from '../../src/eval/run.ts';
import { SILENT_PROGRESS } from '../../src/pipeline/settle.ts';
import { generateCorpus } from '../../src/samples/generate.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';

/**
 * A generated two-page form book whose third entry begins at the foot of page 1 and ends at the top of
 * page 2, through the real pipeline (both pages read by concurrent workers), scored by the eval.
 */
describe('an entry continued on the next page, through the real pipeline and the eval', () => {
  let dir: string;
  let p: TestPipeline;
  let corpus: Corpus;
  let run: CorpusRun;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-continued-'));
    await generateCorpus({ out: dir, books: 1, seed: 1, profile: 'clean', eras: ['1999-2005'], types: ['birth'], pagesPerBook: [2, 2], continuedEntries: 1 });
    corpus = await loadCorpus(dir);
    p = await startTestPipeline({ workers: true });
    run = await runCorpus(p, corpus, SILENT_PROGRESS);
  }, 300_000);
  afterAll(async () => {
    await p?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('joins the two parts into one entry with both pages, and the eval counts it joined', () => {
    const [{ book, truth }] = corpus.books as [Corpus['books'][number]];
    const continued = truth.entries.find((e) => e.pages.length > 1)!;
    const scored = scoreExtraction([{ id: book.id, era: book.era, truth }], run.entries);
    expect(scored.entries.continued).toEqual({ truth: 1, joined: 1 });
    const stored = run.entries.find((e) => e.year === continued.year && e.entryNo === continued.entryNo)!;
    expect(stored.pages).toEqual([0, 1]);
    // the fields written on page 2 were read there and belong to the entry begun on page 1
    const fromPage2 = Object.entries(continued.fields).filter(([, f]) => f.page === 1).map(([name]) => name);
    const read = fromPage2.filter((name) => stored.fields[name]?.value != null);
    expect(read.length).toBeGreaterThan(fromPage2.length * 0.8);
    // nothing of page 2's top became an entry of its own
    expect(run.entries.filter((e) => e.entryNo === null)).toEqual([]);
  });
});
