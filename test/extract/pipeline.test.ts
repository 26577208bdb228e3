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
 * One generated page for every era × register type (clean profile), through the real pipeline (queues,
 * cleanup, OCR, extraction, matching, routing), scored against its truth.
 */
const ERAS = ['1956-1960', '1961-1998', '1999-2005', '2006-2015', '2016-'] as const;
type EraName = (typeof ERAS)[number];

describe('extraction through the real pipeline, a page per era and register type', () => {
  let dir: string;
  let p: TestPipeline;
  const runs = {} as Record<EraName, { corpus: Corpus; run: CorpusRun }>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-eras-'));
    p = await startTestPipeline({ workers: true });
    for (const [i, era] of ERAS.entries()) {
      // three books of one era: the generator gives them the three register types in turn
      await generateCorpus({ out: join(dir, String(i)), books: 3, seed: 61 + i, profile: 'clean', eras: [era], pagesPerBook: [1, 1] });
      const corpus = await loadCorpus(join(dir, String(i)));
      runs[era] = { corpus, run: await runCorpus(p, corpus, SILENT_PROGRESS) };
    }
  }, 400_000);
  afterAll(async () => {
    await p?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const score = (era: EraName) =>
    scoreExtraction(runs[era].corpus.books.map(({ book, truth }) => ({ id: book.id, era: book.era, truth })), runs[era].run.entries);

  it('covers the three register types of every era', () => {
    for (const era of ERAS) expect(new Set(runs[era].corpus.books.map(({ book }) => book.registerType)), era).toEqual(new Set(['birth', 'marriage', 'death']));
  });

  it('finds every entry of computer-printed pages, reads their fields and accepts most of them without error', () => {
    const { entries, fields } = score('2016-');
    expect(entries.recall).toBe(1);
    expect(fields.machineAccuracy).toBeGreaterThan(0.9);
    expect(fields.autoAcceptRate).toBeGreaterThan(0.6);
  });

  it('keeps every read page’s fingerprint, so that the book check can tell a page scanned twice by its pixels', async () => {
    const pages = await p.services.db.query<{ fingerprint: Buffer | null }>(`select fingerprint from page where status = 'routed'`);
    expect(pages.length).toBeGreaterThanOrEqual(15);
    expect(pages.every((row) => row.fingerprint !== null && row.fingerprint.length > 4)).toBe(true);
  });

  it('accepts no wrong critical value in any era, and leaves no page without entries unannounced', () => {
    for (const era of ERAS) {
      const { run } = runs[era];
      expect([...run.pages.values()].every((page) => page.status === 'routed'), era).toBe(true);
      for (const [kind, scored] of Object.entries(score(era).fields.byCriticalKind)) expect(scored.autoAcceptedErrorRate ?? 0, `${era} ${kind}`).toBe(0);
      // a page that gave no entry (hand-writing OCR cannot follow) is raised for keying by hand
      const pagesWithEntries = new Set(run.entries.map((e) => `${e.book}#${e.page}`));
      const announced = new Set(run.issues.filter((i) => i.kind === 'page_without_entries').map((i) => `${i.book}#${i.page}`));
      for (const { book, truth } of runs[era].corpus.books) {
        for (const page of truth.pages) expect(pagesWithEntries.has(`${book.id}#${page.index}`) || announced.has(`${book.id}#${page.index}`), `${era} ${book.id} page ${page.index}`).toBe(true);
      }
    }
  });
});
