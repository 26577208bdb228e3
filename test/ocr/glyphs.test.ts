import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { GreyImage } from '../../src/imaging/analysis.ts';
import { ALIGN, digitTwins, doubtfulDigits, glyphShape, markDoubtfulDigits, TWIN, type ReadDigit } from '../../src/ocr/glyphs.ts';
import type { OcrWord, PixelBox } from '../../src/ocr/words.ts';

// Seven-segment glyphs stand in for a printed font: one digit, one shape, as on a typed page.
const SEGMENTS: Record<string, string> = { '0': 'abcdef', '1': 'bc', '2': 'abdeg', '3': 'abcdg', '5': 'acdfg', '6': 'acdefg', '8': 'abcdefg', '9': 'abcdfg' };
const W = 14, H = 24, STROKE = 3;

function drawPage(glyphs: readonly string[]): { image: GreyImage; boxes: PixelBox[] } {
  const width = 20 + glyphs.length * (W + 8), height = 60;
  const data = new Uint8Array(width * height).fill(255);
  const fill = (x: number, y: number, w: number, h: number) => {
    for (let py = y; py < y + h; py++) for (let px = x; px < x + w; px++) data[py * width + px] = 20;
  };
  const boxes: PixelBox[] = glyphs.map((glyph, i) => {
    const x = 10 + i * (W + 8), y = 18;
    const half = Math.floor(H / 2);
    for (const s of SEGMENTS[glyph]!) {
      if (s === 'a') fill(x, y, W, STROKE);
      if (s === 'g') fill(x, y + half - 1, W, STROKE);
      if (s === 'd') fill(x, y + H - STROKE, W, STROKE);
      if (s === 'f') fill(x, y, STROKE, half);
      if (s === 'b') fill(x + W - STROKE, y, STROKE, half);
      if (s === 'e') fill(x, y + half, STROKE, H - half);
      if (s === 'c') fill(x + W - STROKE, y + half, STROKE, H - half);
    }
    // tesseract's symbol box is tight around the ink: a "1" is narrow
    const left = glyph === '1' ? x + W - STROKE : x;
    return [left, y, x + W - left, H];
  });
  return { image: { data, width, height }, boxes };
}

describe('doubtfulDigits', () => {
  it('doubts a digit whose glyph is another digit of the page, and nothing else (not the lone "3")', () => {
    const drawn = ['1', '9', '8', '1', '1', '9', '6', '8', '0', '8', '3', '1', '8', '0'];
    const read = [...drawn];
    read[7] = '6'; // an "8" read as "6", as tesseract did at 99% on a printed page
    const { image, boxes } = drawPage(drawn);
    const digits: ReadDigit[] = read.map((digit, i) => ({ word: 0, digit, box: boxes[i]! }));
    expect([...doubtfulDigits(image, digits)]).toEqual([7]);
  });

  it('doubts the glyphs a doubted one looks like too when they are too few to outvote it: tesseract repeats a misread on a page', () => {
    // "581" and "1981" read "561" and "1961", "582" read right, and a true "6" in "1962"
    const drawn = ['5', '8', '1', '1', '9', '8', '1', '1', '9', '6', '2', '5', '8', '2'];
    const read = [...drawn];
    read[1] = '6';
    read[5] = '6';
    const { image, boxes } = drawPage(drawn);
    const digits: ReadDigit[] = read.map((digit, i) => ({ word: 0, digit, box: boxes[i]! }));
    expect([...doubtfulDigits(image, digits)].sort((a, b) => a - b)).toEqual([1, 5, 12]);
  });

  it('does not doubt a page read right', () => {
    const drawn = ['1', '9', '8', '1', '0', '6', '3', '8', '0', '6', '9', '3'];
    const { image, boxes } = drawPage(drawn);
    expect(doubtfulDigits(image, drawn.map((digit, i) => ({ word: 0, digit, box: boxes[i]! }))).size).toBe(0);
  });

  it('marks the word of the doubted digit on the page image', async () => {
    // three "8" read right outvote the one read "6": only that one is doubted
    const drawn = ['8', '8', '6', '8', '1', '8'];
    const { image, boxes } = drawPage(drawn);
    const png = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 1 } }).png().toBuffer();
    const words: OcrWord[] = [
      { text: '1986', confidence: 0.99, box: [0, 0, 10, 10], line: 0 },
      { text: '61', confidence: 0.99, box: [0, 0, 10, 10], line: 0 },
    ];
    const read: ReadDigit[] = [
      { word: 0, digit: '8', box: boxes[0]! }, { word: 0, digit: '8', box: boxes[1]! }, { word: 0, digit: '6', box: boxes[2]! },
      { word: 1, digit: '6', box: boxes[3]! }, { word: 1, digit: '1', box: boxes[4]! }, { word: 0, digit: '8', box: boxes[5]! },
    ];
    const marked = await markDoubtfulDigits(png, words, read);
    expect(marked.map((w) => w.doubtfulDigit ?? false)).toEqual([false, true]);
  });
});

