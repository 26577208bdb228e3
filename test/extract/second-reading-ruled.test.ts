import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import { decide, AUTO_ACCEPT_THRESHOLD } from '../../src/extract/routing.ts';
import { overRule, readableInCell, readLineWith, readUnsureValuesAgain, tableCrop, withCaseOf } from '../../src/extract/second-reading.ts';
import { LAYOUTS, type TableLayout } from '../../src/extract/templates.ts';
import { parseField } from '../../src/extract/values.ts';
import { placeCutShort } from '../../src/places/written-place.ts';
import type { OcrWord, PixelBox } from '../../src/extract/words.ts';
import { createOcrPool, type OcrPool } from '../../src/ocr/pool.ts';

/**
 * A row of a typed 1961–1998 death register at 300 dpi: the table's rules drawn as printed, 10 px a unit of the
 * layout's column widths, and one row (rules at y 600 and 820) whose birth date is typed close under the row's
 * top rule and up to its column's right rule, the ethnicity typed just past that rule.
 */
const LAYOUT = LAYOUTS.death['1961-1998'] as TableLayout;
const TEMPLATE = LAYOUT.id;
const [LEFT, TOP, BOTTOM] = [100, 600, 820];
const EDGES = LAYOUT.columns.reduce((edges, c) => [...edges, edges.at(-1)! + c.width * 10], [LEFT]);
const ROW: PixelBox = [LEFT, TOP, EDGES.at(-1)! - LEFT, BOTTOM - TOP];
const BIRTH = LAYOUT.columns.findIndex((c) => c.items.includes('birthDate'));
/** The date's line as OCR boxes it: its ink, 4 px under the row's rule and 4 px short of the column's. */
const LINE: PixelBox = [EDGES[BIRTH]! + 15, TOP + 4, 191, 26];

async function typedRow(date: string): Promise<Buffer> {
  const type = (x: number, y: number, text: string) =>
    `<text x="${x}" y="${y}" font-family="Courier Prime" font-size="32" fill="#222">${text}</text>`;
  const parts = ['<rect width="100%" height="100%" fill="white"/>'];
  for (const y of [400, TOP, BOTTOM]) parts.push(`<line x1="${LEFT}" y1="${y}" x2="${EDGES.at(-1)}" y2="${y}" stroke="#111" stroke-width="4"/>`);
  for (const x of EDGES) parts.push(`<line x1="${x}" y1="400" x2="${x}" y2="${BOTTOM}" stroke="#111" stroke-width="4"/>`);
  parts.push(type(EDGES[BIRTH]! + 14, TOP + 26, date), type(EDGES[BIRTH + 1]! + 4, TOP + 26, 'Kinh'));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${EDGES.at(-1)! + 100}" height="1000">${parts.join('')}</svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).greyscale().png().withMetadata({ density: 300 }).toBuffer();
}

const entry = (fields: ExtractedField[]): ExtractedEntry => ({
  year: 1975, entryNo: 12, entryNoConfidence: 0.8, seq: 0, pageIds: [1], region: [{ pageId: 1, box: ROW }], struck: false, template: TEMPLATE, fields, notes: [],
});

function birthDate(raw: string, confidence: number, line: PixelBox): ExtractedField {
  const parsed = parseField('birthDate', raw);
  return { field: 'birthDate', raw, value: parsed.value, precision: parsed.precision, pageId: 1, box: line, confidence, reasons: [], lines: [line] };
}

const word = (text: string, box: PixelBox): OcrWord => ({ text, box, confidence: 0.9, line: 0 } as OcrWord);
/** The page's other words: the ethnicity beside the date, past the column's rule. */
const WORDS = [word('Kinh', [EDGES[BIRTH + 1]! + 5, TOP + 4, 76, 26])];
const TABLE = { threshold: AUTO_ACCEPT_THRESHOLD.table, table: { words: WORDS } };

