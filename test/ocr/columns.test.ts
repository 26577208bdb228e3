import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanPage } from '../../src/imaging/clean.ts';
import { numberColumnWords, ownWords, piecesAtRules, wordsOfEmptyCells } from '../../src/ocr/column-words.ts';
import { holdsWriting, recognizeByColumns, tableRegions } from '../../src/ocr/columns.ts';
import { createOcrPool, type OcrPool } from '../../src/ocr/pool.ts';

describe('tableRegions', () => {
  it('cuts the page into the text above the table, each column between its rules, and the text below', () => {
    expect(tableRegions({ columns: [100, 400, 900], top: 200, bottom: 1800 }, 1000, 2000)).toEqual([
      [0, 0, 1000, 200], [0, 200, 100, 1600], [100, 200, 300, 1600], [400, 200, 500, 1600], [900, 200, 100, 1600], [0, 1800, 1000, 200],
    ]);
    // a table up to the page's edges leaves no empty strips, and a rule at the edge makes none
    expect(tableRegions({ columns: [0, 500, 1000], top: 0, bottom: 2000 }, 1000, 2000)).toEqual([[0, 0, 500, 2000], [500, 0, 500, 2000]]);
  });
});

describe('wordsOfEmptyCells', () => {
  const box = (x: number, y: number, w: number, h: number): [number, number, number, number] => [x, y, w, h];
  const word = (text: string, b: [number, number, number, number], line: number, confidence = 0.9) => ({ text, confidence, box: b, line });
  // columns at x = 100, 200, 400, 600; row rules at y = 300 and 500 inside a table from 150 to 700
  const grid = { columns: [100, 200, 400, 600], top: 150, bottom: 700, rows: [300, 500] };
  it('takes the whole-page words into the cells the column reading left empty, cut at the rules glued to them', () => {
    const read = [word('29', box(120, 200, 50, 30), 0), word('Lê', box(230, 200, 60, 30), 0), word('Nam', box(420, 350, 60, 30), 1)];
    const whole = {
      lines: [0, 1, 2].map(() => ({ text: '', confidence: 0.8, box: box(0, 0, 1, 1) })),
      words: [
        word('Lê', box(230, 200, 60, 30), 0), // its cell was read by columns: not taken again
        word('|Nữ', box(410, 200, 60, 30), 0), // the sex cell of the first row, empty in the column reading
        word('30|Ngô', box(120, 350, 180, 30), 1), // number cell empty, name cell empty
        word('ln', box(420, 550, 30, 30), 2, 0.2), // unsure: a rule's edge
        word('Hà', box(700, 550, 30, 30), 2), // right of the table
      ],
      digits: [{ word: 2, digit: '3', box: box(120, 350, 30, 30) }, { word: 2, digit: '0', box: box(150, 350, 30, 30) }],
    };
    const result = wordsOfEmptyCells(read, whole, grid);
    expect(result.words.map((w) => [w.text, w.box, w.line])).toEqual([['Nữ', [430, 200, 40, 30], 0], ['30', [120, 350, 60, 30], 1], ['Ngô', [210, 350, 90, 30], 1]]);
    expect(result.lines.map((l) => l.text)).toEqual(['Nữ', '30 Ngô']);
    expect(result.digits.map((d) => [d.digit, d.word])).toEqual([['3', 1], ['0', 1]]);
  });
  it('keeps a value typed over a rule whole in the cell it starts in, and parts values glued at a rule', () => {
    expect(piecesAtRules('23.10.197|5').map((p) => p.text)).toEqual(['23.10.1975']);
    expect(piecesAtRules('23.10.197|5Kinh').map((p) => [p.text, p.from, p.length])).toEqual([['23.10.1975', 0, 11], ['Kinh', 11, 4]]);
    expect(piecesAtRules('Nam|năm').map((p) => p.text)).toEqual(['Nam', 'năm']);
    expect(piecesAtRules('45|12/5/1960').map((p) => p.text)).toEqual(['45', '12/5/1960']);
    expect(piecesAtRules('Nam|Kinh').map((p) => p.text)).toEqual(['Nam', 'Kinh']);
    // a date's "5" past the rule at x = 400 is not a value of the empty cell on its right
    const whole = { lines: [{ text: '', confidence: 0.8, box: box(0, 0, 1, 1) }], words: [word('12.10.197|5', box(210, 350, 220, 30), 0)], digits: [] };
    expect(wordsOfEmptyCells([], whole, grid).words.map((w) => [w.text, w.box])).toEqual([['12.10.1975', [210, 350, 220, 30]]]);
  });
  it('takes nothing when the column reading has a word in every cell the whole page has one in', () => {
    const read = [word('Nữ', box(420, 200, 40, 30), 0)];
    const whole = { lines: [{ text: '', confidence: 0.8, box: box(0, 0, 1, 1) }], words: [word('|Nu', box(410, 200, 60, 30), 0)], digits: [] };
    expect(wordsOfEmptyCells(read, whole, grid).words).toEqual([]);
    // without row rules a cell is the column's whole height
    expect(wordsOfEmptyCells(read, { ...whole, words: [word('Nam', box(420, 600, 60, 30), 0)] }, { ...grid, rows: undefined }).words).toEqual([]);
  });
});

