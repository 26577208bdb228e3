/**
 * Lays entries out on a page with a template: form entries stacked label by label, or ruled-table rows.
 * Each layout function runs twice per entry: once without drawing to measure its height, then drawing,
 * recording every field's ink rectangles. An entry that does not fit at the foot of a page usually goes
 * whole to the next page; sometimes (`PageFlow.splitChance`) it starts there anyway and its last form rows,
 * or the last lines of its table row's cells, are written at the top of the next page, as clerks did.
 */
import type { EntryRecord } from './entries.ts';
import type { FillMode } from './eras.ts';
import type { Item } from './records.ts';
import { at, type Rng } from './rng.ts';
import { EMPTY_RECT, unionRect, wrapWords, type Pen, type Rect, type Segment, type Sheet } from './render.ts';
import { hasLeaders, type FormTemplate, type HeaderContext, type TableTemplate, type TextRole, type TitleLine } from './templates.ts';

/** How one copy of a book looks: who filled it in with what, and the printed parts. */
export interface BookLook {
  fill: FillMode;
  value: Pen;
  /** The later hand that wrote margin notes. */
  note: Pen;
  printed: Record<TextRole, Pen>;
  ruleColour: string;
  /**
   * Values printed by computer onto a pre-printed form (`printed-sans`): where the printer put them against the
   * form's own print (mm right and down), the same for every value of the book.
   */
  valueShiftMm?: [number, number];
}

export interface PlacedEntry {
  record: EntryRecord;
  /** Ink rectangles of each field on the page (several when its value wraps). */
  fields: Record<string, Rect[]>;
  /** The region the entry occupies (for strikes and stamps). */
  area: Rect;
  strike?: [number, number, number, number];
  /** Set on the two parts of an entry that runs over a page break: the part at the foot, or the one at the top of the next page. */
  part?: 'first' | 'continuation';
}

/** Carried from page to page while a book is laid out. */
export interface PageFlow {
  /** Chance that an entry that does not fit at the foot of a page starts there and continues on the next. */
  splitChance: number;
  rng: Rng;
  /**
   * The rest of an entry begun at the foot of the previous page: its form rows from `fromRow` on, or, in a
   * ruled table, the `items` that did not fit in its row's cells (each column's last ones).
   */
  carry?: { record: EntryRecord; fromRow: number; items?: ReadonlySet<string> };
}

/** A form entry is only begun at a page's foot when at least this many of its rows fit there (number, name, …). */
const MIN_ROWS_BEFORE_BREAK = 2;

function drawTitles(sheet: Sheet, titles: TitleLine[], left: number, right: number, look: BookLook): void {
  for (const t of titles) {
    const pen = look.printed[t.role];
    const w = sheet.measure(t.text, pen);
    const x = t.align === 'left' ? left : t.align === 'right' ? right - w : (left + right - w) / 2;
    const { rect } = sheet.draw(t.text, x, sheet.px(t.yMm), pen);
    sheet.addLine([{ text: t.text, rect }]);
  }
}

const penFor = (item: Item, look: BookLook): Pen => (item.later ? look.note : look.value);

function record(entry: PlacedEntry, key: string, item: Item, rect: Rect): void {
  if (item.value === undefined) return;
  (entry.fields[key] ??= []).push(rect);
}

/**
 * One form entry with its top at `top`; draws only when `entry` is given. Returns the y below it.
 * Values that do not fit their cell continue on lines of their own under the row.
 */
