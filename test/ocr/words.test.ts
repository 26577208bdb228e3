import { describe, expect, it } from 'vitest';
import type Tesseract from 'tesseract.js';
import { flattenBlocks, isScribble, normaliseText, splitGluedSyllables } from '../../src/ocr/words.ts';

const bbox = (x0: number): Tesseract.Bbox => ({ x0, y0: 10, x1: x0 + 50, y1: 40 });
const word = (text: string, confidence: number, x0: number) => ({ text, confidence, bbox: bbox(x0) });

describe('isScribble', () => {
  it('drops unsure words shaped like strokes, not unsure words shaped like Vietnamese', () => {
    expect(isScribble({ text: 'Z22X-C', confidence: 0.16 })).toBe(true);
    expect(isScribble({ text: '<x-—..', confidence: 0.15 })).toBe(true);
    expect(isScribble({ text: 'w-w⁄Axz=', confidence: 0.4 })).toBe(true);
    // Letters only: maybe a badly read hand-written word, which reviewers would rather see.
    expect(isScribble({ text: 'AC', confidence: 0.03 })).toBe(false);
    expect(isScribble({ text: 'Quyến', confidence: 0.3 })).toBe(false);
    expect(isScribble({ text: '15/03/1962', confidence: 0.3 })).toBe(false);
    expect(isScribble({ text: 'Vinhomes', confidence: 0.2 })).toBe(false);
    // Sure words are kept whatever they look like (a foreign name, a code).
    expect(isScribble({ text: 'Jeju-W2', confidence: 0.9 })).toBe(false);
  });
});

describe('splitGluedSyllables', () => {
  it('splits a word OCR glued from several syllables, and leaves syllables, abbreviations and other names as read', () => {
    expect(splitGluedSyllables('Giớitính:')).toEqual(['Giới', 'tính:']);
    expect(splitGluedSyllables('Cánbộhộtịch:')).toEqual(['Cán', 'bộ', 'hộ', 'tịch:']); // not "hột ịch"
    expect(splitGluedSyllables('Nguyênnhânchết')).toEqual(['Nguyên', 'nhân', 'chết']);
    for (const kept of ['Nguyễn', 'Khuê', 'UBND', 'GBT', 'QĐ-UBND', 'Mnông', 'Khmer', "H'Mông", '2004', 'Ngày,', 'Quốctịchh:']) expect(splitGluedSyllables(kept)).toEqual([kept]);
  });

  it('splits only into a form label at the word’s start: misreads and one-word foreign names stay whole', () => {
    // split into syllables, a misread passed as two good ones ("Hư ong") and a country's name became three
    for (const kept of ['Hưong', 'Phưòng', 'Campuchia', 'Canada', 'Maria', 'Anna', 'Giarai']) expect(splitGluedSyllables(kept)).toEqual([kept]);
    // the typed value glued after the label stays one word
    expect(splitGluedSyllables('GiớitínhNam')).toEqual(['Giới', 'tính', 'Nam']);
  });
});

describe('flattenBlocks', () => {
  it('splits glued syllables into words, each with its share of the box, and the line text with them', () => {
    const blocks = [{
      paragraphs: [{ lines: [{ text: 'Giớitính: Nam', confidence: 80, bbox: bbox(0), words: [{ text: 'Giớitính:', confidence: 91, bbox: { x0: 0, y0: 10, x1: 90, y1: 40 } }, word('Nam', 96, 120)] }] }],
    }] as unknown as Tesseract.Block[];
    const { words, lines } = flattenBlocks(blocks);
    expect(words.map((w) => [w.text, w.box])).toEqual([['Giới', [0, 10, 40, 30]], ['tính:', [40, 10, 50, 30]], ['Nam', [120, 10, 50, 30]]]);
    expect(words.map((w) => w.confidence)).toEqual([0.91, 0.91, 0.96]);
    expect(words.map((w) => w.piece)).toEqual([0, 1, undefined]);
    expect(lines[0]!.text).toBe('Giới tính: Nam');
  });

  it('drops scribbles from words and line text, and lines left without words', () => {
    const blocks = [{
      paragraphs: [{
        lines: [
          { text: 'Chồng ký: Z22X-C Vợ ký:', confidence: 80, bbox: bbox(0), words: [word('Chồng', 96, 0), word('ký:', 95, 60), word('Z22X-C', 16, 120), word('Vợ', 96, 180), word('ký:', 96, 240)] },
          { text: '<x-—..', confidence: 15, bbox: bbox(0), words: [word('<x-—..', 15, 0)] },
        ],
      }],
    }] as unknown as Tesseract.Block[];
    const { words, lines } = flattenBlocks(blocks);
    expect(words.map((w) => w.text)).toEqual(['Chồng', 'ký:', 'Vợ', 'ký:']);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toBe('Chồng ký: Vợ ký:');
    expect(words.every((w) => w.line === 0)).toBe(true);
  });

  it('keeps the box of every digit read, pointing at its word', () => {
    const symbol = (text: string, x0: number) => ({ text, confidence: 99, bbox: { x0, y0: 10, x1: x0 + 10, y1: 30 } });
    const blocks = [{
      paragraphs: [{
        lines: [{
          text: 'Z22X-C Sinh 1981', confidence: 80, bbox: bbox(0), words: [
            { ...word('Z22X-C', 16, 0), symbols: [symbol('Z', 0), symbol('2', 10)] },
            { ...word('Sinh', 96, 60), symbols: [symbol('S', 60)] },
            { ...word('1981', 96, 120), symbols: [symbol('1', 120), symbol('9', 130), symbol('8', 140), symbol('1', 150)] },
          ],
        }],
      }],
    }] as unknown as Tesseract.Block[];
    const { words, digits } = flattenBlocks(blocks);
    expect(words.map((w) => w.text)).toEqual(['Sinh', '1981']);
    // the scribble's "2" is gone with its word; the year's digits point at word 1
    expect(digits).toEqual([
      { word: 1, digit: '1', box: [120, 10, 10, 20] }, { word: 1, digit: '9', box: [130, 10, 10, 20] },
      { word: 1, digit: '8', box: [140, 10, 10, 20] }, { word: 1, digit: '1', box: [150, 10, 10, 20] },
    ]);
  });
});

describe('normaliseText', () => {
  it('replaces the look-alikes Tesseract reads for Đ, đ and the slash of dates, and composes to NFC', () => {
    expect(normaliseText(' \u00d0ức \u00f0i 5\u204410/2025 ')).toBe('\u0110ức \u0111i 5/10/2025');
    expect(normaliseText('Nguye\u0302\u0303n')).toBe('Nguyễn');
  });
});
