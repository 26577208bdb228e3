import { describe, expect, it } from 'vitest';
import { precisionRecall, ratio, wilson95 } from '../../src/eval/metrics/counts.ts';
import { confidenceBands, judgeOcrWords, pageCharacterErrors, pairLines } from '../../src/eval/metrics/lines.ts';
import type { TextLine } from '../../src/eval/metrics/lines.ts';
import { closurePairs, linkScores } from '../../src/eval/metrics/links.ts';
import { characterErrors, editDistance, editScript, graphemes, normaliseText, wordErrors } from '../../src/eval/metrics/text.ts';

const NGUYEN_NFC = 'Nguy\u1ec5n';
const NGUYEN_NFD = 'Nguye\u0302\u0303n';

describe('normaliseText', () => {
  it('composes to NFC and collapses every run of whitespace', () => {
    const normalised = normaliseText(` ${NGUYEN_NFD} \t Thị\u00a0\nHoa `);
    expect(normalised).toBe(`${NGUYEN_NFC} Thị Hoa`);
    expect(normalised.normalize('NFC')).toBe(normalised);
  });
});

describe('graphemes', () => {
  it('keeps a letter with its vowel and tone marks as one unit, from either normal form', () => {
    expect(graphemes(NGUYEN_NFD)).toEqual(['N', 'g', 'u', 'y', 'ễ', 'n']);
    expect(graphemes(NGUYEN_NFC)).toEqual(['N', 'g', 'u', 'y', 'ễ', 'n']);
  });
});

describe('editDistance', () => {
  it('counts substitutions, insertions and deletions', () => {
    expect(editDistance([...'kitten'], [...'sitting'])).toBe(3); // k→s, e→i, +g
    expect(editDistance([1, 2, 3, 4], [1, 3, 4])).toBe(1);
    expect(editDistance([1, 3, 4], [1, 2, 3, 4])).toBe(1);
  });

  it('is the other length against an empty sequence and 0 for equal ones', () => {
    expect(editDistance([], ['a', 'b', 'c'])).toBe(3);
    expect(editDistance(['a', 'b', 'c'], [])).toBe(3);
    expect(editDistance(['a', 'b'], ['a', 'b'])).toBe(0);
  });

  it('is symmetric when the shorter sequence comes first', () => {
    const a = [...'Nguyễn Thị Hoa'];
    const b = [...'Ngyen Thi Hoa Bình'];
    expect(editDistance(a, b)).toBe(editDistance(b, a));
  });
});

describe('editScript', () => {
  it('aligns truth words with OCR words: matches, substitutions, insertions and deletions in place', () => {
    expect(editScript(['Nguyễn', 'Thị', 'Hoa'], ['Nguyen', 'Thi', 'Hoa', '.'])).toEqual([
      { op: 'substitute', a: 0, b: 0 },
      { op: 'substitute', a: 1, b: 1 },
      { op: 'match', a: 2, b: 2 },
      { op: 'insert', b: 3 },
    ]);
    expect(editScript(['Số', '52', 'phố'], ['Số', 'phố'])).toEqual([
      { op: 'match', a: 0, b: 0 },
      { op: 'delete', a: 1 },
      { op: 'match', a: 2, b: 1 },
    ]);
  });

  it('prefers the equal-cost alignment with more matches (a swapped pair keeps one match)', () => {
    const steps = editScript(['x', 'y'], ['y', 'x']);
    expect(steps.filter((step) => step.op !== 'match')).toHaveLength(2);
    expect(steps.filter((step) => step.op === 'match')).toHaveLength(1);
  });
});

describe('characterErrors', () => {
  it('counts a lost tone mark as one error in six graphemes', () => {
    const result = characterErrors(NGUYEN_NFC, 'Nguyen');
    expect(result).toEqual({ errors: 1, length: 6 });
    expect(result.errors / result.length).toBe(1 / 6);
  });

  it('sees no error between decomposed (NFD) and composed (NFC) text', () => {
    expect(NGUYEN_NFD).not.toBe(NGUYEN_NFC);
    expect(characterErrors(NGUYEN_NFC, NGUYEN_NFD)).toEqual({ errors: 0, length: 6 });
  });

  it('counts a grave accent on another vowel as two errors', () => {
    // "Hoà" = H, o, à and "Hòa" = H, ò, a: same length, graphemes 2 and 3 both differ, and no
    // alignment with an insertion and a deletion is cheaper, so 2 substitutions in 3 graphemes.
    expect(characterErrors('Hoà', 'Hòa')).toEqual({ errors: 2, length: 3 });
  });

  it('counts every OCR grapheme against an empty truth, which has length 0', () => {
    expect(characterErrors('', 'abc')).toEqual({ errors: 3, length: 0 });
    expect(characterErrors('', '')).toEqual({ errors: 0, length: 0 });
  });

  it('counts one insertion, one deletion, one substitution', () => {
    expect(characterErrors('Thị', 'Thịi')).toEqual({ errors: 1, length: 3 });
    expect(characterErrors('Trưng', 'Trưg')).toEqual({ errors: 1, length: 5 });
    expect(characterErrors('Bình', 'Binh')).toEqual({ errors: 1, length: 4 });
  });

  it('ignores layout whitespace but counts a space as a grapheme', () => {
    // ạ→a, ă→a, an extra "y"; the doubled space and tab are not errors.
    expect(characterErrors('Phạm Văn Huy', ' Pham  Van\tHuyy')).toEqual({ errors: 3, length: 12 });
    expect(characterErrors('Hà Nội', 'HàNội')).toEqual({ errors: 1, length: 6 });
  });
});

