import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { runCorpus } from '../../src/eval/run.ts';
import { SILENT_PROGRESS } from '../../src/pipeline/settle.ts';
import { generateCorpus } from '../../src/samples/generate.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';

/**
 * A form of 2006–2015 printed by machine and one filled by hand, generated, cleaned, read and extracted by the real
 * pipeline: the hand-filled page's values go to people as hand-written (src/extract/handwriting.ts), the printed
 * page's do not.
 */
describe('hand-written values on forms read by the pipeline', () => {
  let dir: string;
  let p: TestPipeline;
  const reasons = new Map<string, string[][]>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-hand-'));
    p = await startTestPipeline({ workers: true });
    // two seeds: one seed gives both corpora the same office and book, and the second page would join the first's book
    for (const [fill, seed] of [['printed', 2911], ['hand', 2912]] as const) {
      await generateCorpus({ out: join(dir, fill), books: 1, seed, profile: 'clean', eras: ['2006-2015'], fills: [fill], pagesPerBook: [1, 1] });
      await runCorpus(p, await loadCorpus(join(dir, fill)), SILENT_PROGRESS);
      const rows = await p.services.db.query<{ reasons: string[] }>(
        `select f.reasons from entry_field f where f.page_id = (select max(id) from page) and f.field <> 'entryNo' and f.value is not null`);
      reasons.set(fill, rows.map((r) => r.reasons));
    }
  }, 180_000);
  afterAll(async () => {
    await p?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds every value read on the hand-filled form as hand-written, none of the printed form', () => {
    expect(reasons.get('printed')!.length).toBeGreaterThan(5);
    expect(reasons.get('hand')!.length).toBeGreaterThan(5);
    expect(reasons.get('printed')!.filter((r) => r.includes('handwritten'))).toEqual([]);
    expect(reasons.get('hand')!.filter((r) => !r.includes('handwritten'))).toEqual([]);
  });
});
