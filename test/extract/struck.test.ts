import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBookIssues, type BookEntry } from '../../src/extract/numbering.ts';
import { routeStage } from '../../src/extract/route-stage.ts';
import { extractStage } from '../../src/extract/stage.ts';
import { findStruckRegions } from '../../src/extract/struck.ts';
import type { PixelBox } from '../../src/extract/words.ts';
import { recordBlob } from '../../src/db/blobs.ts';
import { createLocalBlobStore, type BlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { ocrWords } from './ocr-words.ts';

/**
 * Synthetic clean pages at 300 dpi: entries of written lines in a ruled table, with dotted leaders,
 * underlines and table rules, and pen strokes drawn over chosen entries.
 */
const WIDTH = 2000;
const ROW = 330;
const TOP = 100;
const rowBox = (i: number): PixelBox => [60, TOP + i * ROW, WIDTH - 120, ROW];
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const LINES = [
  ['Nguyễn Văn Hùng', '12.3.1961', 'Thôn Đức Thượng, xã An Khánh', 'Lê Thị Hoa'],
  ['Trần Đình Tiến', '4.5.1930', 'Xóm Chùa, xã Sơn Đồng, huyện Hoài Đức', 'Phạm Thị Gấm'],
  ['Hoàng Minh Quân', '21.3.1933', 'Thôn An Thượng, xã Vân Canh', 'Đỗ Thị Lụa'],
];

interface Stroke {
  row: number;
  /** Ends as shares of the row box: [x0, y0, x1, y1]. */
  at: [number, number, number, number];
  width?: number;
  /** Freehand: how far the middle of the stroke sags below the straight line, in pixels. */
  sag?: number;
}

interface PageOptions {
  rules?: boolean;
  /** A printed line across the whole row just under its first written line, through the descenders. */
  baselines?: boolean;
  turnDeg?: number;
}

function pageSvg(strokes: Stroke[], options: PageOptions = {}): string {
  const height = TOP + LINES.length * ROW + 100;
  const parts: string[] = [`<rect width="100%" height="100%" fill="white"/>`];
  LINES.forEach((texts, row) => {
    const [x, y] = rowBox(row);
    // three written lines per row, in columns, with a dotted leader and an underline under some
    texts.forEach((text, col) => {
      for (let line = 0; line < 3; line++) {
        const tx = x + 20 + col * 470;
        const ty = y + 70 + line * 90;
        parts.push(`<text x="${tx}" y="${ty}" font-family="DejaVu Sans, sans-serif" font-size="44" fill="#222">${escape(line === 0 ? text : text.split(' ').reverse().join(' '))}</text>`);
        if (line === 2) parts.push(`<line x1="${tx}" y1="${ty + 14}" x2="${tx + 420}" y2="${ty + 14}" stroke="#333" stroke-width="3" stroke-dasharray="3 9"/>`);
        if (line === 1 && col === 2) parts.push(`<line x1="${tx}" y1="${ty + 12}" x2="${tx + 440}" y2="${ty + 12}" stroke="#333" stroke-width="3"/>`);
      }
    });
    if (options.baselines) parts.push(`<line x1="40" y1="${y + 76}" x2="${WIDTH - 40}" y2="${y + 76}" stroke="#111" stroke-width="3"/>`);
    if (options.rules !== false) parts.push(`<line x1="40" y1="${y}" x2="${WIDTH - 40}" y2="${y}" stroke="#111" stroke-width="4"/>`);
  });
  if (options.rules !== false) {
    const bottom = TOP + LINES.length * ROW;
    parts.push(`<line x1="40" y1="${bottom}" x2="${WIDTH - 40}" y2="${bottom}" stroke="#111" stroke-width="4"/>`);
    for (const x of [40, 480, 950, 1420, WIDTH - 40]) parts.push(`<line x1="${x}" y1="${TOP}" x2="${x}" y2="${bottom}" stroke="#111" stroke-width="4"/>`);
  }
  for (const s of strokes) {
    const [x, y, w, h] = rowBox(s.row);
    const [ax, ay, bx, by] = [x + s.at[0] * w, y + s.at[1] * h, x + s.at[2] * w, y + s.at[3] * h];
    const bend = `${(ax + bx) / 2} ${(ay + by) / 2 + 2 * (s.sag ?? 0)}`;
    parts.push(`<path d="M ${ax} ${ay} Q ${bend} ${bx} ${by}" fill="none" stroke="#1c2a63" stroke-width="${s.width ?? 7}" stroke-linecap="round"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}">${parts.join('')}</svg>`;
}

async function page(strokes: Stroke[], options: PageOptions = {}): Promise<Buffer> {
  let image = sharp(Buffer.from(pageSvg(strokes, options))).flatten({ background: '#ffffff' }).greyscale();
  if (options.turnDeg) image = sharp(await image.rotate(options.turnDeg, { background: '#ffffff' }).png().toBuffer());
  return image.png().withMetadata({ density: 300 }).toBuffer();
}

const struckRows = async (png: Buffer) => (await findStruckRegions(png, LINES.map((_, i) => rowBox(i)))).map((f) => f.struck);

describe('findStruckRegions', () => {
  it('finds a diagonal pen stroke across an entry, and only that entry', async () => {
    expect(await struckRows(await page([{ row: 1, at: [0.02, 0.25, 0.98, 0.7] }]))).toEqual([false, true, false]);
  });

  it('finds a cross of two strokes, and a horizontal stroke through the writing', async () => {
    const cross = [{ row: 0, at: [0.02, 0.2, 0.97, 0.75] }, { row: 0, at: [0.02, 0.75, 0.97, 0.2] }] satisfies Stroke[];
    // through the middle of the first written line of the third row: level, like the printed rules
    const level = { row: 2, at: [0.03, (70 - 14) / ROW, 0.95, (70 - 14) / ROW] } satisfies Stroke;
    expect(await struckRows(await page([...cross, level]))).toEqual([true, false, true]);
  });

  it('finds a freehand stroke that bows by a couple of millimetres', async () => {
    expect(await struckRows(await page([{ row: 1, at: [0.02, 0.2, 0.97, 0.75], sag: 25 }]))).toEqual([false, true, false]);
  });

  it('finds a thin stroke that mostly runs between the lines', async () => {
    expect(await struckRows(await page([{ row: 2, at: [0.02, 0.3, 0.9, 0.45], width: 3 }]))).toEqual([false, false, true]);
  });

  it('finds a stroke slanted across the columns between the lines of writing, cutting none of it', async () => {
    // rows written on their first and last lines only; the stroke falls 3° through the empty middle, over the column rules
    const [x, y, w] = rowBox(1);
    const parts = [`<rect width="100%" height="100%" fill="white"/>`];
    LINES.forEach((texts, row) => texts.forEach((text, col) => {
      for (const ty of [70, 290]) parts.push(`<text x="${80 + col * 470}" y="${TOP + row * ROW + ty}" font-family="DejaVu Sans, sans-serif" font-size="44" fill="#222">${escape(text)}</text>`);
    }));
    const bottom = TOP + LINES.length * ROW;
    for (let row = 0; row <= LINES.length; row++) parts.push(`<line x1="40" y1="${TOP + row * ROW}" x2="${WIDTH - 40}" y2="${TOP + row * ROW}" stroke="#111" stroke-width="4"/>`);
    for (const rx of [40, 480, 950, 1420, WIDTH - 40]) parts.push(`<line x1="${rx}" y1="${TOP}" x2="${rx}" y2="${bottom}" stroke="#111" stroke-width="4"/>`);
    parts.push(`<line x1="${x + 0.02 * w}" y1="${y + 110}" x2="${x + 0.97 * w}" y2="${y + 110 + Math.round(0.95 * w * Math.tan((3 * Math.PI) / 180))}" stroke="#1c2a63" stroke-width="4"/>`);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${bottom + 100}">${parts.join('')}</svg>`;
    const png = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).greyscale().png().withMetadata({ density: 300 }).toBuffer();
    const found = await findStruckRegions(png, LINES.map((_, i) => rowBox(i)));
    expect(found[1]!.line).toMatchObject({ cuts: 0, alongText: false });
    expect(found.map((f) => f.struck)).toEqual([false, true, false]);
  });

  it('gives a stroke to the entry it runs furthest in when regions overlap', async () => {
    const png = await page([{ row: 1, at: [0.02, 0.25, 0.98, 0.7] }]);
    const tallFirst: PixelBox = [60, TOP, WIDTH - 120, ROW * 1.6];
    expect((await findStruckRegions(png, [tallFirst, rowBox(1), rowBox(2)])).map((f) => f.struck)).toEqual([false, true, false]);
  });

  it('flags nothing on the same page without strokes: table rules, dotted leaders, underlines', async () => {
    expect(await struckRows(await page([]))).toEqual([false, false, false]);
    expect(await struckRows(await page([], { rules: false }))).toEqual([false, false, false]);
    expect(await struckRows(await page([], { baselines: true }))).toEqual([false, false, false]);
  });

  it('takes rules left slightly turned by the deskew for rules, not strokes', async () => {
    const turned = await page([], { turnDeg: 0.8, baselines: true });
    const meta = await sharp(turned).metadata();
    const regions = LINES.map((_, i): PixelBox => [60, TOP + i * ROW + (meta.height! - (TOP + LINES.length * ROW + 100)) / 2, WIDTH - 120, ROW]);
    expect((await findStruckRegions(turned, regions)).map((f) => f.struck)).toEqual([false, false, false]);
  });

  it('answers nothing for no regions and for regions too small to hold a strike', async () => {
    const png = await page([{ row: 1, at: [0.02, 0.25, 0.98, 0.7] }]);
    expect(await findStruckRegions(png, [])).toEqual([]);
    expect(await findStruckRegions(png, [[100, 500, 60, 40]])).toEqual([{ struck: false, line: null }]);
  });
});

describe('book checks on struck entries', () => {
  const entry = (id: number, entryNo: number, struck = false): BookEntry => ({ id, pageId: 1, pageOrder: 1, printedPageNo: null, year: 1958, entryNo, numberSure: !struck, registrationDate: '1958-02-06', struck });

  it('raises a struck_entry issue naming the page and entry; the number it used up is no gap', () => {
    const issues = findBookIssues([entry(1, 5), entry(2, 6, true), entry(3, 7), entry(4, 8)], { yearFrom: 1958, yearTo: 1958 });
    expect(issues).toEqual([{ kind: 'struck_entry', year: 1958, pageId: 1, entryId: 2, detail: { entryNo: 6 } }]);
    // however its number was read, and a real gap beside it is still one
    const misread = findBookIssues([entry(1, 5), entry(2, 99, true), entry(3, 7), entry(4, 9)], { yearFrom: 1958, yearTo: 1958 });
    expect(misread.map((i) => [i.kind, i.entryId])).toEqual([['entry_gap', 4], ['struck_entry', 2]]);
  });

  it('does not call an entry written again under the struck one’s number a repeat', () => {
    const issues = findBookIssues([entry(1, 5), entry(2, 6, true), entry(3, 6), entry(4, 7)], { yearFrom: 1958, yearTo: 1958 });
    expect(issues.map((i) => i.kind)).toEqual(['struck_entry']);
  });
});

describe('extract stage on a struck entry', () => {
  let t: TestDatabase;
  let dir: string;
  let blobs: BlobStore;
  let pageId: number;
  const entryLines = (no: number, name: string) => [
    `Số: ${no} Quyển số: 01/2020`,
    `Họ, chữ đệm, tên: ${name}`,
    'Ngày, tháng, năm sinh: 17/04/2020 Giới tính: Nam',
    'Ghi bằng chữ: Ngày mười bảy tháng tư năm hai nghìn không trăm hai mươi',
    'Dân tộc: Kinh Quốc tịch: Việt Nam',
    'Nơi sinh: Bệnh viện Xanh Pôn, Q. Ba Đình, Hà Nội',
    'Họ, chữ đệm, tên người mẹ: Nghiêm Thị Yến',
    'Ngày, tháng, năm đăng ký: 26/04/2020',
  ];
  const lines = [...entryLines(203, 'Nguyễn Khánh Bảo Long'), ...entryLines(204, 'Phạm Minh Dương'), ...entryLines(205, 'Phạm Minh Dương')];

  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'civreg-struck-'));
    blobs = createLocalBlobStore(dir);
    // the clean image holds the OCR words' text where ocrWords puts it (20 px a character, lines 60 px
    // apart from y 200) and a pen stroke across the second entry (lines 8–15)
    const text = lines.map((line, i) => `<text x="100" y="${232 + i * 60}" font-family="DejaVu Sans, sans-serif" font-size="30" fill="black">${escape(line)}</text>`);
    const strike = `<line x1="110" y1="${200 + 8 * 60 + 50}" x2="1500" y2="${200 + 15 * 60}" stroke="black" stroke-width="6"/>`;
    const png = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="2480" height="1800"><rect width="100%" height="100%" fill="white"/>${text.join('')}${strike}</svg>`))
      .flatten({ background: '#ffffff' }).greyscale().png().withMetadata({ density: 300 }).toBuffer();
    const stored = await blobs.put(png);
    await recordBlob(t.db, { ...stored, mediaType: 'image/png' });
    const [office] = await t.db.query<{ id: number }>(`insert into registry_office (code, name) values ('QH', 'Phường Quan Hoa') returning id`);
    const [book] = await t.db.query<{ id: number }>(
      `insert into book (office_id, register_type, book_no, year_from, year_to, era) values ($1, 'birth', '01', 2020, 2020, '2016-') returning id`, [office!.id]);
    const [upload] = await t.db.query<{ id: number }>(
      `insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'p.png', repeat('a', 64), 1, 'test') returning id`, [book!.id]);
    const [row] = await t.db.query<{ id: number }>(
      `insert into page (book_id, upload_id, file_index, label, status, clean_width, clean_height, clean_sha256) values ($1, $2, 0, 'p.png', 'ocr_done', 2480, 1800, $3) returning id`,
      [book!.id, upload!.id, stored.sha256]);
    pageId = row!.id;
    await t.db.query(`insert into page_ocr (page_id, engine, text, mean_confidence, words, lines) values ($1, 'test', '', 0.9, $2, '[]')`, [pageId, JSON.stringify(ocrWords(lines))]);
  });
  afterAll(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (stage: typeof extractStage | typeof routeStage, status: string) => {
    await t.db.query('update page set status = $2 where id = $1', [pageId, status]);
    return t.db.transaction((sql) => stage.run({ pageId }, { sql, instance: 'test:1', auditRate: 0, blobs }));
  };

  it('marks the struck entry, keeps it out of review and raises one struck_entry issue for it', async () => {
    await run(extractStage, 'ocr_done');
    expect(await t.db.query(`select entry_no, struck, status from entry order by entry_no`)).toEqual([
      { entry_no: 203, struck: false, status: 'extracted' },
      { entry_no: 204, struck: true, status: 'struck' },
      { entry_no: 205, struck: false, status: 'extracted' },
    ]);
    await run(routeStage, 'matched');
    expect(await t.db.query(`select e.entry_no from review_item r join entry e on e.id = r.entry_id where e.struck`)).toEqual([]);
    expect(await t.db.query(`select i.kind, e.entry_no, i.page_id = $1 as "onPage" from book_issue i join entry e on e.id = i.entry_id`, [pageId]))
      .toEqual([{ kind: 'struck_entry', entry_no: 204, onPage: true }]);
  });

  it('clears the mark when extraction runs again and finds no stroke', async () => {
    const clean = await sharp({ create: { width: 2480, height: 1800, channels: 3, background: '#ffffff' } }).greyscale().png().toBuffer();
    const stored = await blobs.put(clean);
    await recordBlob(t.db, { ...stored, mediaType: 'image/png' });
    await t.db.query('update page set clean_sha256 = $2 where id = $1', [pageId, stored.sha256]);
    await run(extractStage, 'ocr_done');
    expect(await t.db.query(`select entry_no, struck, status from entry where entry_no = 204`)).toEqual([{ entry_no: 204, struck: false, status: 'extracted' }]);
  });
});