describe('ownWords', () => {
  const word = (text: string, box: [number, number, number, number], line: number, confidence = 0.95) => ({ text, confidence, box, line });
  const lines = (n: number) => Array.from({ length: n }, () => ({ text: '', confidence: 0.8, box: [0, 0, 1, 1] as [number, number, number, number] }));
  // a column between rules at x = 100 and 300, its strip read on past the right rule
  it('keeps a value typed over the right rule whole, and leaves the next column\'s words to it', () => {
    const read = {
      ms: 5,
      lines: lines(5),
      words: [
        word('23.10.1975]', [120, 200, 200, 30], 0), // typed over the right rule: kept whole, the sliver of the next column's letter dropped
        word('25/9/1944Kinh', [120, 300, 260, 30], 1), // glued to the next column's "Kinh" across the rule
        word('Trần', [310, 400, 45, 30], 2), // the next column's
        word('Lê', [290, 500, 60, 30], 3), // hand-writing begun on the right rule: the next column's
        word('Hà', [200, 600, 40, 30], 4),
      ],
      digits: [...'2591944'].map((digit, i) => ({ word: 1, digit, box: [[120, 160, 200, 220, 240, 260, 280][i]!, 300, 18, 30] as [number, number, number, number] })),
    };
    const own = ownWords(read, { from: 100, to: 300 }, [], 12);
    expect(own.words.map((w) => [w.text, w.box, w.line])).toEqual([
      ['23.10.1975', [120, 200, 200, 30], 0],
      ['25/9/1944', [120, 300, 178, 30], 1],
      ['Hà', [200, 600, 40, 30], 2],
    ]);
    // a word run over the rule or cut there is never surely read; one inside the column keeps its confidence
    expect(own.words.map((w) => w.confidence)).toEqual([0.9, 0.9, 0.95]);
    expect(own.digits.map((d) => [d.digit, d.word])).toEqual([...'2591944'].map((d) => [d, 1]));
    expect(own.lines.map((l) => l.text)).toEqual(['23.10.1975', '25/9/1944', 'Hà']);
    expect(own.ms).toBe(5);
  });
  it('leaves out what the column on the left ran over its rule, read again here, and keeps the words after it', () => {
    // the next column (rules at 300 and 500); the left column's words ran over its rule to x = 320 on two lines
    const overrun: [number, number, number, number][] = [[120, 200, 200, 30], [120, 300, 200, 30], [150, 400, 170, 30]];
    const read = {
      ms: 0,
      lines: lines(4),
      words: [
        word('75', [300, 200, 20, 30], 0), // the end of "23.10.1975": read twice
        word('4Kinh', [300, 300, 100, 30], 1), // the end of "25/9/1944" glued to this column's "Kinh"
        word('TVăn', [300, 400, 100, 30], 2), // overprinted: no place to cut, mostly this column's
        word('Nam', [310, 500, 60, 30], 3), // a line the left column did not run over
      ],
      digits: [],
    };
    const own = ownWords(read, { from: 300, to: 500 }, overrun, 12);
    expect(own.words.map((w) => [w.text, w.box])).toEqual([['Kinh', [320, 300, 80, 30]], ['TVăn', [300, 400, 100, 30]], ['Nam', [310, 500, 60, 30]]]);
  });
});

