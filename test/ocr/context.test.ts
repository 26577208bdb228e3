import { describe, expect, it } from 'vitest';
import type Tesseract from 'tesseract.js';
import { lettersForOnes } from '../../src/ocr/context.ts';
import { flattenBlocks } from '../../src/ocr/words.ts';

describe('lettersForOnes', () => {
  it('reads a figure 1 among a word’s letters as the l a typewriter struck for both', () => {
    expect(lettersForOnes('1inh')).toBe('linh');
    expect(lettersForOnes('1àng,')).toBe('làng,');
    expect(lettersForOnes('K1nh')).toBe('Kinh'); // the typewriter face's i
    expect(lettersForOnes('Ngh1a')).toBe('Nghia');
    expect(lettersForOnes('(1àng,')).toBe('(làng,');
    expect(lettersForOnes('Thu1ý')).toBe('Thu1ý');
  });

  it('keeps figures that are figures: numbers, house numbers, codes, a number glued to a syllable', () => {
    for (const kept of ['1', '11', '1a', '1ê', '1944', '12a', '1b', 'A1', 'P1', 'Q1', '1ngày', '1Nam', '19441inh', '1/1/1990', 'Xóm1', 'Khu1', 'Hà1', 'NGÀY1', '1bis', '1ter', '1kg', '1iter']) expect(lettersForOnes(kept)).toBe(kept);
  });
});

describe('flattenBlocks with context', () => {
  it('reads 1 as l inside words, in words and line text, and drops the 1 from the page’s figures', () => {
    const sym = (text: string, x0: number, y0: number, x1: number, y1: number) => ({ text, bbox: { x0, y0, x1, y1 } });
    const blocks = [{
      paragraphs: [{
        lines: [
          {
            text: 'de 1inh weken,', confidence: 90, bbox: { x0: 0, y0: 540, x1: 700, y1: 580 },
            baseline: { x0: 0, y0: 576, x1: 700, y1: 576 }, rowAttributes: { rowHeight: 38, descenders: 9, ascenders: 9 },
            words: [
              { text: 'de', confidence: 96, bbox: { x0: 0, y0: 547, x1: 40, y1: 576 }, symbols: [] },
              { text: '1inh', confidence: 96, bbox: { x0: 60, y0: 547, x1: 200, y1: 576 }, symbols: [sym('1', 60, 547, 80, 576)] },
              { text: 'weken,', confidence: 96, bbox: { x0: 600, y0: 547, x1: 709, y1: 578 }, symbols: [sym(',', 697, 567, 709, 578)] },
            ],
          },
          {
            text: 'De soep,', confidence: 90, bbox: { x0: 0, y0: 590, x1: 300, y1: 630 },
            baseline: { x0: 0, y0: 624, x1: 300, y1: 624 }, rowAttributes: { rowHeight: 38, descenders: 9, ascenders: 9 },
            words: [
              { text: 'De', confidence: 96, bbox: { x0: 0, y0: 595, x1: 40, y1: 624 }, symbols: [] },
              { text: 'soep,', confidence: 96, bbox: { x0: 60, y0: 595, x1: 160, y1: 633 }, symbols: [sym(',', 150, 616, 160, 633)] },
            ],
          },
        ],
      }],
    }] as unknown as Tesseract.Block[];
    const { words, lines, digits } = flattenBlocks(blocks);
    expect(words.map((w) => w.text)).toEqual(['de', 'linh', 'weken,', 'De', 'soep,']);
    expect(lines.map((l) => l.text)).toEqual(['de linh weken,', 'De soep,']);
    expect(digits).toEqual([]);
  });
});
