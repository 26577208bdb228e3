import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Era } from '../../schemas/jobs.ts';
import type { CorpusRegisterType } from '../../schemas/corpus.ts';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { runCorpus } from '../../src/eval/run.ts';
import { extractPageParts } from '../../src/extract/extract.ts';
import { MIN_WORDS, typewrittenValues, type TypingTell } from '../../src/extract/typewriter.ts';
import type { OcrWord } from '../../src/ocr/types.ts';
import { SILENT_PROGRESS } from '../../src/pipeline/settle.ts';
import { generateCorpus } from '../../src/samples/generate.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';

/**
 * A typed and a hand-filled form page, generated, cleaned and read by the real pipeline: the tell, on the
 * words OCR read in their values, calls the first typed and not the second.
 */
describe('the typewriter tell on pages read by the pipeline', () => {
  let dir: string;
  let p: TestPipeline;
  const tells = new Map<string, TypingTell>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-typed-'));
    p = await startTestPipeline({ workers: true });
    for (const fill of ['typed', 'hand'] as const) {
      await generateCorpus({ out: join(dir, fill), books: 1, seed: 2903, profile: 'clean', eras: ['1999-2005'], fills: [fill], pagesPerBook: [1, 1] });
      await runCorpus(p, await loadCorpus(join(dir, fill)), SILENT_PROGRESS);
    }
    const pages = await p.services.db.query<{ words: OcrWord[]; registerType: CorpusRegisterType; era: Era; id: number; yearFrom: number }>(
      `select p.id, o.words, b.register_type as "registerType", b.era, b.year_from as "yearFrom"
         from page p join book b on b.id = p.book_id join page_ocr o on o.page_id = p.id order by p.id`);
    for (const [i, page] of pages.entries()) {
      const { entries } = extractPageParts({ ...page, yearTo: page.yearFrom, width: 0, height: 0 });
      tells.set(i === 0 ? 'typed' : 'hand', typewrittenValues(page.words, entries).tell);
    }
  }, 120_000);
  afterAll(async () => {
    await p?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('tells the typed page typed and the hand-filled page not typed, from enough of its words', () => {
    expect(tells.size).toBe(2);
    expect(tells.get('typed')).toMatchObject({ typing: 'typed' });
    // not typed because its widths are proportional, not undecided for want of words
    expect(tells.get('hand')).toMatchObject({ typing: 'not_typed' });
    expect(tells.get('hand')!.words).toBeGreaterThanOrEqual(MIN_WORDS);
  });
});