describe('numberColumnWords', () => {
  const word = (text: string, box: [number, number, number, number], line: number) => ({ text, confidence: 0.9, box, line });
  it('keeps the words of the number column within the table, and a number glued over its right rule up to the rule', () => {
    const whole = {
      lines: [0, 1, 2, 3].map(() => ({ text: '', confidence: 0.8, box: [0, 0, 1, 1] as [number, number, number, number] })),
      words: [
        word('Số', [120, 60, 40, 30], 0), // a heading above the table
        word('29', [120, 210, 50, 30], 1),
        word('Lê', [230, 210, 50, 30], 1), // the name column's
        word('30|Ngô', [120, 410, 180, 30], 2), // glued over the rule at x = 200
        word('Hà|Lê', [170, 610, 100, 30], 3), // starts left of the rule, but no number: the name column's
      ],
      digits: [
        { word: 1, digit: '2', box: [120, 210, 25, 30] as [number, number, number, number] },
        { word: 3, digit: '3', box: [120, 410, 25, 30] as [number, number, number, number] },
        { word: 3, digit: '0', box: [145, 410, 25, 30] as [number, number, number, number] },
      ],
    };
    const result = numberColumnWords(whole, { from: 100, to: 200 }, { top: 150, bottom: 900 });
    expect(result.words.map((w) => [w.text, w.box, w.line])).toEqual([['29', [120, 210, 50, 30], 0], ['30|', [120, 410, 90, 30], 1]]);
    expect(result.lines.map((l) => l.text)).toEqual(['29', '30|']);
    expect(result.digits.map((d) => [d.digit, d.word])).toEqual([['2', 0], ['3', 1], ['0', 1]]);
  });

  it('keeps the figures of a number glued to the name with no rule read, over the rule or not, as a cut piece', () => {
    // seed 3346 b04: typed "290" runs onto the rule at x = 200 and is read with the name, "290Nguyễn"; 3306 b08: "205Lê"
    const whole = {
      lines: [0, 1, 2].map(() => ({ text: '', confidence: 0.8, box: [0, 0, 1, 1] as [number, number, number, number] })),
      words: [{ ...word('290Nguyễn', [150, 210, 270, 30], 0), confidence: 0.97 }, { ...word('205Lê', [130, 410, 100, 30], 1), confidence: 0.97 }, word('Nguyễn', [170, 610, 180, 30], 2)],
      digits: [],
    };
    const result = numberColumnWords(whole, { from: 100, to: 200 }, { top: 150, bottom: 900 });
    expect(result.words.map((w) => [w.text, w.box, w.confidence])).toEqual([['290', [150, 210, 90, 30], 0.9], ['205', [130, 410, 60, 30], 0.9]]);
  });

  it('cuts no number whose figure was read as a letter: no name follows it', () => {
    // "1O" is 10 and "10O" 100 to entryNumberAlike; "2l" an unread number: cut, they were 1, 10 and 2
    const whole = {
      lines: [0, 1, 2].map(() => ({ text: '', confidence: 0.8, box: [0, 0, 1, 1] as [number, number, number, number] })),
      words: [word('1O', [120, 210, 40, 30], 0), word('10O', [120, 410, 60, 30], 1), word('2l', [120, 610, 40, 30], 2)],
      digits: [],
    };
    const result = numberColumnWords(whole, { from: 100, to: 200 }, { top: 150, bottom: 900 });
    expect(result.words.map((w) => [w.text, w.confidence])).toEqual([['1O', 0.9], ['10O', 0.9], ['2l', 0.9]]);
  });
});

/**
 * A ruled register page at 300 dpi: a title above the table, three columns whose cells are filled at
 * different heights (a heading of one line beside one of two, a name beside an address of three lines),
 * as 1961–1998 books are.
 */
