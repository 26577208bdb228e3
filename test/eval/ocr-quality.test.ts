import { describe, expect, it } from 'vitest';
import type { Corpus } from '../../src/eval/corpus.ts';
import { measureOcr } from '../../src/eval/ocr-quality.ts';
import { formatReport, type EvalReport } from '../../src/eval/report.ts';
import type { CorpusRun, OcrText, ProcessedPage } from '../../src/eval/run.ts';
import { mapBoxToOriginal, type CleanTransform } from '../../src/imaging/transform.ts';

/**
 * A delivered image 1000×600 holding a page turned 90° anticlockwise: the text line reads bottom to top
 * on it. Cleanup turned it back (rotate 90); OCR read the upright page perfectly. Judged on the delivered
 * image in x (then y) order, the words would come out reversed.
 */
const SIZE = { width: 1000, height: 600 };
const TRANSFORM: CleanTransform = { rotate: 90, skewDeg: 0, crop: [0, 0, 600, 1000], scale: 1 };
const WORDS: OcrText[] = [
  { text: 'Nguyễn', confidence: 0.95, box: [100, 200, 140, 40] },
  { text: 'Thị', confidence: 0.95, box: [250, 200, 60, 40] },
  { text: 'Hoa', confidence: 0.95, box: [320, 200, 80, 40] },
];

function corpusWith(line: { text: string; box: [number, number, number, number] }): Corpus {
  return {
    dir: '/nowhere',
    manifest: { version: 1, books: [] },
    books: [{
      book: { id: 'b01', registerType: 'birth', era: '2016-', office: 'X', bookNo: '01', years: [2018], files: ['b01/p.png'] },
      truth: { pages: [{ index: 0, file: 'b01/p.png', filePage: 0, blank: false, lines: [line] }], entries: [], faults: [] },
    }],
    existing: [],
    links: { sameEvent: [] },
  } as unknown as Corpus;
}

function runWith(page: Partial<ProcessedPage>): CorpusRun {
  const processed: ProcessedPage = { pageId: 1, status: 'routed', reason: null, originalSha256: null, ocr: null, cleanFrame: null, ...page };
  return { pages: new Map([['b01/p.png#0', processed]]), seconds: 1, pageCount: 1, entries: [], issues: [] } as unknown as CorpusRun;
}

