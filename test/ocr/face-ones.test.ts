import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { GreyImage } from '../../src/imaging/analysis.ts';
import { faceOnes, forcedNotRead, readFigures, relabelFigures, relabelLines } from '../../src/ocr/face-ones.ts';
import { digitTwins, TWIN, type ReadDigit } from '../../src/ocr/glyphs.ts';
import type { OcrLine, OcrWord, PixelBox } from '../../src/ocr/words.ts';

// A typewriter face drawn as bitmaps (each cell 2×2 pixels): its 1 has a flag and a foot, as Courier's does.
const FACE: Record<string, string[]> = {
  '1': ['...##...', '..###...', '.####...', '...##...', '...##...', '...##...', '...##...', '...##...', '...##...', '...##...', '...##...', '.######.'],
  '4': ['.....##.', '....###.', '...#.##.', '..#..##.', '.#...##.', '#....##.', '########', '.....##.', '.....##.', '.....##.', '.....##.', '....####'],
  '7': ['########', '#.....##', '.....##.', '.....##.', '....##..', '....##..', '...##...', '...##...', '..##....', '..##....', '.##.....', '.##.....'],
  '9': ['..####..', '.##..##.', '##....##', '##....##', '.##..###', '..###.##', '......##', '......##', '.....##.', '....##..', '..###...', '.##.....'],
  '8': ['..####..', '.##..##.', '##....##', '.##..##.', '..####..', '.##..##.', '##....##', '##....##', '##....##', '.##..##.', '..####..', '........'],
  '0': ['..####..', '.##..##.', '##....##', '##....##', '##....##', '##....##', '##....##', '##....##', '##....##', '.##..##.', '..####..', '........'],
  '/': ['.......#', '......##', '......#.', '.....##.', '.....#..', '....##..', '...##...', '...#....', '..##....', '..#.....', '.##.....', '.#......'],
  '3': ['.######.', '##....##', '......##', '......##', '...####.', '......##', '......##', '......##', '##....##', '.######.', '........', '........'],
};
const CELL = 2;

/** Words of figures typed on one page; the box of each figure is tight around its ink, as Tesseract's is. */
function typePage(words: readonly string[], slant: (glyph: number) => number = () => 0): { image: GreyImage; boxes: PixelBox[][] } {
  const pitch = 10 * CELL, gap = 2 * pitch;
  const width = 20 + words.reduce((sum, w) => sum + w.length * pitch + gap, 0) + 8 * CELL, height = 60;
  const data = new Uint8Array(width * height).fill(255);
  let x = 10;
  let glyph = 0;
  const boxes = words.map((word) => {
    const figures = [...word].map((figure) => {
      // a hand's figures lean each their own way: row r moves by slant·(rows − r) cells
      const lean = slant(glyph++);
      const rows = FACE[figure]!.map((row, r, all) => '.'.repeat(Math.max(0, Math.round(lean * (all.length - r)))) + row);
      let [left, right, top, bottom] = [Infinity, -1, Infinity, -1];
      rows.forEach((row, r) => [...row].forEach((c, col) => {
        if (c !== '#') return;
        for (let py = 0; py < CELL; py++) for (let px = 0; px < CELL; px++) data[(18 + r * CELL + py) * width + x + col * CELL + px] = 25;
        [left, right, top, bottom] = [Math.min(left, col), Math.max(right, col), Math.min(top, r), Math.max(bottom, r)];
      }));
      const box: PixelBox = [x + left * CELL, 18 + top * CELL, (right - left + 1) * CELL, (bottom - top + 1) * CELL];
      x += pitch;
      return box;
    });
    x += gap;
    return figures;
  });
  return { image: { data, width, height }, boxes };
}

/** The digits as Tesseract read them: `read` is each word's reading, figure for figure. */
function digitsOf(read: readonly string[], boxes: PixelBox[][]): ReadDigit[] {
  return read.flatMap((word, w) => [...word].flatMap((digit, k) => (/\d/u.test(digit) ? [{ word: w, digit, box: boxes[w]![k]! }] : [])));
}

