import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCriticalField } from '../../schemas/corpus.ts';
import { loadCorpus, type Corpus } from '../../src/eval/corpus.ts';
import { scoreExtraction } from '../../src/eval/metrics/extraction.ts';
import { runCorpus, type CorpusRun } from '../../src/eval/run.ts';
import { SILENT_PROGRESS } from '../../src/pipeline/settle.ts';
import { generateCorpus } from '../../src/samples/generate.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';

/**
 * Generated pages of a printed era and of older hand-filled ones, through the real pipeline (queues,
 * cleanup, OCR, extraction, matching, routing), scored against their truth.
 */
describe('extraction through the real pipeline', () => {
  let dir: string;
  let p: TestPipeline;
  const runs: Record<'printed' | 'older', { corpus: Corpus; run: CorpusRun }> = {} as never;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-eras-'));
    await generateCorpus({ out: join(dir, 'printed'), books: 3, seed: 61, profile: 'clean', eras: ['2016-'], pagesPerBook: [1, 1] });
    await generateCorpus({ out: join(dir, 'older'), books: 2, seed: 62, profile: 'clean', eras: ['1961-1998', '1999-2005'], pagesPerBook: [1, 1] });
    p = await startTestPipeline({ workers: true });
    for (const name of ['printed', 'older'] as const) {
      const corpus = await loadCorpus(join(dir, name));
      runs[name] = { corpus, run: await runCorpus(p, corpus, SILENT_PROGRESS) };
    }
  }, 300_000);
  afterAll(async () => {
    await p?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const score = (name: 'printed' | 'older') =>
    scoreExtraction(runs[name].corpus.books.map(({ book, truth }) => ({ id: book.id, era: book.era, truth })), runs[name].run.entries);

  it('finds every entry of computer-printed pages, reads their fields and accepts most of them without error', () => {
    const { entries, fields } = score('printed');
    expect(entries.recall).toBe(1);
    expect(fields.machineAccuracy).toBeGreaterThan(0.9);
    expect(fields.autoAcceptRate).toBeGreaterThan(0.6);
    for (const [name, field] of Object.entries(fields.byField)) {
      if (isCriticalField(name)) expect(field.autoAcceptedErrorRate ?? 0, name).toBe(0);
    }
  });

  it('routes every page of older books and sends what it cannot read surely to people, accepting nothing wrong', () => {
    const { run } = runs.older;
    expect([...run.pages.values()].every((page) => page.status === 'routed')).toBe(true);
    expect(run.entries.length).toBeGreaterThan(0);
    const { fields } = score('older');
    expect(fields.reviewRate).toBeGreaterThan(0.2);
    expect(fields.autoAcceptedErrorRate ?? 0).toBe(0);
  });
});