function formEntry(sheet: Sheet, tpl: FormTemplate, rec: EntryRecord, look: BookLook, top: number, entry?: PlacedEntry, rows: readonly [number, number] = [0, tpl.rows.length]): number {
  const r = sheet.rng;
  const left = sheet.px(tpl.marginMm.left);
  const right = sheet.width - sheet.px(tpl.marginMm.right);
  const pitch = sheet.px(tpl.pitchMm);
  const leaders = hasLeaders(tpl, look.fill);
  const dots = look.printed.label.colour;
  let y = top + pitch * 0.8;
  for (const row of tpl.rows.slice(rows[0], rows[1])) {
    y += sheet.px(row.gapBeforeMm ?? 0);
    const rowLeft = left + sheet.px(row.indentMm ?? 0);
    const rowWidth = right - rowLeft;
    const segments: Segment[] = [];
    const continuations: { x: number; text: string; key: string; item: Item; leaderTo: number }[][] = [];
    for (const [ci, cell] of row.cells.entries()) {
      const cx = rowLeft + cell.x * rowWidth;
      const cellEnd = ci + 1 < row.cells.length ? rowLeft + at(row.cells, ci + 1).x * rowWidth - sheet.px(2) : right;
      let vx = cx;
      if (cell.label) {
        const pen = cell.bold ? look.printed.labelBold : look.printed.label;
        if (entry) {
          const d = sheet.draw(cell.label, cx, y, pen);
          segments.push({ text: cell.label, rect: d.rect });
          vx = d.end + sheet.px(1.2);
        } else vx = cx + sheet.measure(cell.label, pen) + sheet.px(1.2);
      }
      if (row.signatures) {
        if (entry) sheet.signature(vx + sheet.px(6), y - sheet.px(0.5), sheet.px(22), look.value.mode === 'hand' ? look.value.colour : '#1c2a63');
        continue;
      }
      if (entry && leaders && cell.item) sheet.leader(vx, cellEnd, y, dots);
      const item = cell.item ? rec.items[cell.item] : undefined;
      if (!item || !item.text || !cell.item) continue;
      const pen = penFor(item, look);
      const slack = pen.mode === 'print' ? 0 : sheet.px(2);
      const contX = ci + 1 < row.cells.length ? cx + sheet.px(4) : rowLeft + sheet.px(4);
      const parts = wrapWords(item.text, cellEnd - vx - slack - sheet.px(4), cellEnd - contX - slack, (s) => sheet.measure(s, pen));
      if (entry) {
        // typed and written values rarely sit on the dotted line: they start late and ride above or across it
        const [sx, sy] = (pen === look.value && look.valueShiftMm) || [0, 0];
        const jx = pen.mode === 'print' ? sx : r.range(0.5, 4);
        const jy = pen.mode === 'print' ? sy : r.range(-1.6, 0.4);
        const d = sheet.draw(at(parts, 0), vx + sheet.px(jx), y + sheet.px(jy), pen);
        segments.push({ text: at(parts, 0), rect: d.rect });
        record(entry, cell.item, item, d.rect);
      }
      parts.slice(1).forEach((text, k) => (continuations[k] ??= []).push({ x: contX, text, key: cell.item!, item, leaderTo: cellEnd }));
    }
    if (entry) sheet.addLine(segments);
    y += pitch;
    for (const line of continuations) {
      const lineSegments: Segment[] = [];
      for (const c of line) {
        if (!entry) continue;
        if (leaders) sheet.leader(c.x, c.leaderTo, y, dots);
        const pen = penFor(c.item, look);
        const [sx, sy] = (pen === look.value && look.valueShiftMm) || [0, 0];
        const d = sheet.draw(c.text, c.x + sheet.px(pen.mode === 'print' ? sx : r.range(0.5, 3)), y + sheet.px(pen.mode === 'print' ? sy : r.range(-1.6, 0.4)), pen);
        lineSegments.push({ text: c.text, rect: d.rect });
        record(entry, c.key, c.item, d.rect);
      }
      if (entry) sheet.addLine(lineSegments);
      y += pitch;
    }
  }
  return y - pitch * 0.8;
}

/**
 * Fills one form page with entries taken from `take` while they fit (an entry that does not fit is
 * handed back through `putBack`; `take` returns undefined when there are no more); returns the placed entries.
 */