describe('a second reading of a typed ruled cell', () => {
  let pool: OcrPool;
  beforeAll(async () => {
    pool = await createOcrPool({ size: 1, pageTimeoutMs: 60_000, recycleAfterPages: 100, model: 'best_int' });
  }, 60_000);
  afterAll(async () => pool?.close());

  it('reads a date typed under the row’s rule and up to the column’s rule within its cell, and confirms it for a ruled book', async () => {
    const page = await typedRow('15/03/1962');
    const date = birthDate('15/03/1962', 0.9, LINE);
    const found = entry([date]);
    expect(decide({ id: 1, value: date.value, confidence: date.confidence, reasons: [] }, TEMPLATE, 0)).toMatchObject({ reasons: ['low_confidence'] });
    expect(await readUnsureValuesAgain([found], page, readLineWith(pool), undefined, () => true, TABLE)).toBe(1);
    const judged = found.fields[0]!;
    expect(judged.reasons).toEqual([]);
    expect(judged.confidence).toBeGreaterThanOrEqual(AUTO_ACCEPT_THRESHOLD.table);
    expect(decide({ id: 1, value: judged.value, confidence: judged.confidence, reasons: judged.reasons }, TEMPLATE, 0)).toEqual({ status: 'auto_accepted' });
  }, 60_000);

  it('sends a cell read otherwise the second time to a person', async () => {
    const page = await typedRow('15/08/1962');
    const date = birthDate('15/03/1962', 0.9, LINE);
    const found = entry([date]);
    expect(await readUnsureValuesAgain([found], page, readLineWith(pool), undefined, () => true, TABLE)).toBe(1);
    expect(found.fields[0]!.reasons).toEqual(['readings_disagree']);
  }, 60_000);

  it('does not read again the year of a date in words alone: its day and month may be on a line it lost', async () => {
    const page = await typedRow('năm 1962');
    const year = { ...birthDate('năm 1962', 0.9, LINE), value: '1962', precision: 'year' as const };
    const found = entry([year]);
    expect(await readUnsureValuesAgain([found], page, readLineWith(pool), undefined, () => true, TABLE)).toBe(0);
    expect(found.fields[0]).toBe(year);
  }, 60_000);

  it('reads the whole first letter when the line’s box starts inside it (a word cut from the rule OCR glued to it)', async () => {
    const page = await typedRow('15/03/1962');
    // "|15/03/1962" cut at the "|" by its share of the letters: the box starts a third of a letter into the "1"
    const cut: PixelBox = [LINE[0] + 7, LINE[1], LINE[2] - 7, LINE[3]];
    const found = entry([birthDate('15/03/1962', 0.9, cut)]);
    expect(await readUnsureValuesAgain([found], page, readLineWith(pool), undefined, () => true, TABLE)).toBe(1);
    expect(found.fields[0]!.reasons).toEqual([]);
  }, 60_000);
});