function registerSvg(): Buffer {
  const W = 1800;
  const H = 1000;
  const xs = [100, 560, 1000, 1700];
  const rules = xs.map((x) => `<rect x="${x}" y="150" width="3" height="800" fill="#222"/>`).join('') + [150, 330, 947].map((y) => `<rect x="100" y="${y}" width="1603" height="3" fill="#222"/>`).join('');
  const t = (x: number, y: number, text: string, size = 40, family = 'DejaVu Sans Mono') => `<text x="${x}" y="${y}" font-family="${family}" font-size="${size}" fill="#222">${text}</text>`;
  const text =
    t(100, 100, 'SỔ ĐĂNG KÝ KHAI SINH', 48, 'DejaVu Serif') +
    t(130, 260, 'Họ và tên', 36, 'DejaVu Serif') + t(600, 230, 'Ngày, tháng,', 36, 'DejaVu Serif') + t(600, 280, 'năm sinh', 36, 'DejaVu Serif') + t(1030, 260, 'Nơi cư trú', 36, 'DejaVu Serif') +
    t(130, 420, 'Trần Văn Bình') + t(600, 460, '12/05/1962') + t(1030, 400, 'Thôn Đông,') + t(1030, 460, 'xã Kim Chung,') + t(1030, 520, 'huyện Đông Anh') +
    // typed over the column's right rule (x = 1000) by 3.4 mm, as a date wider than its column is
    t(800, 640, '23/10/1975');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#fff"/>${rules}${text}</svg>`);
}

/** A clean page's grey pixels: paper at 240 with grain of ±`grain` levels (a fixed pseudo-random sequence), as a scan's paper is. */
function grainy(width: number, height: number, grain: number): { data: Buffer; width: number; height: number } {
  const data = Buffer.alloc(width * height);
  let seed = 7;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    data[i] = Math.min(255, 240 + Math.round(((seed >>> 16) / 65536 - 0.5) * 2 * grain));
  }
  return { data, width, height };
}

describe('holdsWriting', () => {
  it('finds a letter in a strip, and none in blank paper with its grain or where a rule was painted out', () => {
    const mm = 300 / 25.4;
    const page = grainy(200, 200, 10);
    const painted = { ...page, data: Buffer.from(page.data) };
    // a rule 3 px thick at x = 50, painted out with the paper's level
    for (let y = 0; y < 200; y++) for (let x = 49; x < 52; x++) [page.data[y * 200 + x], painted.data[y * 200 + x]] = [30, 240];
    const dark = new Uint8Array(200 * 200).map((_, i) => (page.data[i]! < 200 ? 1 : 0));
    expect(holdsWriting(painted, page.data, dark, [0, 0, 200, 200], mm)).toBe(false);
    // a stroke of a letter (2.5 mm by 0.4 mm) at x = 120: writing
    for (let y = 80; y < 110; y++) for (let x = 120; x < 125; x++) painted.data[y * 200 + x] = page.data[y * 200 + x] = 40;
    const inked = new Uint8Array(200 * 200).map((_, i) => (page.data[i]! < 200 ? 1 : 0));
    expect(holdsWriting(painted, page.data, inked, [100, 0, 100, 200], mm)).toBe(true);
    // left of the letter, grain and a painted rule only: none
    expect(holdsWriting(painted, page.data, inked, [0, 0, 110, 200], mm)).toBe(false);
  });
});