export function layoutFormPage(sheet: Sheet, tpl: FormTemplate, header: HeaderContext, look: BookLook, take: () => EntryRecord | undefined, putBack: (e: EntryRecord) => void, flow?: PageFlow): PlacedEntry[] {
  const left = sheet.px(tpl.marginMm.left);
  const right = sheet.width - sheet.px(tpl.marginMm.right);
  const bottom = sheet.height - sheet.px(tpl.marginMm.bottom + 8);
  drawTitles(sheet, tpl.titles(header), left, right, look);
  const gap = sheet.px(tpl.entryGapMm);
  const ruleWidth = Math.max(2, sheet.dpi / 110);
  const placed: PlacedEntry[] = [];
  let y = sheet.px(tpl.bodyTopMm);
  const place = (rec: EntryRecord, rows: readonly [number, number], part?: PlacedEntry['part']): void => {
    const height = formEntry(sheet, tpl, rec, look, y, undefined, rows) - y;
    // the rule above an entry separates it from the one before: a continuation has none
    if (part !== 'continuation') sheet.rule(left, y, right, y, ruleWidth, look.ruleColour);
    const entry: PlacedEntry = { record: rec, fields: {}, area: { x0: left, y0: y, x1: right, y1: y + height }, ...(part ? { part } : {}) };
    formEntry(sheet, tpl, rec, look, y, entry, rows);
    placed.push(entry);
    y += height + gap;
  };
  if (flow?.carry) {
    place(flow.carry.record, [flow.carry.fromRow, tpl.rows.length], 'continuation');
    delete flow.carry;
  }
  for (;;) {
    const rec = take();
    if (!rec) break;
    const height = formEntry(sheet, tpl, rec, look, y) - y;
    if (y + height > bottom) {
      const fit = flow && !rec.struck && flow.rng.chance(flow.splitChance) ? rowsThatFit(sheet, tpl, rec, look, y, bottom) : 0;
      if (flow && fit >= MIN_ROWS_BEFORE_BREAK) {
        place(rec, [0, fit], 'first');
        flow.carry = { record: rec, fromRow: fit };
      } else putBack(rec);
      break;
    }
    place(rec, [0, tpl.rows.length]);
  }
  drawTitles(sheet, [tpl.footer(header)], left, right, look);
  return placed;
}

/** How many of an entry's first form rows fit between `top` and `bottom`. */
function rowsThatFit(sheet: Sheet, tpl: FormTemplate, rec: EntryRecord, look: BookLook, top: number, bottom: number): number {
  let rows = 0;
  while (rows < tpl.rows.length && formEntry(sheet, tpl, rec, look, top, undefined, [0, rows + 1]) <= bottom) rows++;
  return rows;
}

/**
 * A typed line wider than its column, cut after a separator (/ . - ,) into pieces that fit, one under the other:
 * a typist reaching the column's rule goes on at the next line ("12/05/" over "1944") rather than typing over
 * the rule into the next column. A line with no separator where it could be cut stays whole (a long word).
 *
 * @example
 * breakAtSeparators('12/05/1944', 60, (s) => 10 * s.length); // ['12/05/', '1944']
 */
