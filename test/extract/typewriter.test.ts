import { describe, expect, it } from 'vitest';
import type { OcrWord } from '../../src/ocr/types.ts';
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import { clearAlignedTwins, fitsPitch, MIN_WORDS, tellTyping, wordsWithin } from '../../src/extract/typewriter.ts';

/** Values as a civil-status form holds them: names, dates, places, ethnicity, nationality. */
const VALUES = [
  'Nguyễn Thị Minh Khai', '15/03/1962', 'Thôn Đông Cù, X. Tô Hiệu, H. Thường Tín, Hà Nội', 'Kinh', 'Việt Nam', 'Nữ',
  'Lê Văn Lợi', 'Bệnh viện Bạch Mai', 'Trần Quốc Tuấn', 'Số 16 ngõ 53 phố Khương Thượng, Q. Đống Đa', '02/11/2003',
  'Phạm Thị Liên', 'Hoàng Minh Tiến', 'Xóm 8, X. Đức Thượng, H. Hoài Đức, Hà Tây',
];

/** A small deterministic random source (the tell must not depend on the draw). */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const base = (ch: string) => ch.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');

/** Times Roman advance widths (thousandths of an em), a serif face's proportions. */
const TIMES: Record<string, number> = {
  a: 444, b: 500, c: 444, d: 500, e: 444, f: 333, g: 500, h: 500, i: 278, j: 278, k: 500, l: 278, m: 778, n: 500, o: 500, p: 500,
  q: 500, r: 333, s: 389, t: 278, u: 500, v: 500, w: 722, x: 500, y: 500, z: 444, A: 722, B: 667, C: 667, D: 722, E: 611, G: 722,
  H: 722, K: 722, L: 611, M: 889, N: 722, P: 556, Q: 722, S: 556, T: 611, V: 722, X: 722, '.': 250, ',': 250, '/': 278,
};
const timesWidth = (ch: string) => (/\d/.test(ch) ? 500 : (TIMES[base(ch)] ?? 500)) / 1000;

/** Lays the values out one per line, a word's box as `width(word)` gives it, spaces of `space` px. */
function layout(values: readonly string[], width: (word: string) => number, space: number, jitter: () => number = () => 0): OcrWord[] {
  const words: OcrWord[] = [];
  values.forEach((value, line) => {
    let x = 400;
    for (const text of value.split(' ')) {
      const w = Math.max(4, width(text) + jitter());
      words.push({ text, confidence: 0.8, box: [Math.round(x), 300 + line * 90 + Math.round(jitter() / 2), Math.round(w), 40], line });
      x += w + space;
    }
  });
  return words;
}