describe('recognizeByColumns', () => {
  let pool: OcrPool;
  beforeAll(async () => {
    pool = await createOcrPool({ size: 2, pageTimeoutMs: 60_000, recycleAfterPages: 50, model: 'best_int' });
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('reads a ruled register found by cleanup column by column, every word placed in its own column on the page', async () => {
    const png = await sharp(registerSvg()).flatten().greyscale().withMetadata({ density: 300 }).png().toBuffer();
    const clean = await cleanPage(png, { steps: { orient: false, deskew: false, crop: false, split: false, stamps: false, background: false, rules: true } });
    expect(clean.table?.columns).toHaveLength(4);
    const result = await recognizeByColumns(pool, clean.image, clean.table!);
    const column = (word: string) => {
      const found = result.words.find((w) => w.text.replace(/[,.]$/, '') === word);
      expect(found, word).toBeDefined();
      return clean.table!.columns.findIndex((x) => x > found!.box[0] + found!.box[2] / 2) - 1;
    };
    expect(column('Bình')).toBe(0);
    expect(column('12/05/1962')).toBe(1);
    expect(column('Chung')).toBe(2);
    expect(column('sinh')).toBe(1);
    // read whole with its column, no piece of it in the next one
    expect(column('23/10/1975')).toBe(1);
    expect(result.words.filter((w) => w.box[0] > 1000 && /\d/.test(w.text))).toEqual([]);
    // the title above the table is read as one line, in reading order before the table
    expect(result.lines[0]!.text).toBe('SỔ ĐĂNG KÝ KHAI SINH');
    // each word sits on its line, and the lines' boxes are on the page (not on the strips)
    for (const word of result.words) {
      const line = result.lines[word.line]!;
      expect(word.box[0]).toBeGreaterThanOrEqual(line.box[0]);
      expect(word.box[1] + word.box[3]).toBeGreaterThan(line.box[1]);
    }
    expect(result.text).toContain('Nơi cư trú');
  }, 60_000);

  it('reads the entry numbers of the narrow first column, single digits too, each in that column', async () => {
    const png = await sharp(numberedSvg()).flatten().greyscale().withMetadata({ density: 300 }).png().toBuffer();
    const clean = await cleanPage(png, { steps: { orient: false, deskew: false, crop: false, split: false, stamps: false, background: false, rules: true } });
    const [from, to] = clean.table!.columns;
    const result = await recognizeByColumns(pool, clean.image, clean.table!);
    const numbers = result.words.filter((w) => w.box[0] + w.box[2] / 2 >= from! && w.box[0] + w.box[2] / 2 < to! && /^\d+$/.test(w.text));
    // read alone in its strip, or with the rule beside it painted out, a lone digit is not read at all
    expect(numbers.map((w) => w.text)).toEqual(['7', '8', '9', '10']);
    // the other columns are still read with the rules painted out: no rule read as "|" beside a name
    expect(result.words.filter((w) => w.box[0] > to! + 10 && w.text.includes('|'))).toEqual([]);
  }, 60_000);
});

/** A ruled register whose first column holds the entry numbers, one per row (7, 8, 9, 10), beside names, dates and places. */
function numberedSvg(): Buffer {
  const xs = [100, 200, 640, 1000, 1700];
  const ys = [150, 300, 520, 740, 960, 1180];
  const rules = xs.map((x) => `<rect x="${x}" y="150" width="3" height="1030" fill="#222"/>`).join('') + ys.map((y) => `<rect x="100" y="${y}" width="1603" height="3" fill="#222"/>`).join('');
  const t = (x: number, y: number, text: string, size = 40, family = 'DejaVu Sans') => `<text x="${x}" y="${y}" font-family="${family}" font-size="${size}" fill="#222">${text}</text>`;
  const rows = [['7', 'Trần Văn Bình', '12/05/1962', 'xã Kim Chung'], ['8', 'Lê Thị Hoa', '03/11/1962', 'xã Đông Hội'], ['9', 'Phạm Văn Tư', '21/01/1963', 'xã Mai Lâm'], ['10', 'Ngô Thị Lan', '30/04/1963', 'xã Vân Hà']];
  const body = rows.map((r, i) => r.map((text, c) => t([125, 225, 665, 1025][c]!, 360 + i * 220, text)).join('')).join('');
  const headings = t(120, 240, 'Số', 36, 'DejaVu Serif') + t(230, 240, 'Họ và tên', 36, 'DejaVu Serif') + t(670, 240, 'Ngày sinh', 36, 'DejaVu Serif') + t(1030, 240, 'Nơi cư trú', 36, 'DejaVu Serif');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1800" height="1200"><rect width="100%" height="100%" fill="#fff"/>${rules}${t(100, 100, 'SỔ ĐĂNG KÝ KHAI SINH', 48, 'DejaVu Serif')}${headings}${body}</svg>`);
}
