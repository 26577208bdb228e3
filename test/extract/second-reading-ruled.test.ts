import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import { decide, AUTO_ACCEPT_THRESHOLD } from '../../src/extract/routing.ts';
import { readLineWith, readUnsureValuesAgain } from '../../src/extract/second-reading.ts';
import { cellOfItem } from '../../src/extract/table.ts';
import { LAYOUTS, type TableLayout } from '../../src/extract/templates.ts';
import { parseField } from '../../src/extract/values.ts';
import type { PixelBox } from '../../src/extract/words.ts';
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

const cellOf = (found: ExtractedEntry, field: ExtractedField) => cellOfItem(LAYOUT, found.region[0]!.box, field.field);
const TABLE = { threshold: AUTO_ACCEPT_THRESHOLD.table, cellOf };

describe('a second reading of a typed ruled cell', () => {
  let pool: OcrPool;
  beforeAll(async () => {
    pool = await createOcrPool({ size: 1, pageTimeoutMs: 60_000, recycleAfterPages: 100, model: 'best_int' });
  }, 60_000);
  afterAll(async () => pool?.close());

  it('finds the cell of an item from its row and the layout’s column widths', () => {
    expect(cellOfItem(LAYOUT, ROW, 'birthDate')).toEqual([EDGES[BIRTH], TOP, EDGES[BIRTH + 1]! - EDGES[BIRTH]!, BOTTOM - TOP]);
    expect(cellOfItem(LAYOUT, ROW, 'nationality')).toEqual([EDGES[BIRTH + 1], TOP, EDGES[BIRTH + 2]! - EDGES[BIRTH + 1]!, BOTTOM - TOP]);
    expect(cellOfItem(LAYOUT, ROW, 'husbandName')).toBeNull();
  });

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
});
