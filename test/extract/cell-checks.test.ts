import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import type { GreyImage } from '../../src/imaging/analysis.ts';
import { inkIn, lostAbove, pastRow } from '../../src/extract/cell-checks.ts';
import { AUTO_ACCEPT_THRESHOLD } from '../../src/extract/routing.ts';
import { caseInDoubt } from '../../src/extract/letter-case.ts';
import { readableInCell, readUnsureValuesAgain } from '../../src/extract/second-reading.ts';
import { parseField } from '../../src/extract/values.ts';
import type { OcrWord, PixelBox } from '../../src/extract/words.ts';

const word = (text: string, box: PixelBox): OcrWord => ({ text, box, confidence: 0.9, line: 0 } as OcrWord);
/** A table's column rules at x 100, 400, 700 and row rules at y 300, 600 (painted out: the page is white). */
const GRID = { columns: [100, 400, 700], top: 50, bottom: 900, rows: [50, 300, 600, 900] };

/** A white page of 1000 × 1000 with dark boxes (typed words OCR did not read). */
function page(...ink: PixelBox[]): GreyImage {
  const data = new Uint8Array(1000 * 1000).fill(255);
  for (const [x, y, w, h] of ink) for (let row = y; row < y + h; row++) data.fill(30, row * 1000 + x, row * 1000 + x + w);
  return { data, width: 1000, height: 1000 };
}