describe('the crop of a ruled table’s line', () => {
  const grid = { columns: [100, 400, 700], top: 50, bottom: 900, rows: [50, 300, 600, 900] };
  const page = { width: 1000, height: 1000 };
  it('spans its cell from rule to rule, further where the line runs over its right rule, and not into the row’s other lines', () => {
    expect(tableCrop([150, 340, 200, 30], grid, [], page)).toEqual([100, 329, 300, 52]);
    expect(tableCrop([105, 340, 330, 30], grid, [], page)).toEqual([100, 329, 335, 52]);
    // no rules found: a line height either side
    expect(tableCrop([150, 340, 200, 30], null, [], page)).toEqual([120, 329, 260, 52]);
    // the next line of the cell 8 px below, the row's rule just above
    // boxes of words cut by their letters' share, and rules scaled from a smaller copy, are fractional: sharp wants whole pixels
    expect(tableCrop([150.4, 340.6, 200.2, 30.3], { ...grid, rows: [50.5, 300.25, 600.75] }, [word('Nam', [150.5, 383.3, 90, 30])], page)!.every(Number.isInteger)).toBe(true);
    expect(tableCrop([150, 305, 200, 30], grid, [word('Nam', [150, 343, 90, 30]), word('Kinh', [420, 300, 80, 30])], page)).toEqual([100, 300, 300, 43]);
  });

  it('knows a line typed over a column rule (the bit of rule left inside its letters is read twice alike)', () => {
    expect(overRule([150, 340, 200, 30], grid)).toBe(false);
    expect(overRule([105, 340, 293, 30], grid)).toBe(false);
    expect(overRule([105, 340, 330, 30], grid)).toBe(true);
    expect(overRule([105, 340, 330, 30], null)).toBe(false);
  });

  it('takes the first reading’s capitals where the second read the same letter small, for letters of one shape only', () => {
    expect(withCaseOf('Số 133 phố Cửa Đông', 'Số 133 phố cửa Đông')).toBe('Số 133 phố Cửa Đông');
    expect(withCaseOf('Việt Nam', 'việt Nam')).toBe('Việt Nam');
    expect(withCaseOf('Nguyễn Thị Tâm', 'Nguyễn thị Tâm')).toBe('Nguyễn thị Tâm');
    expect(withCaseOf('Thôn siêu Quần', 'Thôn Siêu Quần')).toBe('Thôn Siêu Quần');
    expect(withCaseOf('Việt Nam', 'viet Nam')).toBe('viet Nam');
  });
});

describe('which ruled cells a second reading may confirm', () => {
  const value = (field: string, raw: string): ExtractedField => {
    const parsed = parseField(field, raw);
    return { field, raw, value: parsed.value, precision: parsed.precision, pageId: 1, box: null, confidence: 0.9, reasons: [] };
  };
  it('not the year of a date in words alone, a value opening with a small letter of one shape, or a place whose province lost its end', () => {
    expect(readableInCell(value('registrationDate', 'ngày 27 tháng 11 năm 1989'))).toBe(true);
    expect(readableInCell(value('registrationDate', 'năm 1989'))).toBe(false);
    expect(readableInCell(value('husbandBirthDate', '1930'))).toBe(true);
    // a year alone where the register writes the day (seed 3014: "1984" for 20/7/1984)
    expect(readableInCell(value('registrationDate', '1984'), 'death/1961-1998')).toBe(false);
    expect(readableInCell(value('registrationDate', '20/7/1984'), 'death/1961-1998')).toBe(true);
    expect(readableInCell(value('birthDate', '1984'), 'birth/1961-1998')).toBe(false);
    expect(readableInCell(value('birthDate', '1930'), 'death/1961-1998')).toBe(true);
    expect(readableInCell(value('residence', 'Xóm 11, Đông Anh, Đông Anh'))).toBe(true);
    expect(readableInCell(value('residence', 'xóm 11, Đông Anh, Đông Anh'))).toBe(false);
    expect(readableInCell(value('hometown', 'huyện Kim Bảng, Hà Nam Ninh'))).toBe(true);
    expect(readableInCell(value('deathPlace', 'Bệnh viện Xanh Pôn, Q. Ba Đình'))).toBe(true);
    expect(readableInCell(value('deathCause', 'Già yếu'))).toBe(true);
    expect(readableInCell(value('birthPlace', 'Viện Bảo vệ Bà mẹ và Trẻ sơ sinh, Hoàn Kiếm'))).toBe(true);
    expect(readableInCell(value('hometown', 'xã Xuân Hòa, huyện Nam Đàn, Nghệ An'))).toBe(false);
    expect(placeCutShort('Thôn Đông, huyện Nam Đàn, Nghệ') !== null).toBe(true);
    expect(placeCutShort('Thôn Đông, huyện Nam Đàn, Nghệ An') !== null).toBe(false);
    expect(placeCutShort('Tổ 17, Đồng Tâm, Hai Bà Trưng') !== null).toBe(false);
    expect(placeCutShort('Nghệ') !== null).toBe(false);
  });
});
