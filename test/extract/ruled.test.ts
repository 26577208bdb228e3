import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBook } from '../../src/extract/book-checks.ts';
import { findBookIssues, pageShortfalls, type BookEntry } from '../../src/extract/numbering.ts';
import { extractPage } from '../../src/extract/extract.ts';
import { findRuledRows, type RuledRows } from '../../src/extract/ruled.ts';
import { cleanPage } from '../../src/imaging/clean.ts';
import { extractStage } from '../../src/extract/stage.ts';
import { extractTableEntries, splitAtRules } from '../../src/extract/table.ts';
import { LAYOUTS, type TableLayout } from '../../src/extract/templates.ts';
import { expectedEntries } from '../../src/extract/unread.ts';
import type { OcrWord } from '../../src/extract/words.ts';
import { recordBlob } from '../../src/db/blobs.ts';
import { createLocalBlobStore, type BlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/**
 * A clean 1956–1960 birth register page at 300 dpi: the title, the table's rules (headings band 300–500, then
 * rows 500–800, 800–1100, 1100–1400, 1400–1700, 1700–2000), writing as pen scribbles in the first four rows,
 * none in the last, and a clerk's slanted pen stroke across the fourth row.
 */
const LAYOUT = LAYOUTS.birth['1956-1960'] as TableLayout;
const [LEFT, RIGHT] = [140, 3300];
const RULES = [300, 500, 800, 1100, 1400, 1700, 2000];
const WIDTHS = LAYOUT.columns.map((c) => c.width);
const TOTAL = WIDTHS.reduce((a, b) => a + b, 0);
const EDGES = WIDTHS.reduce((edges, w) => [...edges, edges.at(-1)! + ((RIGHT - LEFT) * w) / TOTAL], [LEFT]);
/** Columns written in each of the first four rows (number, name, sex, birth date, mother, registration). */
const WRITTEN_COLUMNS = [0, 1, 2, 3, 6, 8];

const scribble = (x: number, y: number, width: number) => {
  let d = `M ${x} ${y}`;
  for (let at = 0; at + 24 <= width; at += 24) d += ` l 12 -34 l 12 34`;
  return `<path d="${d}" fill="none" stroke="#1c2a63" stroke-width="5"/>`;
};

async function ruledPage(options: { rules?: boolean; greyRule?: number } = {}): Promise<Buffer> {
  const parts = ['<rect width="100%" height="100%" fill="white"/>', scribble(1300, 180, 700)];
  if (options.rules !== false) {
    // a grey, thick printed rule (a typed book's) is a rule too, however dense the writing beside it
    for (const y of RULES) parts.push(`<line x1="${LEFT}" y1="${y}" x2="${RIGHT}" y2="${y}" stroke="${y === options.greyRule ? '#bfbfbf' : '#111'}" stroke-width="${y === options.greyRule ? 14 : 4}"/>`);
    for (const x of EDGES) parts.push(`<line x1="${x}" y1="${RULES[0]}" x2="${x}" y2="${RULES.at(-1)}" stroke="#111" stroke-width="4"/>`);
  }
  for (let row = 0; row < 4; row++) {
    for (const ci of WRITTEN_COLUMNS) parts.push(scribble(EDGES[ci]! + 12, RULES[row + 1]! + 70, Math.min(200, EDGES[ci + 1]! - EDGES[ci]! - 30)));
  }
  parts.push(`<line x1="${EDGES[1]! + 20}" y1="1440" x2="${EDGES[8]!}" y2="1660" stroke="#1c2a63" stroke-width="6"/>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="3400" height="2300">${parts.join('')}</svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).greyscale().png().withMetadata({ density: 300 }).toBuffer();
}

let line = 0;
/** OCR words of one line, 22 px a character, at (x, y) of the clean image. */
const words = (text: string, x: number, y: number, confidence = 0.93): OcrWord[] => {
  line++;
  let at = x;
  return text.split(' ').map((token) => {
    const word: OcrWord = { text: token, confidence, box: [at, y, token.length * 22, 40], line };
    at += (token.length + 1) * 22;
    return word;
  });
};
const col = (ci: number) => EDGES[ci]! + 14;

/**
 * What OCR read of the page: row 1's number glued to the name by the column's rule, row 2's number misread
 * as letters no figure is read as ("lI9": a typewriter's l for 1; an O or S for a figure is read as one,
 * `entryNumberAlike`), nothing at all in row 3, row 4 read.
 */
const PAGE_WORDS: OcrWord[] = [
  ...words('118|Nguyễn Văn An', col(0) - 4, 530), ...words('Trai', col(2), 530), ...words('12/3/1959', col(3), 530), ...words('Trần Thị Hoa', col(6), 530), ...words('20/3/1959', col(8), 530),
  ...words('lI9', col(0), 830, 0.9), ...words('Lê Thị Bình', col(1), 830), ...words('Gái', col(2), 830), ...words('4/5/1959', col(3), 830), ...words('Phạm Thị Lan', col(6), 830), ...words('11/5/1959', col(8), 830),
  ...words('121', col(0), 1430), ...words('Đỗ Văn Cường', col(1), 1430), ...words('Trai', col(2), 1430), ...words('2/6/1959', col(3), 1430), ...words('Vũ Thị Mai', col(6), 1430), ...words('9/6/1959', col(8), 1430),
];

/** The rows findRuledRows gives for the page (checked in the first test), as data for the pure tests. */
const band = (from: number, to: number, written: boolean) => ({ from, to, ink: WIDTHS.map((_, ci) => (written && WRITTEN_COLUMNS.includes(ci) ? 20 : 0)) });
const RULED: RuledRows = { left: LEFT, right: RIGHT, bands: [band(500, 800, true), band(800, 1100, true), band(1100, 1400, true), band(1400, 1700, true), band(1700, 2000, false)] };
const page = (ruled: RuledRows | null) => ({ id: 4, registerType: 'birth' as const, era: '1956-1960' as const, yearFrom: 1959, yearTo: 1959, width: 3400, height: 2300, words: PAGE_WORDS, ruled });

/** Pixels of 300 dpi within which a rule is found: about two of the analysis's pixels (0.25 mm each). */
const NEAR = 8;

describe('findRuledRows', () => {
  it('cuts the table into the bands between its rules, below the headings, with the writing of each column', async () => {
    const ruled = await findRuledRows(await ruledPage(), WIDTHS);
    expect(ruled).not.toBeNull();
    expect(Math.abs(ruled!.left - LEFT)).toBeLessThanOrEqual(NEAR);
    expect(Math.abs(ruled!.right - RIGHT)).toBeLessThanOrEqual(NEAR);
    // the slanted stroke across the fourth row is writing, not a rule: five bands, not six
    expect(ruled!.bands).toHaveLength(5);
    ruled!.bands.forEach((b, i) => {
      expect(Math.abs(b.from - RULES[i + 1]!)).toBeLessThanOrEqual(NEAR);
      expect(Math.abs(b.to - RULES[i + 2]!)).toBeLessThanOrEqual(NEAR);
    });
    const written = ruled!.bands.map((b) => WRITTEN_COLUMNS.every((ci) => b.ink[ci]! > 3));
    expect(written).toEqual([true, true, true, true, false]);
    // the vertical rules are not counted as writing: the columns never written are empty
    expect(ruled!.bands.slice(0, 3).map((b) => b.ink[4])).toEqual([0, 0, 0]);
    expect(ruled!.bands[4]!.ink.every((v) => v === 0)).toBe(true);
  });

  it('finds a thick grey rule between two rows', async () => {
    const ruled = await findRuledRows(await ruledPage({ greyRule: 1100 }), WIDTHS);
    expect(ruled!.bands.map((b) => Math.round(b.from / 100))).toEqual([5, 8, 11, 14, 17]);
  });

  it('takes the rules cleanup found and painted out of the clean page', async () => {
    const ruled = await findRuledRows(await ruledPage({ rules: false }), WIDTHS, { rows: RULES, columns: EDGES });
    expect(ruled!.bands.map((b, i) => Math.abs(b.from - RULES[i + 1]!) <= NEAR && Math.abs(b.to - RULES[i + 2]!) <= NEAR)).toEqual([true, true, true, true, true]);
    expect(ruled!.bands.map((b) => WRITTEN_COLUMNS.every((ci) => b.ink[ci]! > 3))).toEqual([true, true, true, true, false]);
  });

  it('is given the table’s horizontal rules by cleanup’s rules step', async () => {
    const [clean] = (await cleanPage(await ruledPage(), { dpi: 300, steps: { rules: true } })).pages;
    const rows = clean!.table!.rows!;
    expect(rows.slice(1).map((y, i) => y - rows[i]!).map((step, i) => Math.abs(step - (RULES[i + 1]! - RULES[i]!)) <= NEAR)).toEqual(RULES.slice(1).map(() => true));
  });

  it('finds nothing on a page without rules', async () => {
    expect(await findRuledRows(await ruledPage({ rules: false }), WIDTHS)).toBeNull();
  });
});

describe('entries of a ruled page by its bands', () => {
  it('makes every written band read by OCR an entry, its number unread or not, and counts the band OCR read nothing of', () => {
    const entries = extractPage(page(RULED));
    expect(entries.map((e) => e.entryNo)).toEqual([118, null, 121]);
    expect(entries.map((e) => e.region[0]!.box)).toEqual([[LEFT, 500, RIGHT - LEFT, 300], [LEFT, 800, RIGHT - LEFT, 300], [LEFT, 1400, RIGHT - LEFT, 300]]);
    // the number glued to the name: each in its column, and neither taken as surely read
    const first = new Map(entries[0]!.fields.map((f) => [f.field, f]));
    expect(first.get('entryNo')!.value).toBe('118');
    expect(first.get('entryNo')!.confidence).toBeLessThan(0.97);
    expect(first.get('fullName')!.value).toBe('Nguyễn Văn An');
    // the number read as letters: the entry is kept, its number goes to a person
    const second = new Map(entries[1]!.fields.map((f) => [f.field, f]));
    expect(second.get('entryNo')).toMatchObject({ value: null, confidence: 0, reasons: ['parse_failed'] });
    expect(second.get('fullName')!.value).toBe('Lê Thị Bình');
    // four written bands, three entries: the page is raised for keying
    expect(expectedEntries(PAGE_WORDS, 'birth', '1956-1960', RULED)).toBe(4);
    expect([...pageShortfalls([{ pageId: 4, expected: 4, found: entries.length }])]).toEqual([[4, 1]]);
  });

  it('starts rows only at the numbers read without the rules, as before', () => {
    // "lI9" starts no row: the second entry runs into the first, and nothing counts the rows
    expect(extractPage(page(null)).map((e) => e.entryNo)).toEqual([118, 121]);
    expect(expectedEntries(PAGE_WORDS, 'birth', '1956-1960', null)).toBeNull();
  });

  it('takes a first band with nothing in the number and name columns for the end of a row begun on the page before', () => {
    const top = { from: 500, to: 800, ink: WIDTHS.map((_, ci) => (ci === 6 ? 20 : 0)) };
    const ruled: RuledRows = { ...RULED, bands: [top, ...RULED.bands.slice(1)] };
    const rest = [...words('Số 12 phố Huế', col(6), 530), ...PAGE_WORDS.filter((w) => w.box[1] > 800)];
    const entries = extractPage({ ...page(ruled), words: rest });
    expect(entries.map((e) => e.entryNo)).toEqual([null, 121]);
    expect(expectedEntries(rest, 'birth', '1956-1960', ruled)).toBe(3);
  });

  it('splits a word at a column rule and drops a bracket read for the rule beside a number', () => {
    const split = splitAtRules([{ text: '119|Nguyễn', confidence: 0.98, box: [100, 10, 220, 40], line: 1 }, { text: '125]', confidence: 0.95, box: [100, 80, 88, 40], line: 2 }, { text: 'Hà', confidence: 0.97, box: [300, 80, 44, 40], line: 2 }]);
    expect(split.map((w) => [w.text, w.box[0], w.confidence])).toEqual([['119', 100, 0.9], ['Nguyễn', 188, 0.9], ['125', 100, 0.9], ['Hà', 300, 0.97]]);
  });

  it('keeps a value wrapped onto the next line of its cell with its item, and the items after it in their place', () => {
    // a father's column (name, age, ethnicity, nationality, residence) and a residence with an ID number, typed
    // in narrow columns: the name, "Việt Nam" and the address wrap without a comma
    const layout: TableLayout = { kind: 'table', id: 'test', printed: { textWidthMm: 260, headingsBelowTitleMm: 20 }, columns: [
      { width: 10, items: ['entryNo'] },
      { width: 40, items: ['fatherName', 'fatherAge', 'fatherEthnicity', 'fatherNationality', 'fatherResidence'] },
      { width: 40, items: ['husbandResidence', 'husbandIdNumber'] },
    ] };
    const [x0, x1, x2] = [LEFT + 20, LEFT + 10 * 79 + 20, LEFT + 50 * 79 + 20];
    const cell = [
      ...words('7', x0, 530), ...words('Nguyễn Văn', x1, 530), ...words('Việt', x1, 580), ...words('Kinh', x1, 630), ...words('Việt', x1, 680), ...words('Nam', x1, 730),
      ...words('Thôn Cổ Loa,', x1, 780), ...words('Đông Anh', x1, 830),
      ...words('Xóm 2, X. Ngọc', x2, 530), ...words('Hồi, H. Thanh Trì', x2, 580), ...words('011102828', x2, 630),
    ];
    const ruled: RuledRows = { left: LEFT, right: LEFT + 90 * 79, bands: [{ from: 500, to: 900, ink: [20, 20, 20] }] };
    const [entry] = extractTableEntries(cell, layout, { width: 8000, height: 2300 }, ruled);
    const value = (item: string) => entry!.items.get(item)!.words.map((w) => w.text).join(' ');
    expect(value('fatherName')).toBe('Nguyễn Văn Việt');
    expect(value('fatherAge')).toBe('');
    expect(value('fatherEthnicity')).toBe('Kinh');
    expect(value('fatherNationality')).toBe('Việt Nam');
    expect(value('fatherResidence')).toBe('Thôn Cổ Loa, Đông Anh');
    expect(value('husbandResidence')).toBe('Xóm 2, X. Ngọc Hồi, H. Thanh Trì');
    expect(value('husbandIdNumber')).toBe('011102828');
  });

  it('claims no gap for the numbers the unsure and the unread entries of the page explain', () => {
    const at = (id: number, entryNo: number | null, numberSure: boolean): BookEntry =>
      ({ id, pageId: 4, pageOrder: 1, printedPageNo: null, year: 1959, entryNo, numberSure, registrationDate: null, struck: false });
    const next: BookEntry = { ...at(4, 122, true), pageId: 5, pageOrder: 2 };
    const read = [at(1, 118, true), at(2, null, false), at(3, 121, true), next];
    expect(findBookIssues(read, { yearFrom: 1959, yearTo: 1959 }, new Map([[4, 1]]))).toEqual([]);
    // without the band count, one of 119 and 120 is a gap
    expect(findBookIssues(read, { yearFrom: 1959, yearTo: 1959 }).map((i) => i.kind)).toEqual(['entry_gap']);
  });
});

describe('extract stage and book checks on a ruled page', () => {
  let t: TestDatabase;
  let dir: string;
  let blobs: BlobStore;
  let pageId: number;
  let bookId: number;

  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'civreg-ruled-'));
    blobs = createLocalBlobStore(dir);
    const stored = await blobs.put(await ruledPage());
    await recordBlob(t.db, { ...stored, mediaType: 'image/png' });
    const [office] = await t.db.query<{ id: number }>(`insert into registry_office (code, name) values ('QT', 'Phường Quang Trung') returning id`);
    const [book] = await t.db.query<{ id: number }>(
      `insert into book (office_id, register_type, book_no, year_from, year_to, era) values ($1, 'birth', '02', 1959, 1959, '1956-1960') returning id`, [office!.id]);
    bookId = book!.id;
    const [upload] = await t.db.query<{ id: number }>(
      `insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'p.png', repeat('b', 64), 1, 'test') returning id`, [bookId]);
    const [row] = await t.db.query<{ id: number }>(
      `insert into page (book_id, upload_id, file_index, label, status, clean_width, clean_height, clean_sha256) values ($1, $2, 0, 'p.png', 'ocr_done', 3400, 2300, $3) returning id`,
      [bookId, upload!.id, stored.sha256]);
    pageId = row!.id;
    await t.db.query(`insert into page_ocr (page_id, engine, text, mean_confidence, words, lines) values ($1, 'test', '', 0.9, $2, '[]')`, [pageId, JSON.stringify(PAGE_WORDS)]);
  });
  afterAll(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores an entry per band read and the bands written, and raises the unread band for keying instead of a gap', async () => {
    await t.db.transaction((sql) => extractStage.run({ pageId }, { sql, instance: 'test:1', blobs }));
    expect(await t.db.query(`select entry_no from entry order by seq`)).toEqual([{ entry_no: 118 }, { entry_no: null }, { entry_no: 121 }]);
    expect(await t.db.query(`select entries_expected from page where id = $1`, [pageId])).toEqual([{ entries_expected: 4 }]);
    // a person confirmed the numbers read; the unread one waits for review
    await t.db.query(`update entry_field set status = 'verified' where field = 'entryNo' and value is not null`);
    await t.db.query(`update entry_field set status = 'review' where field = 'entryNo' and value is null`);
    await t.db.query(`update page set status = 'routed' where id = $1`, [pageId]);
    const issues = await t.db.transaction((sql) => checkBook(sql, bookId));
    // the clerk's stroke across the fourth row strikes that entry (it keeps its number); 119 and 120 are no gap
    expect(issues!.map((i) => [i.kind, i.detail])).toEqual([['struck_entry', { entryNo: 121 }], ['entry_not_read', { expected: 4, found: 3, missing: 1 }]]);
  });
});