describe('wordErrors', () => {
  it('counts substituted and inserted words against the truth word count', () => {
    // "Nguyen" and "ngay" substituted, "." inserted: 3 errors over 6 truth words.
    expect(wordErrors(`${NGUYEN_NFC} Thị Hoa sinh ngày 15/03/1962`, 'Nguyen Thị Hoa sinh ngay 15/03/1962 .')).toEqual({ errors: 3, length: 6 });
  });

  it('counts a missing word once and compares words after NFC', () => {
    expect(wordErrors('Số 52 phố Ngô', 'Số phố Ngô')).toEqual({ errors: 1, length: 4 });
    expect(wordErrors(`${NGUYEN_NFC} Văn An`, `${NGUYEN_NFD} Văn An`)).toEqual({ errors: 0, length: 3 });
  });
});

/**
 * A page of three truth rows; the OCR comes in another order, reads row 2 as two halves (given right
 * half first), misses row 1 entirely, drops a letter in row 3 and adds a speck of noise.
 */
const T1: TextLine = { text: `Họ và tên: ${NGUYEN_NFC} Văn An`, box: [100, 100, 800, 40] }; // 24 graphemes, 6 words
const T2: TextLine = { text: 'Ngày sinh: 15/03/1962', box: [100, 200, 600, 40] }; // 21 graphemes, 3 words
const T3: TextLine = { text: 'Nơi sinh: Hà Nội', box: [100, 300, 500, 40] }; // 16 graphemes, 4 words
const ROW3: TextLine = { text: 'Nơi sinh: Hà Nộ', box: [105, 302, 480, 36] };
const NOISE: TextLine = { text: '~~', box: [1000, 500, 60, 20] };
const ROW2_RIGHT: TextLine = { text: '15/03/1962', box: [400, 198, 290, 42] };
const ROW2_LEFT: TextLine = { text: 'Ngày sinh:', box: [102, 201, 250, 38] };

describe('pairLines', () => {
  it('pairs by position, joins a split row in x order, and leaves noise and missed rows unmatched', () => {
    const result = pairLines([T1, T2, T3], [ROW3, NOISE, ROW2_RIGHT, ROW2_LEFT]);
    expect(result.pairs).toEqual([
      { truth: T2, ocr: [ROW2_LEFT, ROW2_RIGHT] },
      { truth: T3, ocr: [ROW3] },
    ]);
    expect(result.unmatchedTruth).toEqual([T1]);
    expect(result.unmatchedOcr).toEqual([NOISE]);
  });

  it('gives an OCR line that merges table cells to the cell it covers most; OCR words avoid that', () => {
    const cells: TextLine[] = [
      { text: '31', box: [98, 237, 27, 23] },
      { text: 'Nguyễn Thị Lụa', box: [151, 235, 155, 40] },
      { text: 'Nữ', box: [353, 246, 34, 25] },
    ];
    const merged: TextLine = { text: '31 Nguyễn Thị Lụa Nữ', box: [96, 233, 295, 42] };
    const byLine = pairLines(cells, [merged]);
    expect(byLine.pairs).toEqual([{ truth: cells[1], ocr: [merged] }]);
    expect(byLine.unmatchedTruth).toEqual([cells[0], cells[2]]);
    // Pair: "31 " and " Nữ" inserted (6); "31" and "Nữ" deleted (2 + 2). Truth length 2 + 14 + 2.
    expect(pageCharacterErrors(cells, [merged])).toMatchObject({ errors: 10, length: 18 });

    const words: TextLine[] = [
      { text: 'Nữ', box: [352, 245, 36, 26] },
      { text: '31', box: [96, 236, 28, 24] },
      { text: 'Lụa', box: [272, 240, 34, 34] },
      { text: 'Nguyễn', box: [150, 236, 80, 38] },
      { text: 'Thị', box: [236, 236, 30, 38] },
    ];
    expect(pageCharacterErrors(cells, words)).toEqual({ errors: 0, length: 18, wordErrors: 0, words: 5 });
  });

  it('returns nothing to pair on an empty page', () => {
    expect(pairLines([], [])).toEqual({ pairs: [], unmatchedTruth: [], unmatchedOcr: [] });
  });

  it('refuses a box with a negative size', () => {
    expect(() => pairLines([{ text: 'x', box: [0, 0, -5, 10] }], [])).toThrow(RangeError);
  });
});

