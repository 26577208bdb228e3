import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Box } from '../../src/imaging/transform.ts';
import { loadCorpus, type Corpus } from '../../src/eval/corpus.ts';
import { runCorpus, type CorpusRun } from '../../src/eval/run.ts';
import { SILENT_PROGRESS } from '../../src/pipeline/settle.ts';
import { generateCorpus } from '../../src/samples/generate.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';

interface PageRowSeen {
  id: number;
  part: number;
  label: string;
  status: string;
  original_sha256: string;
  clean_sha256: string;
  printed_page_no: number | null;
  printed_page_last: number | null;
}

/**
 * Two facing pages of a printed form book photographed as one image, through the real pipeline: the
 * clean stage splits the image into two page rows, each read, extracted and checked as a page of its own.
 */
describe('a spread through the pipeline', () => {
  let dir: string;
  let p: TestPipeline;
  let corpus: Corpus;
  let run: CorpusRun;
  let rows: PageRowSeen[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-spread-pipeline-'));
    await generateCorpus({ out: dir, books: 1, seed: 3, profile: 'clean', eras: ['2016-'], types: ['birth'], pagesPerBook: [2, 2], facingPages: 1 });
    corpus = await loadCorpus(dir);
    p = await startTestPipeline({ workers: true });
    run = await runCorpus(p, corpus, SILENT_PROGRESS);
    rows = await p.services.db.query<PageRowSeen>(
      `select p.id, p.part, p.label, p.status, p.original_sha256, p.clean_sha256, p.printed_page_no, p.printed_page_last
         from page p join upload u on u.id = p.upload_id order by u.seq, p.file_index, p.part`,
    );
  }, 300_000);
  afterAll(async () => {
    await p?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('makes two page rows of the one image, left page first, each with its own clean image and page number', () => {
    const truth = corpus.books[0]!.truth;
    expect(truth.pages).toHaveLength(2);
    expect(truth.pages[0]!.file).toBe(truth.pages[1]!.file);
    expect(rows.map((r) => [r.part, r.label, r.status])).toEqual([
      [0, 'trang 1', 'routed'],
      [1, 'trang 1 (bên phải)', 'routed'],
    ]);
    // One delivered image (one original blob), two clean pages.
    expect(rows[1]!.original_sha256).toBe(rows[0]!.original_sha256);
    expect(rows[1]!.clean_sha256).not.toBe(rows[0]!.clean_sha256);
    // Each row shows the page number printed at its own foot, and only that one.
    const printed = truth.pages.map((page) => Number(page.lines.map((l) => /^Trang (\d+)$/.exec(l.text)?.[1]).find(Boolean)));
    expect(printed[1]).toBe(printed[0]! + 1);
    expect(rows.map((r) => [r.printed_page_no, r.printed_page_last])).toEqual(printed.map((n) => [n, n]));
  });

  it('maps each page row’s OCR words back onto its own half of the delivered image', () => {
    const truth = corpus.books[0]!.truth;
    const [file, filePage] = [truth.pages[0]!.file, truth.pages[0]!.filePage];
    for (const [part, key] of [[0, `${file}#${filePage}`], [1, `${file}#${filePage}/1`]] as const) {
      const words = run.pages.get(key)?.ocr?.words.filter((w) => w.confidence >= 0.6 && w.text.length >= 3) ?? [];
      expect(words.length, key).toBeGreaterThan(50);
      const own = textArea(truth.pages[part]!.lines.map((l) => l.box));
      const other = textArea(truth.pages[1 - part]!.lines.map((l) => l.box));
      const inside = (area: Box, [x, y, w, h]: Box) => x + w / 2 >= area[0] && x + w / 2 <= area[0] + area[2] && y + h / 2 >= area[1] && y + h / 2 <= area[1] + area[3];
      expect(words.filter((w) => inside(own, w.box)).length / words.length, key).toBeGreaterThan(0.97);
      expect(words.filter((w) => inside(other, w.box)), key).toEqual([]);
    }
  });

  it('attributes every entry to the page it is written on, and finds no page missing or repeated', () => {
    const truth = corpus.books[0]!.truth;
    const onPage = (page: number) => truth.entries.filter((e) => e.pages[0] === page).map((e) => e.entryNo);
    expect(onPage(1).length).toBeGreaterThan(0);
    for (const page of [0, 1]) expect(run.entries.filter((e) => e.page === page).map((e) => e.entryNo).sort()).toEqual(onPage(page).sort());
    expect(run.issues.filter((i) => i.kind === 'missing_page' || i.kind === 'duplicate_page')).toEqual([]);
  });
});

/** The bounding box of a truth page's lines, 5 px larger on every side. */
function textArea(boxes: Box[]): Box {
  const left = Math.min(...boxes.map((b) => b[0])) - 5;
  const top = Math.min(...boxes.map((b) => b[1])) - 5;
  const right = Math.max(...boxes.map((b) => b[0] + b[2])) + 5;
  const bottom = Math.max(...boxes.map((b) => b[1] + b[3])) + 5;
  return [left, top, right - left, bottom - top];
}
