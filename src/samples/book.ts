/**
 * One book from plan to files: its entries laid out page by page, each delivered page aged and scanned
 * with its own damage, written in the book's delivery format, and its truth in delivered-image pixels.
 */
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import type { BookTruth, Fault, Profile } from '../../schemas/corpus.ts';
import { agePaper, cssRgb, DAMAGE_PROFILES, drawImageDamage, placeOnScanner, scanPixels, stampOver, type ImageDamage } from './damage.ts';
import { BookWriter, type Delivery } from './deliver.ts';
import { createEntrySource, type EntryRecord } from './entries.ts';
import { ERA_STYLES, type Era, type FillMode, type RegisterType } from './eras.ts';
import { FAULT_RATES, planPages, statedYears } from './faults.ts';
import { inkArea, layoutFormPage, layoutTablePage, type BookLook, type PageFlow, type PlacedEntry } from './layout.ts';
import { drawLook } from './looks.ts';
import { BookNames, fullName } from './names.ts';
import { authorityName, officeName, placeParts } from './places.ts';
import type { ChangeTarget, RegisterEvent, WritingStyle } from './records.ts';
import { applyAffine, boxToRect, composeAffine, rectThrough, rectToBox, Sheet, unionRect, EMPTY_RECT, type Affine, type Rect, type TruthLine } from './render.ts';
import { Rng } from './rng.ts';
import { TEMPLATES } from './templates.ts';
import { isoDate, type Ymd } from './vietnamese.ts';

export interface BookPlan {
  id: string;
  type: RegisterType;
  era: Era;
  district: string;
  ward: number;
  bookNo: string;
  start: Ymd;
  end: Ymd;
  volume: number;
  /** Pages the book has (rendered; one may go missing in delivery). */
  pages: number;
  dpi: number;
  delivery: Delivery;
  /** The book this one is the second copy of (same entries, another hand, another scan). */
  copyOf?: string;
}

export interface BookResult {
  truth: BookTruth;
  files: string[];
  years: number[];
  /** The years on the book's cover when they are wrong (a fault): what is given at upload. */
  statedYears?: number[];
  office: string;
  /** Every entry written in the book, delivered or not, in order: what a second copy copies. */
  written: EntryRecord[];
  images: number;
  fill: FillMode;
}

export interface BookContext {
  out: string;
  profile: Profile;
  seed: number;
  /** Share of facing-page images, instead of the profile's. */
  facingPages?: number;
  /** Book fault rates of this profile, instead of `profile`'s. */
  faults?: Profile;
  /** Only these fills of the era's (`--fills`); an era with none of them keeps its own. */
  fills?: FillMode[];
  takeEarlierEvent?: (reg: Ymd) => { event: RegisterEvent; key: string } | undefined;
  /** For a register of changes: the entry of another book each change refers to. */
  takeChangeTarget?: (reg: Ymd) => ChangeTarget;
  /** Chance that an entry not fitting at a page's foot continues on the next page, instead of the era's (`CONTINUED_ENTRIES`). */
  continuedEntries?: number;
  /** For a second copy: the entries of the original. */
  copyOfEntries?: EntryRecord[];
  onImage: () => void;
}

interface PageContent {
  canvas: Canvas;
  lines: TruthLine[];
  placed: PlacedEntry[];
  damage: ImageDamage;
}

const BED_COLOURS = ['#2e2e2c', '#e9e9e6', '#1b1b1b'];

/**
 * Per era, the chance that the entry which no longer fits at a page's foot is begun there anyway and its
 * last rows written at the top of the next page. Only about 40% of page feet leave room for an entry's first
 * two rows, and a form page holds two to four entries, so this gives some 3–4% of entries on forms.
 * Ruled tables and computer-printed books (a print-out per entry) are not split here.
 */
const CONTINUED_ENTRIES: Record<Era, number> = { '1956-1960': 0, '1961-1998': 0.2, '1999-2005': 0.3, '2006-2015': 0.25, '2016-': 0 };