describe('faceOnes', () => {
  // Tesseract read the face's 1 as 4 in three of the page's years, the same misreading each time
  const typed = ['1980', '1981', '1979', '1984', '1980', '1974', '1981', '1948'];
  const read = ['1980', '4981', '1979', '1984', '4980', '1974', '1984', '4948'];

  it('the 1s read 4 are twins of each other, so the twin check alone lets them through', () => {
    const { image, boxes } = typePage(typed);
    const twins = digitTwins(image, digitsOf(read, boxes), read);
    // the first figure of "4981", "4980" and "4948", and the last of "1984" read from 1981
    expect([4, 16, 27, 28].map((i) => twins[i]! >= TWIN)).toEqual([true, true, true, true]);
  });

  it('reads the face 1 read 4 as 1, and leaves the face 4 and 7 as read', () => {
    const { image, boxes } = typePage(typed);
    const digits = digitsOf(read, boxes);
    const { relabel, doubted } = faceOnes(image, digits, read);
    expect([...relabel.keys()].sort((a, b) => a - b)).toEqual([4, 16, 27, 28]);
    expect(doubted.size).toBe(0);
    const { words } = relabelFigures(read.map((text) => ({ text, confidence: 0.9, box: [0, 0, 1, 1], line: 0 })), digits, relabel);
    expect(words.map((w) => w.text)).toEqual(typed);
  });

  it('relabels nothing on a page without figures read 1 to know the face 1 by, but doubts a year no register holds', () => {
    const faceless = ['3/9/4980', '74', '48', '9'];
    const { image, boxes } = typePage(['391980', '74', '48', '9']);
    const { relabel, doubted } = faceOnes(image, digitsOf(faceless.map((t) => t.replace(/\D/g, '')), boxes), faceless);
    expect(relabel.size).toBe(0);
    expect([...doubted]).toEqual([2]);
  });

  it('relabels nothing on a page whose figures do not repeat (a hand leans each its own way)', () => {
    const leans = [0, 0.5, 0.1, 0.35, 0.2, 0.45, 0.05, 0.3, 0.15, 0.4, 0.25, 0.55, 0.12, 0.38, 0.22, 0.48];
    const hand = (k: number) => leans[k % leans.length]!;
    const { image, boxes } = typePage(typed, hand);
    const digits = digitsOf(read, boxes);
    expect(faceOnes(image, digits, read).relabel.size).toBe(0);
  });

  it('relabels nothing where the 4s are 4s', () => {
    const right = ['1944', '1948', '4', '1974', '1940', '14'];
    const { image, boxes } = typePage(right);
    const { relabel, doubted } = faceOnes(image, digitsOf(right, boxes), right);
    expect(relabel.size).toBe(0);
    expect(doubted.size).toBe(0);
  });
});

describe('forcedNotRead', () => {
  it('finds a 4 or 7 where a date cannot hold it: a year 4xxx, a month 4x, a day 7x', () => {
    const texts = ['30/5/4990', '3/42/1980', '74/09/1986', '14/4/1974', '7/7/2007'];
    const digits = texts.flatMap((t, word) => [...t.replace(/\D/g, '')].map((digit) => ({ word, digit, box: [0, 0, 1, 1] as PixelBox })));
    const at = (word: number, k: number) => digits.findIndex((d, i) => d.word === word && digits.slice(0, i).filter((e) => e.word === word).length === k);
    expect([...forcedNotRead(digits, texts)].sort((a, b) => a - b)).toEqual([at(0, 3), at(1, 1), at(2, 0)]);
  });
});

describe('readFigures', () => {
  it('stores the words and lines read anew, the relabelled figures twinned with the 1s read 1', async () => {
    const typed = ['1980', '1981', '1984', '1979', '1974', '3/3/1990'];
    const read = ['1980', '4984', '1984', '4979', '1974', '3/3/4990'];
    const { image, boxes } = typePage(typed);
    const png = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 1 } }).png().toBuffer();
    const words: OcrWord[] = read.map((text, i) => ({ text, confidence: 0.95, box: [0, 0, 10, 10], line: i < 2 ? 0 : 1 }));
    const lines: OcrLine[] = [{ text: '1980 4984', confidence: 0.95, box: [0, 0, 10, 10] }, { text: '1984 4979 1974 3/3/4990', confidence: 0.95, box: [0, 0, 10, 10] }];
    const out = await readFigures(png, { text: '1980 4984\n1984 4979 1974 3/3/4990', words, lines, digits: digitsOf(read, boxes) });
    expect(out.words.map((w) => w.text)).toEqual(['1980', '1981', '1984', '1979', '1974', '3/3/1990']);
    expect(out.lines.map((l) => l.text)).toEqual(['1980 1981', '1984 1979 1974 3/3/1990']);
    expect(out.text).toBe('1980 1981\n1984 1979 1974 3/3/1990');
    // a relabelled figure is a guess from pixels (a worn 4 may look like the face's 1): a person confirms it, unless
    // the date forbade the figure read (a year 4990)
    expect(out.words.map((w) => w.doubtfulDigit ?? false)).toEqual([false, true, false, true, false, false]);
  });

  it('puts a relabelled word at its own place in its line, not over an earlier word read alike', () => {
    const line = (text: string): OcrLine => ({ text, confidence: 0.9, box: [0, 0, 10, 10] });
    const word = (text: string, lineIndex: number): OcrWord => ({ text, confidence: 0.9, box: [0, 0, 1, 1], line: lineIndex });
    const before = [word('4984', 0), word('1984', 0), word('4984', 0), word('4', 1)];
    const after = [word('4984', 0), word('1984', 0), word('1984', 0), word('1', 1)];
    expect(relabelLines([line('4984 1984 4984'), line('Số: 4')], before, after).map((l) => l.text)).toEqual(['4984 1984 1984', 'Số: 1']);
    // a line holding a token that is none of its words (the count differs): the first word read alike
    const fewer = [word('4984', 0), word('1984', 0)];
    expect(relabelLines([line('| 4984 1984')], fewer, [word('1984', 0), fewer[1]!]).map((l) => l.text)).toEqual(['| 1984 1984']);
    // Tesseract's own spacing kept, the word still found at its place
    expect(relabelLines([line('4984  1984 4984'), line('Số:  4')], before, after).map((l) => l.text)).toEqual(['4984  1984 1984', 'Số:  1']);
  });
});