describe('a ruled value checked against its page', () => {
  const year: PixelBox = [150, 400, 80, 30];
  it('knows a value whose cell has unread ink above its first line (a date typed "03/05/" over "1960")', () => {
    expect(lostAbove(year, GRID, [], page(), 300)).toBe(false);
    expect(lostAbove(year, GRID, [], page([150, 355, 90, 22]), 300)).toBe(true);
    // ink in the next column, or a speck, is not a lost line
    expect(lostAbove(year, GRID, [], page([450, 355, 90, 22]), 300)).toBe(false);
    expect(lostAbove(year, GRID, [], page([150, 360, 6, 6]), 300)).toBe(false);
    // ink that OCR read (another item of the cell) is not lost: only what lies between it and the value counts
    expect(lostAbove(year, GRID, [word('Kinh', [150, 355, 90, 22])], page([150, 355, 90, 22]), 300)).toBe(false);
    expect(inkIn(page([150, 355, 90, 22]), [0, 0, 1000, 1000])).toBe(90 * 22);
  });

  it('knows a value whose cell’s line above ends as a value that goes on (an address\'s "xã Lê Hồ," over "huyện Kim Bảng, …")', () => {
    const lower: PixelBox = [150, 400, 200, 30];
    expect(lostAbove(lower, GRID, [word('xã', [150, 360, 30, 30]), word('Lê', [185, 360, 30, 30]), word('Hồ,', [220, 360, 40, 30])], page(), 300)).toBe(true);
    expect(lostAbove(lower, GRID, [word('Nguyễn', [150, 360, 90, 30]), word('Văn', [245, 360, 50, 30]), word('An', [300, 360, 30, 30])], page(), 300)).toBe(false);
    // the row above's last line is not this cell's
    expect(lostAbove(lower, GRID, [word('Hồ,', [150, 280, 40, 15])], page(), 300)).toBe(false);
  });

  it('knows a value with a line reaching past its row’s rules (a line of the row beside it)', () => {
    const row: PixelBox = [100, 300, 600, 300];
    expect(pastRow([[150, 310, 200, 30], [150, 560, 200, 30]], row)).toBe(false);
    expect(pastRow([[150, 310, 200, 30], [150, 585, 200, 30]], row)).toBe(true);
    expect(pastRow([[150, 280, 200, 30]], row)).toBe(true);
  });

  it('does not read again a year alone whose cell holds its lost day and month above it', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000"><rect width="100%" height="100%" fill="white"/>
      <text x="150" y="380" font-family="Courier Prime" font-size="32" fill="#222">03/05/</text>
      <text x="150" y="425" font-family="Courier Prime" font-size="32" fill="#222">1960</text></svg>`;
    const png = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).greyscale().png().withMetadata({ density: 300 }).toBuffer();
    const parsed = parseField('wifeBirthDate', '1960');
    const field: ExtractedField = { field: 'wifeBirthDate', raw: '1960', value: parsed.value, precision: parsed.precision, pageId: 1, box: null, confidence: 0.95, reasons: [], lines: [[150, 400, 80, 30]] };
    const entry: ExtractedEntry = { year: 1985, entryNo: 19, entryNoConfidence: 0.9, seq: 0, pageIds: [1], region: [{ pageId: 1, box: [100, 300, 600, 300] }], struck: false, template: 'marriage/1961-1998', fields: [field], notes: [] };
    const sameAgain = async () => ({ text: '1960', confidence: 0.95 });
    const table = { threshold: AUTO_ACCEPT_THRESHOLD.table, table: { words: [] as OcrWord[] } };
    expect(await readUnsureValuesAgain([entry], png, sameAgain, undefined, () => true, table)).toBe(0);
    expect(entry.fields[0]!.confidence).toBe(0.95);
    // the same year alone in its cell is read again and confirmed
    const alone = await sharp(Buffer.from(svg.replace('03/05/', ''))).flatten({ background: '#ffffff' }).greyscale().png().withMetadata({ density: 300 }).toBuffer();
    expect(await readUnsureValuesAgain([entry], alone, sameAgain, undefined, () => true, table)).toBe(1);
    expect(entry.fields[0]!.confidence).toBeGreaterThanOrEqual(AUTO_ACCEPT_THRESHOLD.table);
  });
});

describe('a value whose case two readings cannot tell', () => {
  it('a small letter of one shape inside a name, or after an abbreviation’s capital (seeds 3014, 3111)', () => {
    expect(caseInDoubt('Số 106 ngõ văn Chương, Văn Miếu, Đống Đa')).toBe(true);
    expect(caseInDoubt('Bệnh viện xanh Pôn')).toBe(true);
    expect(caseInDoubt('Số 2 ngõ 187 Vạn Phúc, P. Văn Quán, Tx. Hà Đông')).toBe(true);
    expect(caseInDoubt('Số 2 ngõ 187 Vạn Phúc, P. Văn Quán, TX. Hà Đông')).toBe(false);
    // small words addresses write before a name, and a part ending before the next name
    expect(caseInDoubt('Phố Ga, thị xã Sơn Tây')).toBe(false);
    expect(caseInDoubt('Viện Bảo vệ Bà mẹ và Trẻ sơ sinh, Hoàn Kiếm')).toBe(false);
    expect(caseInDoubt('Trạm y tế xã Đa Tốn, Gia Lâm')).toBe(false);
  });

  it('a place opening with a one-shape unit word read capital while it writes its other unit words small (seed 3306)', () => {
    expect(caseInDoubt('Xã Yết Kiêu, huyện Gia Lộc, Hải Hưng')).toBe(true);
    expect(caseInDoubt('Xã Yết Kiêu, thị xã Hải Dương')).toBe(true);
    // its kinds all capitals, or none written besides: the value says nothing against the capital
    expect(caseInDoubt('Xã Hoằng Đạo, Huyện Hoằng Hóa, Tỉnh Thanh Hóa')).toBe(false);
    expect(caseInDoubt('Xã Đông La, Đông Hưng, Thái Bình')).toBe(false);
    // a letter of two shapes opening it (H, P, T), or a hamlet before the unit words
    expect(caseInDoubt('Phường Bạch Mai, quận Hai Bà Trưng, Hà Nội')).toBe(false);
    expect(caseInDoubt('Xóm 5, xã Yết Kiêu, huyện Gia Lộc, Hải Hưng')).toBe(false);
  });

  it('a unit kind in two words read small then with a one-shape capital (seed 3372 b05, accepted at 0.99)', () => {
    expect(caseInDoubt('Số 121 phố Lê Lợi, phường Sơn Lộc, thị Xã Sơn Tây, Hà Nội')).toBe(true);
    expect(caseInDoubt('thị Xã Sơn Tây, Hà Nội')).toBe(true);
    // the kind written small or in capitals throughout, a street named Xã Đàn, a capital of two shapes
    expect(caseInDoubt('Số 121 phố Lê Lợi, phường Sơn Lộc, thị xã Sơn Tây, Hà Nội')).toBe(false);
    expect(caseInDoubt('Phường Lê Lợi, Thị Xã Sơn Tây, Hà Nội')).toBe(false);
    expect(caseInDoubt('Số 5 phố Xã Đàn, Đống Đa, Hà Nội')).toBe(false);
    expect(caseInDoubt('Số 3 khu Phố Ga, thị trấn Phùng')).toBe(false);
  });

  it('a relation is stored in one spelling whatever its case, so its case is never in doubt', () => {
    const relation = parseField('declarantRelation', 'con trai');
    const field: ExtractedField = { field: 'declarantRelation', raw: 'con trai', value: relation.value, precision: null, pageId: 1, box: null, confidence: 0.9, reasons: [] };
    expect(caseInDoubt('con trai')).toBe(true);
    expect(readableInCell(field)).toBe(true);
  });
});