describe('pageCharacterErrors', () => {
  it('adds paired errors, deleted truth rows and inserted noise into page totals', () => {
    // Row 1 missed: 24 deleted graphemes, 6 deleted words. Row 2 halves joined in x order: exact.
    // Row 3: "Nộ" for "Nội", 1 grapheme, 1 word. Noise "~~": 2 inserted graphemes, 1 inserted word.
    // errors = 24 + 0 + 1 + 2 = 27 over 24 + 21 + 16 = 61; word errors 6 + 0 + 1 + 1 = 8 over 6 + 3 + 4 = 13.
    expect(pageCharacterErrors([T1, T2, T3], [ROW3, NOISE, ROW2_RIGHT, ROW2_LEFT])).toEqual({ errors: 27, length: 61, wordErrors: 8, words: 13 });
  });

  it('counts OCR text on a page without truth lines as errors over length 0', () => {
    expect(pageCharacterErrors([], [NOISE])).toEqual({ errors: 2, length: 0, wordErrors: 1, words: 0 });
  });
});

describe('judgeOcrWords', () => {
  it('marks aligned equal words correct and substituted, inserted, off-line and empty words wrong', () => {
    const ocrWords = [
      { text: 'An', confidence: 0.88, box: [560, 102, 40, 36] },
      { text: 'Nguyen', confidence: 0.41, box: [330, 102, 120, 36] }, // substituted for Nguyễn
      { text: 'Họ', confidence: 0.95, box: [100, 102, 40, 36] },
      { text: 'tên:', confidence: 0.83, box: [210, 102, 80, 36] },
      { text: 'và', confidence: 0.9, box: [150, 102, 40, 36] },
      { text: 'Văn', confidence: 0.92, box: [470, 102, 70, 36] },
      { text: ',', confidence: 0.2, box: [610, 110, 10, 20] }, // inserted inside row 1
      { text: 'Ngày', confidence: 0.97, box: [100, 202, 80, 36] },
      { text: 'sinh:', confidence: 0.6, box: [190, 202, 90, 36] },
      { text: '15/03/1962', confidence: 0.75, box: [300, 202, 200, 36] },
      { text: '~~', confidence: 0.15, box: [1000, 500, 60, 20] }, // on no truth line
      { text: '', confidence: 0.5, box: [650, 202, 10, 36] },
    ] satisfies Array<{ text: string; confidence: number; box: [number, number, number, number] }>;
    expect(judgeOcrWords([T1, T2], ocrWords)).toEqual([
      { confidence: 0.88, correct: true },
      { confidence: 0.41, correct: false },
      { confidence: 0.95, correct: true },
      { confidence: 0.83, correct: true },
      { confidence: 0.9, correct: true },
      { confidence: 0.92, correct: true },
      { confidence: 0.2, correct: false },
      { confidence: 0.97, correct: true },
      { confidence: 0.6, correct: true },
      { confidence: 0.75, correct: true },
      { confidence: 0.15, correct: false },
      { confidence: 0.5, correct: false },
    ]);
  });
});

describe('confidenceBands', () => {
  const empty = (from: number, to: number) => ({ from, to, words: 0, errorRate: null });

  it('gives the error rate per tenth, with 0.3 in [0.3, 0.4), 1 in [0.9, 1] and empty bands null', () => {
    const judged = [
      { confidence: 0.05, correct: true },
      { confidence: 0.05, correct: false },
      { confidence: 0.15, correct: false },
      { confidence: 0.3, correct: true },
      { confidence: 0.9, correct: true },
      { confidence: 0.95, correct: true },
      { confidence: 1, correct: false },
    ];
    expect(confidenceBands(judged)).toEqual([
      { from: 0, to: 0.1, words: 2, errorRate: 0.5 },
      { from: 0.1, to: 0.2, words: 1, errorRate: 1 },
      empty(0.2, 0.3),
      { from: 0.3, to: 0.4, words: 1, errorRate: 0 },
      empty(0.4, 0.5),
      empty(0.5, 0.6),
      empty(0.6, 0.7),
      empty(0.7, 0.8),
      empty(0.8, 0.9),
      { from: 0.9, to: 1, words: 3, errorRate: 1 / 3 },
    ]);
  });

  it('takes another band width', () => {
    expect(confidenceBands([{ confidence: 0.5, correct: false }], 0.5)).toEqual([empty(0, 0.5), { from: 0.5, to: 1, words: 1, errorRate: 1 }]);
  });

  it('refuses a confidence outside 0..1', () => {
    expect(() => confidenceBands([{ confidence: 1.2, correct: true }])).toThrow(RangeError);
    expect(() => confidenceBands([{ confidence: Number.NaN, correct: true }])).toThrow(RangeError);
  });
});