export function breakAtSeparators(line: string, room: number, width: (s: string) => number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (width(rest) > room) {
    let cut = -1;
    for (let i = 1; i < rest.length - 1; i++) if ('/.-,'.includes(rest[i]!) && width(rest.slice(0, i + 1)) <= room) cut = i + 1;
    if (cut < 0) break;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  return [...pieces, rest];
}

/** Fills one page of a ruled register: printed column headers, then one row per entry, empty rows below. */
export function layoutTablePage(sheet: Sheet, tpl: TableTemplate, header: HeaderContext, look: BookLook, take: () => EntryRecord | undefined, putBack: (e: EntryRecord) => void, flow?: PageFlow): PlacedEntry[] {
  const left = sheet.px(tpl.marginMm.left);
  const right = sheet.width - sheet.px(tpl.marginMm.right);
  const bottom = sheet.height - sheet.px(tpl.marginMm.bottom);
  const ink = look.printed.header.colour;
  drawTitles(sheet, tpl.titles(header), left, right, look);
  const top = sheet.px(tpl.marginMm.top + 8);
  const headerBottom = top + sheet.px(tpl.headerHeightMm);
  const totalMm = tpl.columns.reduce((sum, c) => sum + c.widthMm, 0);
  const xs = [left];
  for (const c of tpl.columns) xs.push(at(xs, xs.length - 1) + ((right - left) * c.widthMm) / totalMm);
  const ruleWidth = Math.max(1.5, sheet.dpi / 110);
  const headerPen: Pen = { ...look.printed.header, sizePt: tpl.headerPt };
  const headerLine = sheet.px(tpl.headerPt * 0.42);
  for (const [ci, col] of tpl.columns.entries()) {
    const cw = at(xs, ci + 1) - at(xs, ci) - sheet.px(1.6);
    const parts = wrapWords(col.header, cw, cw, (s) => sheet.measure(s, headerPen));
    const y0 = top + (headerBottom - top - parts.length * headerLine) / 2 + headerLine * 0.8;
    parts.forEach((p, i) => {
      const w = sheet.measure(p, headerPen);
      const { rect } = sheet.draw(p, (at(xs, ci) + at(xs, ci + 1) - w) / 2, y0 + i * headerLine, headerPen);
      sheet.addLine([{ text: p, rect }]);
    });
  }
  sheet.rule(left, top, right, top, ruleWidth * 1.3, ink);
  sheet.rule(left, headerBottom, right, headerBottom, ruleWidth * 1.3, ink);
  const pitch = sheet.px(tpl.pitchMm);
  const pad = sheet.px(tpl.rowPadMm);
  const placed: PlacedEntry[] = [];
  let y = headerBottom;

  // one table row: every column's items written one under the other inside the column; `only` the items
  // of one part of a row broken over a page; `ends` receives the line each item's writing ends on
  const row = (rec: EntryRecord, entry?: PlacedEntry, only?: ReadonlySet<string>, ends?: Map<string, number>): number => {
    let lines = 0;
    for (const [ci, col] of tpl.columns.entries()) {
      const cw = at(xs, ci + 1) - at(xs, ci) - sheet.px(2.4);
      let line = 0;
      for (const key of col.items) {
        const item = rec.items[key];
        if (!item || !item.text || (only && !only.has(key))) continue;
        const pen = penFor(item, look);
        const width = (s: string) => sheet.measure(s, pen);
        const parts = wrapWords(item.text, cw, cw, width);
        for (const part of pen.mode === 'typed' ? parts.flatMap((p) => breakAtSeparators(p, cw, width)) : parts) {
          if (entry) {
            const x = at(xs, ci) + sheet.px(1.1) + sheet.rng.range(0, sheet.px(0.8));
            const d = sheet.draw(part, x, y + pad + pitch * (line + 0.8), pen);
            sheet.addLine([{ text: part, rect: d.rect }]);
            record(entry, key, item, d.rect);
          }
          line++;
        }
        if (key === tpl.signatureAfter) {
          if (entry) sheet.signature(at(xs, ci) + sheet.px(2), y + pad + pitch * (line + 0.7), Math.min(cw * 0.8, sheet.px(16)), look.value.colour);
          line += 1.1;
        }
        ends?.set(key, line);
      }
      lines = Math.max(lines, line);
    }
    return pad * 2 + pitch * lines;
  };
  const place = (rec: EntryRecord, only?: ReadonlySet<string>, part?: PlacedEntry['part']): void => {
    const height = row(rec, undefined, only);
    const entry: PlacedEntry = { record: rec, fields: {}, area: { x0: left, y0: y, x1: right, y1: y + height }, ...(part ? { part } : {}) };
    row(rec, entry, only);
    y += height;
    sheet.rule(left, y, right, y, ruleWidth * 0.8, ink);
    placed.push(entry);
  };

  if (flow?.carry?.items) {
    place(flow.carry.record, flow.carry.items, 'continuation');
    delete flow.carry;
  }
  for (;;) {
    const rec = take();
    if (!rec) break;
    const height = row(rec);
    if (y + height > bottom) {
      // the items whose writing ends within the lines left on the page stay; the others go on over the page
      const ends = new Map<string, number>();
      row(rec, undefined, undefined, ends);
      const room = (bottom - y - pad * 2) / pitch;
      const first = new Set([...ends].filter(([, end]) => end <= room).map(([key]) => key));
      const rest = new Set([...ends.keys()].filter((key) => !first.has(key)));
      // a row is only begun when its first line fits: every column's first item (the number, the name…)
      const opening = tpl.columns.map((c) => c.items.find((key) => ends.has(key))).filter((key) => key !== undefined);
      if (flow && !rec.struck && opening.every((key) => first.has(key)) && rest.size > 0 && flow.rng.chance(flow.splitChance)) {
        place(rec, first, 'first');
        flow.carry = { record: rec, fromRow: 0, items: rest };
      } else putBack(rec);
      break;
    }
    place(rec);
  }
  const emptyRow = pad * 2 + pitch * 3;
  while (y + emptyRow < bottom) {
    y += emptyRow;
    sheet.rule(left, y, right, y, ruleWidth * 0.8, ink);
  }
  for (const x of xs) sheet.rule(x, top, x, y, ruleWidth, ink);
  return placed;
}

/** The union of an entry's field rectangles: what a strike-through must cross. */
export function inkArea(entry: PlacedEntry): Rect {
  return Object.values(entry.fields).flat().reduce(unionRect, EMPTY_RECT);
}
