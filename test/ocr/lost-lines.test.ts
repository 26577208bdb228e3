import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrPool, type OcrPool } from '../../src/ocr/pool.ts';
import { readLostLines, unreadBands } from '../../src/ocr/lost-lines.ts';

/** A typed form's three lines at 300 dpi: label in a serif face, value in a typewriter-like mono face. */
function formPage(): Buffer {
  const t = (x: number, y: number, text: string, family: string) => `<text x="${x}" y="${y}" font-family="${family}" font-size="40" fill="#222">${text}</text>`;
  const lines = [
    [200, 'Họ và tên người chết:', 'Nguyễn Văn Hoè'],
    [300, 'Nơi cư trú cuối cùng:', 'Số 47 ngõ 97 Hàng Gai'],
    [400, 'Nguyên nhân chết:', 'Già yếu'],
  ] as const;
  const body = lines.map(([y, label, value]) => t(100, y, label, 'DejaVu Serif') + t(620, y, value, 'DejaVu Sans Mono')).join('');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1800" height="600"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`);
}

describe('lines a whole-page reading left out', () => {
  let pool: OcrPool;
  beforeAll(async () => {
    pool = await createOcrPool({ size: 1, pageTimeoutMs: 60_000, recycleAfterPages: 50, model: 'best_int' });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('reads again a line Tesseract dropped and puts it back in reading order', async () => {
    const image = await sharp(formPage()).greyscale().withDensity(300).png().toBuffer();
    const whole = await pool.recognize(image);
    expect(whole.text).toContain('Hàng Gai');
    // the reading as Tesseract gave it on seed 3346 b19 p. 2: the middle line missing
    const kept = whole.lines.flatMap((line, l) => (line.text.includes('Hàng') ? [] : [l]));
    const dropped = {
      ...whole,
      lines: kept.map((l) => whole.lines[l]!),
      words: whole.words.filter((w) => kept.includes(w.line)).map((w) => ({ ...w, line: kept.indexOf(w.line) })),
      digits: [],
    };
    expect(dropped.words.map((w) => w.text).join(' ')).not.toContain('Hàng');
    const again = await readLostLines(pool, image, dropped);
    expect(again.lines.map((l) => l.text)).toEqual([expect.stringContaining('Hoè'), expect.stringMatching(/^Nơi cư trú cuối cùng: .*ngõ 97 Hàng Gai$/), expect.stringContaining('Nguyên nhân')]);
    expect(again.words.filter((w) => w.line === 1).map((w) => w.text).join(' ')).toMatch(/^Nơi cư trú cuối cùng: .*ngõ 97 Hàng Gai$/);
    // its words placed on the page where the line is (y 300 is its baseline)
    for (const word of again.words.filter((w) => w.line === 1)) expect(word.box[1]).toBeGreaterThan(250), expect(word.box[1]).toBeLessThan(300);
    // nothing left out: the page's reading as it was
    expect(await readLostLines(pool, image, whole)).toBe(whole);
  }, 60_000);

  it('finds no line where only marks, specks or a rule are left', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="300"><rect width="100%" height="100%" fill="#fff"/>` +
      `<rect x="100" y="100" width="1000" height="4" fill="#222"/>${Array.from({ length: 30 }, (_, i) => `<circle cx="${120 + i * 30}" cy="200" r="2" fill="#222"/>`).join('')}</svg>`;
    const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect(unreadBands({ data: new Uint8Array(data), width: info.width, height: info.height }, [], 300)).toEqual([]);
  });
});