export async function renderBook(plan: BookPlan, ctx: BookContext): Promise<BookResult> {
  const r = new Rng(ctx.seed).fork(`book ${plan.id}`);
  const profile = DAMAGE_PROFILES[ctx.profile];
  const rates = FAULT_RATES[ctx.faults ?? ctx.profile];
  const eraStyle = ERA_STYLES[plan.era];
  const template = TEMPLATES[plan.type][plan.era];
  if (!template) throw new Error(`no ${plan.type} register was kept in the era ${plan.era}`);
  const faded = plan.start.y < 1990 && r.chance(profile.fadedOld);
  // a fill the era lists at weight 0 is drawn only when asked for, then as often as any other asked
  const usual = eraStyle.fills.filter(([, w]) => w > 0);
  const asked = ctx.fills ? eraStyle.fills.filter(([fill]) => ctx.fills!.includes(fill)).map(([fill, w]): [FillMode, number] => [fill, w || 1]) : usual;
  const look: BookLook = drawLook(r.fork('look'), plan.era, asked.length ? asked : usual, { valuePt: template.valuePt, labelPt: template.kind === 'form' ? template.labelPt : 11 }, faded);
  const names = new BookNames(r.fork('names'));
  const registrars = Array.from({ length: r.int(1, 2) }, () => fullName(names.draw(r.chance(0.6) ? 'female' : 'male', plan.start.y - r.int(25, 50))));
  const style: WritingStyle = {
    era: plan.era,
    figures: r.weighted(eraStyle.figures),
    places: r.weighted(eraStyle.places),
    words: { thousand: r.chance(0.2) ? 'ngàn' : 'nghìn', zeroTen: r.chance(0.3) ? 'lẻ' : 'linh', fourAfterTen: r.chance(0.3) ? 'bốn' : 'tư' },
    sexWords: plan.era === '1956-1960' ? ['Trai', 'Gái'] : ['Nam', 'Nữ'],
  };
  const written: EntryRecord[] = [];
  let take: () => EntryRecord | undefined;
  const putBackStack: EntryRecord[] = [];
  if (ctx.copyOfEntries) {
    const queue = ctx.copyOfEntries.slice();
    take = () => putBackStack.pop() ?? queue.shift();
  } else {
    const source = createEntrySource(
      {
        type: plan.type, style, district: plan.district, ward: plan.ward, start: plan.start, end: plan.end, volume: plan.volume, registrars, names, bookNo: plan.bookNo,
        rates: { gap: rates.entryGap, struck: rates.struck, note: 0.07, reRegistration: ctx.profile === 'clean' ? 0.03 : 0.05 },
        takeEarlierEvent: ctx.takeEarlierEvent,
        takeChangeTarget: ctx.takeChangeTarget,
      },
      r.fork('entries'),
    );
    take = () => putBackStack.pop() ?? source.next();
  }
  const office = officeName(plan.district, plan.ward, plan.start);
  const parts = placeParts({ district: plan.district, ward: plan.ward }, plan.start);
  const pagePlan = planPages(r.fork('pages'), plan.pages, rates, ctx.facingPages ?? profile.facingPages);
  const jpeg = plan.delivery.kind === 'pdf' || plan.delivery.kind === 'jpeg-folder';
  const colour = (plan.delivery.kind === 'pdf' || plan.delivery.kind === 'jpeg-folder') && plan.delivery.colour;
  const bed = r.pick(BED_COLOURS);
  const firstPageNo = r.int(2, 150);
  const splitChance = ctx.continuedEntries ?? CONTINUED_ENTRIES[plan.era];
  const flow: PageFlow = { splitChance, rng: r.fork('continued entries') };

  // content of each rendered page, rendered in order (entries flow from page to page) and dropped after last use
  const contents = new Map<number, PageContent>();
  const lastUse = new Map<number, number>();
  pagePlan.delivered.forEach((d, i) => lastUse.set(d.rendered, i));
  let renderedCount = 0;
  const renderNext = (): void => {
    const i = renderedCount++;
    const pr = r.fork(`page ${i}`);
    const damage = drawImageDamage(pr.fork('damage'), profile, { jpeg, lossless: !jpeg, faded });
    const [wMm, hMm] = template.pageMm;
    const sheet = new Sheet(wMm, hMm, plan.dpi, pr, cssRgb(damage.paper));
    const year = (putBackStack.at(-1) ?? written.at(-1))?.year ?? plan.start.y;
    const header = { authority: authorityName(plan.start), office: parts.ward ?? office, district: parts.district, province: parts.province, year, bookNo: plan.bookNo, pageNo: firstPageNo + i };
    const takeAndRecord = () => {
      const e = take();
      if (e && !written.includes(e)) written.push(e);
      return e;
    };
    const putBack = (e: EntryRecord) => putBackStack.push(e);
    // the book's last page has no next page to continue on
    flow.splitChance = i + 1 < plan.pages ? splitChance : 0;
    const placed = template.kind === 'form' ? layoutFormPage(sheet, template, header, look, takeAndRecord, putBack, flow) : layoutTablePage(sheet, template, header, look, takeAndRecord, putBack, flow);
    for (const p of placed) {
      if (p.record.struck) p.strike = sheet.strike(inkArea(p), look.value.mode === 'hand' ? look.value.colour : '#1c2a63');
    }
    contents.set(i, { canvas: sheet.canvas, lines: sheet.lines, placed, damage });
    if (i >= 2) for (const [k] of contents) if (k < i - 1 && (lastUse.get(k) ?? -1) < 0) dropContent(k);
  };
  const dropContent = (k: number): void => {
    const c = contents.get(k);
    if (c) release(c.canvas);
    contents.delete(k);
  };
  const contentOf = (k: number): PageContent => {
    while (renderedCount <= k) renderNext();
    const c = contents.get(k);
    if (!c) throw new Error(`page ${k} of ${plan.id} was dropped before use`);
    return c;
  };

  const writer = new BookWriter(ctx.out, plan.id, plan.delivery);
  const truth: BookTruth = { pages: [], entries: [], faults: [] };
  let images = 0;
  for (let di = 0; di < pagePlan.delivered.length; di++) {
    const pair = pagePlan.facing.has(di) ? [di, di + 1] : [di];
    const ir = r.fork(`image ${di}`);
    const first = contentOf(pagePlan.delivered[di]!.rendered);
    const rescan = pagePlan.delivered[di]!.rescanOf !== undefined;
    const damage = rescan ? { ...drawImageDamage(ir.fork('damage'), profile, { jpeg, lossless: !jpeg, faded }), paper: first.damage.paper } : first.damage;
    if (pair.length === 2) damage.applied.add('facing_pages');
    const sheets: { content: PageContent; canvas: Canvas; offset: number }[] = [];
    for (const [side, index] of pair.entries()) {
      const d = pagePlan.delivered[index]!;
      const content = contentOf(d.rendered);
      const verso = contents.get(d.rendered - 1)?.canvas ?? contents.get(d.rendered + 1)?.canvas;
      const work = new Sheet(template.pageMm[0], template.pageMm[1], plan.dpi, ir.fork(`age ${side}`), cssRgb(damage.paper));
      work.ctx.drawImage(content.canvas, 0, 0);
      agePaper(work, damage, pair.length === 2 ? (side === 0 ? 'right' : 'left') : d.rendered % 2 === 0 ? 'left' : 'right', verso);
      if (damage.stamp) {
        const target = content.placed.map((p) => p.fields.registrarName?.[0]).filter((x): x is Rect => Boolean(x));
        const at = target.length ? work.rng.pick(target) : { x0: work.width * 0.6, y0: work.height * 0.8, x1: work.width * 0.8, y1: work.height * 0.85 };
        stampOver(work, at, `${authorityName(plan.start)} ${office}`.toLocaleUpperCase('vi'));
      }
      sheets.push({ content, canvas: work.canvas, offset: side * work.width });
    }
    let page: Canvas = sheets[0]!.canvas;
    if (sheets.length === 2) {
      page = createCanvas(sheets[0]!.canvas.width * 2, sheets[0]!.canvas.height);
      for (const s of sheets) page.getContext('2d').drawImage(s.canvas, s.offset, 0);
    }
    const scanned = placeOnScanner(page, damage, bed);
    const raw = await scanPixels(scanned.canvas, damage, colour, ir.fork('scan'));
    const where = await writer.add(raw, plan.dpi, damage.jpegQuality);
    images++;
    ctx.onImage();
    const W = raw.width;
    const H = raw.height;
    for (const [side, index] of pair.entries()) {
      const s = sheets[side]!;
      const m: Affine = composeAffine(scanned.m, [1, 0, 0, 1, s.offset, 0]);
      const place = (rect: Rect): Rect => clip(rectThrough(m, rect), W, H);
      const d = pagePlan.delivered[index]!;
      truth.pages.push({
        index, file: where.file, filePage: where.filePage, blank: false,
        lines: s.content.lines.map((l) => ({ text: l.text, box: rectToBox(place(l.rect)) })),
        width: W, height: H, dpi: plan.dpi, skewDeg: damage.skewDeg, rotation: damage.rotation, damage: [...damage.applied].sort(),
        ...(pair.length === 2 ? { facing: side === 0 ? 'left' : 'right' } : {}),
        ...(d.rescanOf !== undefined ? { rescanOf: d.rescanOf } : {}),
      });
      if (d.rescanOf !== undefined) {
        truth.faults.push({ kind: 'duplicate_page', page: index, of: d.rescanOf });
        continue;
      }
      for (const p of s.content.placed) {
        const rec = p.record;
        const fields: BookTruth['entries'][number]['fields'] = {};
        for (const [key, rects] of Object.entries(p.fields)) {
          const value = rec.items[key]?.value;
          if (value === undefined) continue;
          const boxes = rects.map((x) => rectToBox(place(x)));
          fields[key] = { value, page: index, box: rectToBox(boxes.map(boxToRect).reduce(unionRect, EMPTY_RECT)), ...(boxes.length > 1 ? { boxes } : {}) };
        }
        const key = `${plan.id}/${rec.year}/${rec.entryNo}`;
        const part = { page: index, box: rectToBox(place(p.area)) };
        if (p.part === 'continuation') {
          // the rest of an entry begun on the page before: one truth entry over both pages, or, when that
          // page is missing, a part with no entry number that only a person can place
          const begun = truth.entries.find((e) => e.key === key);
          if (begun) {
            begun.pages.push(index);
            Object.assign(begun.fields, fields);
            begun.parts?.push(part);
          } else (truth.orphanParts ??= []).push({ key, ...part, fields });
          continue;
        }
        truth.entries.push({
          key, year: rec.year, entryNo: rec.entryNo, pages: [index], struck: rec.struck, fields, notes: rec.notes,
          ...(p.part === 'first' ? { continued: true, parts: [part] } : {}),
          ...(rec.ages ? { parentAges: rec.ages } : {}),
          ...(rec.reRegistrationOf ? { reRegistrationOf: rec.reRegistrationOf } : {}),
          ...(rec.event.kind === 'change' ? { change: { refersTo: rec.event.target.key, ...rec.event.change, date: isoDate(rec.registration) } } : {}),
          ...(p.strike ? { strike: [...applyAffine(m, p.strike[0], p.strike[1]), ...applyAffine(m, p.strike[2], p.strike[3])].map((v) => Math.round(v)) } : {}),
        });
        if (rec.struck) truth.faults.push({ kind: 'struck_entry', key });
      }
    }
    if (pair.length === 2) di++;
    for (const s of sheets) release(s.canvas);
    if (page !== sheets[0]!.canvas) release(page);
    if (scanned.canvas !== page) release(scanned.canvas);
    for (const [k] of contents) if ((lastUse.get(k) ?? -1) <= di && k < renderedCount - 1) dropContent(k);
  }
  truth.faults.push(...entryGaps(written, truth));
  for (const m of pagePlan.missing) {
    const page = pagePlan.delivered.findIndex((d) => d.rendered > m && d.rescanOf === undefined);
    truth.faults.push({ kind: 'missing_page', page, renderedPage: m });
  }
  for (const [k] of contents) dropContent(k);
  const files = await writer.close(`${plan.id} (civreg sample)`);
  const read = [...new Set(truth.entries.map((e) => e.year))].sort((a, b) => a - b);
  const years = read.length ? read : [plan.start.y];
  const stated = read.length ? statedYears(r.fork('stated years'), years, rates.wrongYears) : null;
  if (stated) truth.faults.push({ kind: 'book_years_in_doubt', years, stated });
  return { truth, files, years, ...(stated ? { statedYears: stated } : {}), office, written, images, fill: look.fill };
}