/** A typewriter at 25 px a character: the ink of a word spans its cells less its end letters' side white. */
function typed(values: readonly string[], seed = 1): OcrWord[] {
  const r = random(seed);
  const side = (ch: string) => (/[iljI.,:;'!1]/.test(base(ch)) ? 0.32 : /[mwMW]/.test(base(ch)) ? 0.02 : 0.1) * 25;
  return layout(values, (w) => [...w].length * 25 - side(w[0]!) - side(w.at(-1)!), 25, () => (r() - 0.5) * 3);
}

/** Hand-writing: a proportional hand, each word a little larger or smaller, slanted, uneven. */
function hand(values: readonly string[], seed = 2): OcrWord[] {
  const r = random(seed);
  return layout(values, (w) => [...w].reduce((s, ch) => s + timesWidth(ch), 0) * 52 * (0.92 + r() * 0.16) + 6, 20, () => (r() - 0.5) * 6);
}

/** Computer print in a serif face: proportional, exact. */
const printed = (values: readonly string[]) => layout(values, (w) => [...w].reduce((s, ch) => s + timesWidth(ch), 0) * 46 - 2, 12);

describe('telling typewritten values by their fixed pitch', () => {
  it('tells typewritten values typed, and finds their pitch', () => {
    for (const seed of [1, 2, 3, 4]) {
      const tell = tellTyping(typed(VALUES, seed));
      expect(tell.typing, `seed ${seed}`).toBe('typed');
      expect(tell.pitch).toBeCloseTo(25, 0);
    }
  });

  it('does not tell hand-writing or computer print typed, however even', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) expect(tellTyping(hand(VALUES, seed)).typing, `seed ${seed}`).toBe('not_typed');
    const print = tellTyping(printed(VALUES));
    expect(print.typing).toBe('not_typed');
    // the letters' widths foretell print's widths better than their count
    expect(print.proportionalSpread!).toBeLessThan(print.fixedSpread!);
  });

  it('leaves a page of few words undecided', () => {
    const few = typed(['Nguyễn Thị Minh Khai', '15/03/1962', 'Kinh', 'Việt Nam']);
    expect(few.length).toBeLessThan(MIN_WORDS);
    expect(tellTyping(few)).toMatchObject({ typing: 'undecided', pitch: null });
    expect(tellTyping([]).typing).toBe('undecided');
    // many words, but all of one length, give no pitch
    expect(tellTyping(typed(Array.from({ length: 20 }, () => 'Kinh'))).typing).toBe('undecided');
  });

  it('does not measure pieces of a word OCR read glued, whose boxes were divided, not read', () => {
    const words = typed(VALUES).map((w) => ({ ...w, piece: 0 }));
    expect(tellTyping(words)).toMatchObject({ typing: 'undecided', words: 0 });
  });

  it('trusts as typed only values whose words fit the page’s pitch: not a value added by hand', () => {
    const page = typed(VALUES);
    const tell = tellTyping(page);
    expect(fitsPitch(page.filter((w) => w.line === 0), tell)).toBe(true);
    const added = hand(['Đặng Thị Mỹ Hạnh']);
    expect(fitsPitch(added, tell)).toBe(false);
    // a stop or comma at a word's end is not measured: OCR's box takes its speck or not
    const [city] = page.filter((w) => w.text === 'Nội');
    expect(fitsPitch([{ ...city!, text: 'Nội.', box: [city!.box[0], city!.box[1], city!.box[2] - 20, city!.box[3]] }], tell)).toBe(true);
    expect(fitsPitch([{ ...city!, box: [city!.box[0], city!.box[1], city!.box[2] - 20, city!.box[3]] }], tell)).toBe(false);
    // nothing fits the pitch of a page not told typed
    expect(fitsPitch(page.filter((w) => w.line === 0), tellTyping(hand(VALUES)))).toBe(false);
  });

  it('takes the words whose middle lies in a value’s lines', () => {
    const words = typed(['Họ và tên: Nguyễn Văn An']);
    const name = words[3];
    expect(wordsWithin(words, [[name!.box[0] - 5, 290, 1000, 60]]).map((w) => w.text)).toEqual(['Nguyễn', 'Văn', 'An']);
  });
});

describe('clearAlignedTwins', () => {
  const word = (text: string, x: number, marks: Partial<OcrWord> = {}): OcrWord => ({ text, confidence: 0.95, box: [x, 100, 80, 20], line: 0, ...marks });
  const field = (name: string, x: number): ExtractedField => ({ field: name, raw: '', value: '1980-01-02', precision: 'day', pageId: 1, box: null, confidence: 0.95, reasons: ['lonely_digit'], lines: [[x, 95, 90, 30]] });
  it('clears a typed value whose lonely figures meet a copy once aligned, not one still lonely, nor a value not typed', () => {
    const words = [word('2/1/1980', 0, { lonelyDigit: true }), word('3/1/1984', 200, { lonelyDigit: true, lonelyAligned: true }), word('4/1/1980', 400, { lonelyDigit: true })];
    const fields = [field('birthDate', 0), field('deathDate', 200), field('registrationDate', 400)];
    const entries = [{ fields }] as unknown as ExtractedEntry[];
    expect(clearAlignedTwins(entries, words, (f) => f.field !== 'registrationDate')).toBe(1);
    expect(fields.map((f) => f.reasons)).toEqual([[], ['lonely_digit'], ['lonely_digit']]);
  });
});