describe('measureOcr', () => {
  it('judges a page that cleanup turned upright in its reading direction: a perfect reading scores 0', async () => {
    // The truth line on the delivered (sideways) image: a tall box.
    const truthBox = mapBoxToOriginal([100, 200, 300, 40], TRANSFORM, SIZE);
    expect(truthBox[3]).toBeGreaterThan(truthBox[2]);
    const corpus = corpusWith({ text: 'Nguyễn Thị Hoa', box: truthBox });
    const onOriginal = WORDS.map((w) => ({ ...w, box: mapBoxToOriginal(w.box, TRANSFORM, SIZE) }));
    const report = await measureOcr(corpus, runWith({ ocr: { lines: [], words: onOriginal }, cleanFrame: { transform: TRANSFORM, size: SIZE, words: WORDS } }), null);
    expect(report.cer).toBe(0);
    expect(report.wer).toBe(0);
  });

  it('counts a page the gate sent back as unread, and reports the gate', async () => {
    const corpus = corpusWith({ text: 'Nguyễn Thị Hoa', box: [100, 200, 300, 40] });
    const report = await measureOcr(corpus, runWith({ status: 'needs_rescan', reason: 'blurred' }), null);
    expect(report.cer).toBe(1);
    expect(report.gate).toEqual({ needsRescan: 1, blank: 0, reasons: { blurred: 1 } });
  });

  it('judges a file delivered twice (same bytes, one upload read) on its first copy\'s reading, and its gate verdict once', async () => {
    const line = { text: 'Nguyễn Thị Hoa', box: [100, 200, 300, 40] as [number, number, number, number] };
    const corpus = corpusWith(line);
    const book = corpus.books[0]!;
    book.book.files.push('b01/q.png');
    book.truth.pages.push({ ...book.truth.pages[0]!, index: 1, file: 'b01/q.png' });
    const words = [{ text: 'Nguyễn', confidence: 0.9, box: [100, 200, 120, 40] }, { text: 'Thị', confidence: 0.9, box: [230, 200, 60, 40] }, { text: 'Hoa', confidence: 0.9, box: [300, 200, 100, 40] }] as OcrText[];
    const run = runWith({ ocr: { lines: [], words }, cleanFrame: { transform: { rotate: 0, skewDeg: 0, crop: [0, 0, 1000, 1000], scale: 1 }, size: { width: 1000, height: 1000 }, words } });
    // without the twin, the second file's page is a page lost: half the text deleted
    expect((await measureOcr(corpus, run, null)).cer).toBe(0.5);
    const report = await measureOcr(corpus, { ...run, sameFiles: new Map([['b01/q.png', 'b01/p.png']]) }, null);
    expect(report.cer).toBe(0);
    expect(report.byEra['2016-']!.pages).toBe(2);
    const sentBack = runWith({ status: 'needs_rescan', reason: 'blurred' });
    expect((await measureOcr(corpus, { ...sentBack, sameFiles: new Map([['b01/q.png', 'b01/p.png']]) }, null)).gate).toEqual({ needsRescan: 1, blank: 0, reasons: { blurred: 1 } });
  });

  it('splits CER by era × fill and by resolution band: a typed book at 300 dpi is not mixed with a hand-written one at 200', async () => {
    const line = (text: string) => ({ text, box: [100, 200, 300, 40] as [number, number, number, number] });
    const corpus = {
      dir: '/nowhere',
      manifest: { version: 1, books: [] },
      books: [
        { book: { id: 't', registerType: 'birth', era: '1999-2005', office: 'X', bookNo: '1', years: [2001], files: ['t/p.png'], fill: 'typed', dpi: 300 },
          truth: { pages: [{ index: 0, file: 't/p.png', filePage: 0, blank: false, dpi: 300, lines: [line('Nguyễn Thị Hoa')] }], entries: [], faults: [] } },
        { book: { id: 'h', registerType: 'birth', era: '1999-2005', office: 'X', bookNo: '2', years: [2001], files: ['h/p.png'], fill: 'hand', dpi: 200 },
          truth: { pages: [{ index: 0, file: 'h/p.png', filePage: 0, blank: false, dpi: 200, lines: [line('Lê Văn Ba')] }], entries: [], faults: [] } },
        // No fill and no dpi in the corpus: its own cells, never counted as typed or as ≥ 300 dpi.
        { book: { id: 'u', registerType: 'death', era: '2006-2015', office: 'X', bookNo: '3', years: [2010], files: ['u/p.png'] },
          truth: { pages: [{ index: 0, file: 'u/p.png', filePage: 0, blank: false, lines: [line('Trần An')] }], entries: [], faults: [] } },
      ],
      existing: [],
      links: { sameEvent: [] },
    } as unknown as Corpus;
    const read = (text: string): ProcessedPage => ({ pageId: 1, status: 'routed', reason: null, originalSha256: null, ocr: { lines: [], words: [{ text, confidence: 0.9, box: [100, 200, 300, 40] }] }, cleanFrame: null });
    const run = { pages: new Map([['t/p.png#0', read('Nguyễn Thị Hoa')], ['h/p.png#0', read('Lê Vn Bà')], ['u/p.png#0', read('Trần An')]]), seconds: 1, pageCount: 3, entries: [], issues: [] } as unknown as CorpusRun;
    const ocr = await measureOcr(corpus, run, null);
    // The era mixes both books (2 errors in 23 graphemes); by fill the typed book reads perfectly.
    expect(ocr.byEra['1999-2005']!.cer).toBeCloseTo(2 / 23, 6);
    expect(ocr.byEraFill['1999-2005']!.typed).toEqual({ cer: 0, cerRawImage: null, pages: 1, byDpi: { '>=300': { cer: 0, cerRawImage: null, pages: 1 } } });
    expect(ocr.byEraFill['1999-2005']!.hand!.cer).toBeCloseTo(2 / 9, 6);
    expect(ocr.byEraFill['1999-2005']!.hand!.byDpi).toEqual({ '<300': { cer: 2 / 9, cerRawImage: null, pages: 1 } });
    expect(ocr.byEraFill['2006-2015']).toEqual({ unknown: { cer: 0, cerRawImage: null, pages: 1, byDpi: { unknown: { cer: 0, cerRawImage: null, pages: 1 } } } });
    expect(Object.keys(ocr.byFill).sort()).toEqual(['hand', 'typed', 'unknown']);
    expect(ocr.byDpi).toEqual({ '<300': { cer: 2 / 9, cerRawImage: null, pages: 1 }, '>=300': { cer: 0, cerRawImage: null, pages: 1 }, unknown: { cer: 0, cerRawImage: null, pages: 1 } });
    // The text report has a row per era and fill with the bands.
    const text = formatReport({ corpus: { books: 3, pages: 3, entries: 0, fields: 0, profile: null, seed: null }, ocr, entries: { truth: 0, found: null, precision: null, recall: null },
      notes: { truth: 0, read: 0, recall: null }, changes: { truth: 0 }, fields: { byCriticalKind: {}, byEra: {}, byFill: {} }, book: { pagesWithoutEntries: 0 }, match: { truePairs: 0 },
      timing: { pages: 3, seconds: 1, pagesPerMinute: 180 }, lookup: null } as unknown as EvalReport);
    expect(text).toMatch(/^ {2}1999-2005 typed +0\.00% \(1 p\.\) +0\.00% \(1 p\.\) +— +—$/m);
    expect(text).toMatch(/^ {2}1999-2005 hand +22\.22% \(1 p\.\) +— +22\.22% \(1 p\.\) +—$/m);
    expect(text).toMatch(/^ {2}typed, all eras +0\.00% \(1 p\.\)/m);
  });
});