/**
 * Numbers skipped between two consecutive written entries of a year, where both were delivered (a gap
 * that a missing page causes is that page's fault, not an entry gap).
 */
function entryGaps(written: EntryRecord[], truth: BookTruth): Fault[] {
  const delivered = new Set(truth.entries.map((e) => `${e.year}/${e.entryNo}`));
  const gaps: Fault[] = [];
  for (let i = 1; i < written.length; i++) {
    const a = written[i - 1]!;
    const b = written[i]!;
    if (a.year !== b.year || b.entryNo <= a.entryNo + 1) continue;
    if (!delivered.has(`${a.year}/${a.entryNo}`) || !delivered.has(`${b.year}/${b.entryNo}`)) continue;
    gaps.push({ kind: 'entry_gap', year: a.year, after: a.entryNo, missing: Array.from({ length: b.entryNo - a.entryNo - 1 }, (_, k) => a.entryNo + 1 + k) });
  }
  return gaps;
}

/**
 * Frees a canvas's pixels now: they live outside the JS heap, so the garbage collector does not feel their
 * weight and a corpus run would otherwise hold gigabytes of finished pages.
 */
function release(canvas: Canvas): void {
  canvas.width = 1;
  canvas.height = 1;
}

function clip(r: Rect, w: number, h: number): Rect {
  return { x0: Math.max(0, r.x0), y0: Math.max(0, r.y0), x1: Math.min(w, r.x1), y1: Math.min(h, r.y1) };
}
