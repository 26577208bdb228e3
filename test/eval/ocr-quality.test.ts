import { describe, expect, it } from 'vitest';
import type { Corpus } from '../../src/eval/corpus.ts';
import { measureOcr } from '../../src/eval/ocr-quality.ts';
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
});