describe('wilson95', () => {
  it('gives 0.0370 as the upper bound for no error in 100', () => {
    // z² = 1.959964² = 3.841459; high = (z²/n) / (1 + z²/n) = 0.0384146 / 1.0384146 = 0.036993.
    const { low, high } = wilson95(0, 100);
    expect(low).toBe(0);
    expect(high).toBeCloseTo(0.037, 4);
  });

  it('gives [0.00102, 0.00878] for 3 in 1000', () => {
    // centre = (0.003 + z²/2000) / (1 + z²/1000) = 0.0049207 / 1.0038415 = 0.0049019;
    // half = z·√(0.003·0.997/1000 + z²/4e6) / 1.0038415 = 1.959964 · 0.0019878 / 1.0038415 = 0.0038811.
    const { low, high } = wilson95(3, 1000);
    expect(low).toBeCloseTo(0.00102, 5);
    expect(high).toBeCloseTo(0.00878, 5);
  });

  it('knows nothing from no trials and reaches 1 when every trial succeeds', () => {
    expect(wilson95(0, 0)).toEqual({ low: 0, high: 1 });
    expect(wilson95(5, 5).high).toBe(1);
  });

  it('refuses k above n and non-integer counts', () => {
    expect(() => wilson95(2, 1)).toThrow(RangeError);
    expect(() => wilson95(0.5, 10)).toThrow(RangeError);
  });
});

describe('ratio', () => {
  it('is null over nothing, never a made-up number', () => {
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(0, 0)).toBeNull();
  });
});

describe('precisionRecall', () => {
  it('computes precision, recall and their harmonic mean', () => {
    expect(precisionRecall(3, 4, 6)).toEqual({ precision: 0.75, recall: 0.5, f1: 0.6 });
  });

  it('leaves a rate without denominator null and F1 at 0 when nothing was found', () => {
    expect(precisionRecall(0, 0, 5)).toEqual({ precision: null, recall: 0, f1: 0 });
    expect(precisionRecall(0, 0, 0)).toEqual({ precision: null, recall: null, f1: null });
  });

  it('refuses more true positives than predictions', () => {
    expect(() => precisionRecall(3, 2, 5)).toThrow(RangeError);
  });
});

describe('closurePairs', () => {
  it('closes a chain into every pair of its cluster, canonical and sorted within the pair', () => {
    expect(closurePairs([['scan:b', 'scan:a'], ['scan:b', 'existing:c']])).toEqual(
      new Set(['existing:c|scan:a', 'existing:c|scan:b', 'scan:a|scan:b']),
    );
  });

  it('yields k(k−1)/2 pairs for a cluster of k and none for a self-link', () => {
    const chain = Array.from({ length: 9 }, (_, i): [string, string] => [`r${i}`, `r${i + 1}`]);
    expect(closurePairs(chain).size).toBe(45);
    expect(closurePairs([['a', 'a']]).size).toBe(0);
  });

  it('refuses a reference containing the pair separator', () => {
    expect(() => closurePairs([['a|b', 'c']])).toThrow(RangeError);
  });
});

describe('linkScores', () => {
  it('scores against the closure of a chain: one wrong link and a missing one', () => {
    // Truth a-b, b-c closes to {a|b, a|c, b|c}. Predicted a-b (right), c-d (wrong); b-c missing.
    // Correct 1 of 2 predicted, 1 of 3 true: precision 1/2, recall 1/3, F1 = 2·1/(2+3) = 0.4.
    expect(linkScores([['a', 'b'], ['b', 'c']], [['a', 'b'], ['c', 'd']])).toEqual({
      precision: 0.5,
      recall: 1 / 3,
      f1: 0.4,
      truePairs: 3,
      predictedPairs: 2,
      correctPairs: 1,
    });
  });

  it('closes predicted links too, so a wrong link into a cluster costs every pair it creates', () => {
    // Predicted a-b, b-d closes to {a|b, a|d, b|d}: only a|b is true.
    expect(linkScores([['a', 'b'], ['b', 'c']], [['a', 'b'], ['b', 'd']])).toMatchObject({ precision: 1 / 3, recall: 1 / 3, predictedPairs: 3, correctPairs: 1 });
  });

  it('has no rates when there are neither true nor predicted links', () => {
    expect(linkScores([], [])).toEqual({ precision: null, recall: null, f1: null, truePairs: 0, predictedPairs: 0, correctPairs: 0 });
  });
});