describe('digitTwins', () => {
  it('finds a copy read alike in another number for every digit of a page read right', () => {
    const drawn = ['1', '9', '8', '1', '1', '9', '8', '0', '3', '8', '0', '3'];
    const { image, boxes } = drawPage(drawn);
    const texts = ['1981', '1980', '380', '3'];
    const word = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3];
    const twins = digitTwins(image, drawn.map((digit, i) => ({ word: word[i]!, digit, box: boxes[i]! })), texts);
    expect(twins.every((t) => t >= TWIN)).toBe(true);
  });

  it('finds none for a misread digit, nor in the same misreading copied into another field', () => {
    // "138" written in a residence and again in the place of death, its 3 read 5 both times, beside a "52" read right
    const drawn = ['1', '3', '8', '1', '3', '8', '5', '2', '8', '2', '1'];
    const read = ['1', '5', '8', '1', '5', '8', '5', '2', '8', '2', '1'];
    const texts = ['158', '158,', '52', '821'];
    const word = [0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3];
    const { image, boxes } = drawPage(drawn);
    const twins = digitTwins(image, read.map((digit, i) => ({ word: word[i]!, digit, box: boxes[i]! })), texts);
    expect(twins[1]).toBeLessThan(TWIN);
    expect(twins[4]).toBeLessThan(TWIN);
    // the 8 and 1 of the copies have copies in "821"
    expect([twins[0], twins[2], twins[3], twins[5]].every((t) => t! >= TWIN)).toBe(true);
  });

  it('marks the word of a digit without a copy', async () => {
    const drawn = ['1', '9', '8', '1', '9', '8', '5'];
    const { image, boxes } = drawPage(drawn);
    const png = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 1 } }).png().toBuffer();
    const words: OcrWord[] = [
      { text: '198', confidence: 0.99, box: [0, 0, 10, 10], line: 0 },
      { text: '19', confidence: 0.99, box: [0, 0, 10, 10], line: 0 },
      { text: '85', confidence: 0.99, box: [0, 0, 10, 10], line: 0 },
    ];
    const word = [0, 0, 0, 1, 1, 2, 2];
    const marked = await markDoubtfulDigits(png, words, drawn.map((digit, i) => ({ word: word[i]!, digit, box: boxes[i]! })));
    expect(marked.map((w) => w.lonelyDigit ?? false)).toEqual([false, false, true]);
    expect(marked.map((w) => w.twinnedDigits ?? false)).toEqual([true, true, false]);
  });

  it('says a word is twinned only when each of its figures was compared: a figure without a symbol box is no twin', async () => {
    const drawn = ['1', '9', '8', '1', '9', '8'];
    const { image, boxes } = drawPage(drawn);
    const png = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 1 } }).png().toBuffer();
    // the first word's text has a fourth figure OCR gave no box for (a word put right after reading): never compared
    const words: OcrWord[] = [{ text: '1985', confidence: 0.99, box: [0, 0, 10, 10], line: 0 }, { text: '198', confidence: 0.99, box: [0, 0, 10, 10], line: 0 }];
    const word = [0, 0, 0, 1, 1, 1];
    const marked = await markDoubtfulDigits(png, words, drawn.map((digit, i) => ({ word: word[i]!, digit, box: boxes[i]! })));
    // nothing lonely among what was compared, yet only the second word is vouched for
    expect(marked.map((w) => [w.lonelyDigit ?? false, w.twinnedDigits ?? false])).toEqual([[false, false], [false, true]]);
  });

  it('finds the copy of a figure struck a pixel off only once the boxes are moved to meet (lonelyAligned)', async () => {
    // "1980" and "0981", the second's "9" and "1" struck a pixel lower than their boxes (a typewriter's play); "5" has no copy
    const drawn = ['1', '9', '8', '0', '0', '9', '8', '1', '5'];
    const { image, boxes } = drawPage(drawn);
    const off = boxes.map(([x, y, w, h], i): PixelBox => (i === 5 || i === 7 ? [x, y - 1, w, h] : [x, y, w, h]));
    const word = [0, 0, 0, 0, 1, 1, 1, 1, 2];
    const digits = drawn.map((digit, i) => ({ word: word[i]!, digit, box: off[i]! }));
    const texts = ['1980', '0981,', '5'];
    expect(digitTwins(image, digits, texts)[5]).toBeLessThan(TWIN);
    expect(digitTwins(image, digits, texts, glyphShape, ALIGN)[5]).toBeGreaterThanOrEqual(TWIN);
    const png = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 1 } }).png().toBuffer();
    const words: OcrWord[] = texts.map((text) => ({ text, confidence: 0.99, box: [0, 0, 10, 10], line: 0 }));
    const marked = await markDoubtfulDigits(png, words, digits);
    expect(marked.map((w) => [w.lonelyDigit ?? false, w.lonelyAligned ?? false])).toEqual([[true, false], [true, false], [true, true]]);
  });
});
