/**
 * A second, independent reading of a value that would otherwise go to a person only because OCR was unsure
 * of it. Tesseract is unsure of a typewriter face even where it reads it right (on typed forms the values read
 * right but sent to people had a median confidence of 0.85, BENCHMARKS.md "Typed values on pre-printed
 * forms"), so its confidence alone cannot tell them from the wrong ones. Each line of the value is cut out of
 * the clean page with a white margin, enlarged and read again as one line (page segmentation 7): another
 * segmentation, scale and context than the page's reading. The value is confirmed only when the second reading
 * parses to exactly the same normal form; then its confidence is that of two readings both wrong the same way
 * (as a date in figures confirmed by the date in words, src/extract/fields.ts). A second reading that differs
 * sends the value to a person with `readings_disagree`.
 *
 * Two readings by one engine share some errors. A full stop over a dotted leader read as a comma both times
 * ("H, Thanh Trì"), an O typed like a zero ("Thanh 0ai") are held by the place parser (src/extract/values.ts),
 * which checks every value, read once or twice; a tone mark lost or added both times by the vocabulary
 * (`attested`).
 */
import sharp from 'sharp';
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import type { GreyImage } from '../imaging/analysis.ts';
import { localInk } from '../imaging/leaders.ts';
import { removeRules } from '../imaging/rules.ts';
import type { OcrPool } from '../ocr/types.ts';
import type { OcrWord, PixelBox } from './words.ts';
import type { TableGrid } from '../imaging/rules.ts';
import { AGREEING_READINGS, AUTO_ACCEPT_THRESHOLD } from './routing.ts';
import { entryNumberOf, fieldKind, parseField } from './values.ts';
import { placeCutShort } from '../places/written-place.ts';
import { baseLetter, caseInDoubt, ONE_SHAPE } from './letter-case.ts';
import { lostAbove, pastRow } from './cell-checks.ts';
import { judgedWords, NO_VOCABULARY, type Vocabulary } from './vocabulary.ts';
import { wordsWithin } from './typewriter.ts';

/** A line is enlarged this much before it is read again: Tesseract reads a small face better larger. */
const SCALE = 2;
/** White kept around a line, above and below (share of its height): marks reach above and below the letters. */
const MARGIN_Y = 0.35;
/** ... and left and right. */
const MARGIN_X = 0.15;
/** A clean page that does not say its resolution was scanned at about this (dpi). */
const DEFAULT_DPI = 300;
/** White border added around the crop (pixels): Tesseract loses marks that touch the image's edge. */
const BORDER = 20;

/** What reading one image of a line gives: its text and its least sure word's confidence. */
export interface LineReading {
  text: string;
  confidence: number;
}

/** Reads one line image (PNG) again; in the pipeline the OCR pool with page segmentation 7 (`readLineWith`). */
export type ReadLine = (png: Buffer) => Promise<LineReading>;

/** Tesseract's page segmentation for one line of text. */
const SINGLE_LINE = 7;

/**
 * A line reader over the OCR pool: the line's words and its least sure word's confidence (0 when none read);
 * `figures`: only figures allowed (src/extract/id-reading.ts).
 *
 * @example
 * const readLine = readLineWith(services.ocr);
 * await readLine(png); // { text: 'Nguyễn Văn An', confidence: 0.93 }
 */
export function readLineWith(pool: Pick<OcrPool, 'recognize'>, { figures = false } = {}): ReadLine {
  return async (png) => {
    const { words } = await pool.recognize(png, { psm: SINGLE_LINE, ...(figures ? { figures } : {}) });
    return { text: words.map((w) => w.text).join(' '), confidence: words.length === 0 ? 0 : Math.min(...words.map((w) => w.confidence)) };
  };
}

/**
 * Whether a field is read again: its only obstacle to acceptance is the OCR's confidence below its layout's
 * threshold (`threshold`: a form's by default, a ruled table's for its cells), and its words are spelled as
 * people have spelled such values before (`attested`).
 */
export function needsSecondReading(field: ExtractedField, vocabulary: Vocabulary = NO_VOCABULARY, threshold: number = AUTO_ACCEPT_THRESHOLD.form): boolean {
  return field.value !== null && field.reasons.length === 0 && field.confidence < threshold && (field.lines?.length ?? 0) > 0
    && attested(field.field, field.value, vocabulary);
}

/** How the values of one page are read again: forms as they are (the default), ruled tables cell by cell. */
export interface ReadAgainOptions {
  /** Values below this confidence are read again: the layout's accept threshold. */
  threshold: number;
  /**
   * A ruled table, with the page's OCR words: its rules are painted out of the page first (as the OCR stage
   * does before reading the columns, src/ocr/columns.ts: Tesseract reads a rule as "|"), and each line's crop
   * (`tableCrop`) is kept between the rules around it and off the other words of the page. Only values
   * `readableInCell` are read again.
   */
  table?: { words: readonly OcrWord[] };
  /** The page's words and trust: without them no date is confirmed for its figures' twins (`twinnedDayDate`). */
  glyphs?: PageGlyphs;
}

const FORM_VALUES: ReadAgainOptions = { threshold: AUTO_ACCEPT_THRESHOLD.form };

/**
 * Whether every word of a name or cause of death (and of a place's street) is one that verified or existing
 * records spell so. Both readings come from one engine and lose or add the same tone mark ("Dương Trong Việt"
 * for Trọng, its dot below lying on the dotted leader; "Ung thư phối" for phổi): a spelling nobody has written
 * before is not confirmed by a second reading. Where there is no vocabulary yet (an empty archive) nothing of
 * these is confirmed; values the gazetteer or a parser checks (units, dates, numbers) need none.
 */
export function attested(field: string, value: string, vocabulary: Vocabulary): boolean {
  const judged = judgedWords(field, value, vocabulary);
  return judged === null || judged.list.every((w) => (judged.words?.count(w) ?? 0) > 0);
}

/**
 * The second reading of a ruled table's line with the first's capitals where it read the same letter small and
 * the letter is one shape either way ("việt Nam" for "Việt Nam", "cửa Đông" for "Cửa Đông"): cut out alone, a
 * line of a few words gives Tesseract no small letters to measure such a letter against. Any other
 * difference, and a small letter of the first read capital, leave the second reading as it is.
 *
 * @example
 * withCaseOf('Số 133 phố Cửa Đông', 'Số 133 phố cửa Đông'); // 'Số 133 phố Cửa Đông'
 * withCaseOf('Nguyễn Thị Tâm', 'Nguyễn thị Tâm');           // unchanged: h is not one shape either way
 */
export function withCaseOf(first: string, second: string): string {
  const [a, b] = [[...first.normalize('NFC').replace(/\s+/g, ' ').trim()], [...second.normalize('NFC').replace(/\s+/g, ' ').trim()]];
  if (a.length !== b.length) return second;
  const sameUpToCase = a.every((ch, i) => ch === b[i] || (ch !== ch.toLowerCase() && ch.toLowerCase() === b[i] && ONE_SHAPE.has(baseLetter(b[i]!))));
  return sameUpToCase ? a.join('') : second;
}

/**
 * Whether a field's date is always written to the day in the ruled books: the registration's date, and the date of
 * the event the register records (a birth in a birth register, a death). A parent's, a spouse's or a deceased
 * person's birth may be known by its year only; these never are, so a year alone there is what is left of a date
 * whose day and month were lost (`template`: the entry's layout, "birth/1961-1998").
 */
export function fullDateField(field: string, template: string): boolean {
  return field === 'registrationDate' || field === 'deathDate' || (field === 'birthDate' && template.startsWith('birth/'));
}

/**
 * Whether a ruled cell's value may be confirmed by reading its lines again. Not a year read from the tail of a
 * date in words ("năm 1989"): the day and month are typed on the line above ("ngày 27 tháng 11"), and where that
 * line went to another item or was not read, the year's line reads the same twice (a registration date accepted as
 * 1989, seed 3011 at 429154a); a year given alone in figures (a spouse's birth year, "1930") is read again. Not a
 * value whose case rests on a small letter of one shape either way (`caseInDoubt`). Not a place with a unit cut short
 * (placeCutShort: "…, Nghệ" for Nghệ An, "Phường Bạch"): its end is on a line the value lost. Not a year alone in
 * a column that holds full dates (`fullDateField`: "1984" for 20/7/1984 on seed 3014, the day and month lost).
 */
export function readableInCell(field: ExtractedField, template = ''): boolean {
  if (field.value === null || (field.precision === 'year' && /\p{L}/u.test(field.raw))) return false;
  if (field.precision === 'year' && fullDateField(field.field, template)) return false;
  // a relation is stored in its vocabulary's one spelling, whatever its case (values.ts)
  if (fieldKind(field.field) !== 'relation' && caseInDoubt(field.value)) return false;
  return fieldKind(field.field) !== 'place' || placeCutShort(field.value) === null;
}

/**
 * The field as two readings leave it: confirmed (higher confidence) when the second parses to the same
 * normal form, sent to a person with `readings_disagree` when it does not. A date to the day with its figures
 * twinned on the page is confirmed whatever the two confidences (`twinnedDayDate`).
 *
 * @example
 * judgeSecondReading({ field: 'fullName', value: 'Lê Văn An', confidence: 0.8, … }, { text: 'Lê Văn An', confidence: 0.7 });
 * // confidence 1 - 0.2 × 0.3 = 0.94
 * judgeSecondReading({ field: 'birthDate', value: '2013-02-16', confidence: 0.5, reasons: [], … }, { text: '16/02/2013', confidence: 0.4 });
 * // confidence 0.995
 */
export function judgeSecondReading(field: ExtractedField, second: LineReading, glyphs?: PageGlyphs): ExtractedField {
  const value = field.field === 'entryNo' ? entryNumberOf(second.text) : parseField(field.field, second.text);
  // a value the parser had to put right was not read as written, however alike the two results
  if (value.value !== field.value || value.corrected) {
    return { ...field, reasons: [...field.reasons, 'readings_disagree'] };
  }
  if (glyphs && twinnedDayDate(field, glyphs)) return { ...field, confidence: Math.max(field.confidence, AGREEING_READINGS), confirmedBy: 'readings_agree' };
  const bothWrong = (1 - field.confidence) * (1 - second.confidence);
  return { ...field, confidence: Math.max(field.confidence, Math.min(AGREEING_READINGS, 1 - bothWrong)), confirmedBy: 'readings_agree' };
}

/** The page's OCR words (with the glyph check's marks, src/ocr/glyphs.ts) and how far its confidences are believed (`pageTrust`, extract.ts). */
export interface PageGlyphs {
  words: readonly OcrWord[];
  trust: number;
}

/**
 * Least `pageTrust` of a page whose twinned dates read alike twice are confirmed whatever the confidences: a blurred
 * page, whose words OCR mostly doubts, blurs a typewriter's figures into one another, and two readings of one blurred
 * figure agree on the same misreading. On the stored final run of seed 3306 (typed values only) the typed pages holding
 * dates were trusted 0.82 to 1, and one ruled page of 1976 0.48 (its 12 twinned dates right, its dates split "5/11/"
 * "1944" and read at 0.61): the floor lies just under the least trusted page that vouches for the rule
 * (test/eval/twinned-dates.ts, BENCHMARKS.md "(issue 6, fifteenth session)").
 */
export const TWINNED_DATE_TRUST = 0.45;

/**
 * Whether a value read alike twice is a date to the day whose every figure was compared with the page's other
 * figures and has a copy read as the same figure (`twinnedDigits` on each of its words holding figures,
 * src/ocr/glyphs.ts `markDigits`), on a page whose confidences are believed (`TWINNED_DATE_TRUST`), and with no
 * figure like another figure of the page (no `digitDoubt`): on a typed page each figure is then vouched for by the
 * typewriter's own glyph read so elsewhere, and the whole date by a second reading of another crop, scale and
 * segmentation. The OCR's confidence adds nothing to that: Tesseract is unsure of a typewriter's "/" and "." between
 * figures it reads right. No `lonely_digit` is no proof: a date in words clears it (fields.ts), and a figure never
 * compared leaves none. On the stored final runs of seeds 3296, 3291 and 3292, typed dates to the day with figures
 * twinned and no reason but their confidence were 105 right and none wrong, and all 583 typed dates to the day with
 * their figures twinned were wrong once (1965 read 1985, caught by the second reading). A year alone or a month is
 * not confirmed so: what is left of a date whose day and month were lost reads alike twice.
 */
function twinnedDayDate(field: ExtractedField, { words, trust }: PageGlyphs): boolean {
  if (fieldKind(field.field) !== 'date' || field.reasons.length > 0 || !/^\d{4}-\d{2}-\d{2}$/.test(field.value ?? '') || trust < TWINNED_DATE_TRUST) return false;
  const figured = wordsWithin(words, field.lines ?? []).filter((w) => /\d/.test(w.text));
  const figures = (text: string) => text.replace(/\D/g, '').length;
  return figured.length > 0 && figured.every((w) => w.twinnedDigits && !w.doubtfulDigit)
    && figured.reduce((n, w) => n + figures(w.text), 0) === figures(field.raw);
}

/**
 * Reads again, line by line, every field of `entries` that `needsSecondReading` and that `typed` lets through,
 * on `clean` (the page the words were read from), and judges it (`judgeSecondReading`). Returns how many lines
 * were read. In the pipeline `typed` passes only values of pages told typewritten (src/extract/typewriter.ts):
 * on a hand-filled form both readings, by one engine of one hand, make the same mistakes (a written 3 read as
 * 5 twice: seed 2854's hand-filled form books, 13 wrong of 152 values accepted).
 */
export async function readUnsureValuesAgain(
  entries: ExtractedEntry[], clean: Buffer, readLine: ReadLine, vocabulary: Vocabulary = NO_VOCABULARY, typed: (field: ExtractedField) => boolean = () => true,
  options: ReadAgainOptions = FORM_VALUES,
): Promise<number> {
  const wanted = entries.flatMap((entry) => entry.fields.map((field, i) => ({ entry, field, i })))
    .filter(({ entry, field }) => needsSecondReading(field, vocabulary, options.threshold) && typed(field) && (!options.table || readableInCell(field, entry.template)));
  if (wanted.length === 0) return 0;
  const decoded = sharp(clean);
  const { density } = await decoded.metadata();
  const { data, info } = await decoded.greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  let grey: GreyImage = { data, width: info.width, height: info.height };
  let grid: TableGrid | null = null;
  if (options.table) ({ image: grey, table: grid } = removeRules(grey, density ?? DEFAULT_DPI, await localInk(grey, density ?? DEFAULT_DPI)));
  // the enlarged line keeps the page's resolution scaled with it, so Tesseract judges the text's size as on the page
  const page = { ...grey, density: (density ?? DEFAULT_DPI) * SCALE };
  let lines = 0;
  for (const { entry, field, i } of wanted) {
    if (options.table && field.lines!.some((box) => overRule(box, grid))) continue;
    if (options.table && heldByPage(entry, field, grid, options.table.words, grey)) continue;
    const readings: LineReading[] = [];
    for (const box of field.lines!) {
      const crop = options.table ? tableCrop(box, grid, options.table.words, page) : formCrop(box, page);
      const png = crop ? await lineImage(page, crop) : null;
      if (png) readings.push(await readLine(png));
      lines++;
    }
    if (readings.length !== field.lines!.length) continue;
    const text = readings.map((r) => r.text).join(' ');
    entry.fields[i] = judgeSecondReading(field, {
      text: options.table ? withCaseOf(field.raw, text) : text,
      confidence: Math.min(...readings.map((r) => r.confidence)),
    }, options.glyphs);
  }
  return lines;
}

/**
 * Why the page says a ruled cell's value may not be what its row holds (src/extract/cell-checks.ts): a line of it
 * reaching past the entry's row (`past_row`), or its first line under one that goes on or under unread ink in the
 * cell (`lost_above`); null when neither.
 */
function heldByPage(entry: ExtractedEntry, field: ExtractedField, grid: TableGrid | null, words: readonly OcrWord[], grey: GreyImage): string | null {
  const row = entry.region.find((r) => r.pageId === field.pageId)?.box;
  if (!row || !field.lines?.length) return null;
  if (pastRow(field.lines, row)) return 'past_row';
  return lostAbove(field.lines[0]!, grid, words, grey, row[1]) ? 'lost_above' : null;
}

type Bounds = { width: number; height: number };

/** The crop of a form's line: its box with a margin (a share of its height), within the page; null when empty. */
function formCrop([x, y, w, h]: PixelBox, page: Bounds): PixelBox | null {
  const mx = Math.round(h * MARGIN_X);
  const my = Math.round(h * MARGIN_Y);
  return within([Math.floor(x - mx), Math.floor(y - my), Math.ceil(x + w + mx), Math.ceil(y + h + my)], page);
}

/** [left, top, right, bottom] clipped to the page, as a box; null when nothing is left. */
function within([left, top, right, bottom]: number[], page: Bounds): PixelBox | null {
  const [l, t] = [Math.max(0, left!), Math.max(0, top!)];
  const [r, b] = [Math.min(page.width, right!), Math.min(page.height, bottom!)];
  return r - l < 2 || b - t < 2 ? null : [l, t, r - l, b - t];
}

/**
 * Whether a line runs over one of the table's column rules (`grid`, by more than a tenth of the line's height).
 * Where a letter crosses a rule, cleanup leaves the bit of rule inside the letter (src/imaging/rules.ts), and a
 * date typed over the rule may be overprinted by the next column's first letter ("20/11/1933" over "Kinh": the
 * last 3 and the K read 8); both readings read the same ink alike ("1938" for 1933 and for 1932 on seeds 3012 and
 * 3011). Such a value is not read again.
 */
export function overRule([x, , w, h]: PixelBox, grid: TableGrid | null): boolean {
  return (grid?.columns ?? []).some((c) => c > x + h / 10 && c < x + w - h / 10);
}

/** A table line's margin left and right where no column rule was found beside it, in line heights. */
const TABLE_MARGIN_X = 1;

/**
 * The crop of a ruled table's line: the whole width of its cell, from the column rule on its left to the one on
 * its right (painted out, `grid`), or further where the line's own box runs past that rule (a date typed over
 * it). The line's box is not trusted for its left and right: a word OCR read glued to a rule ("|Nữ") is cut from
 * it by the share of its letters (src/extract/table.ts splitAtRules), so its box may start inside its first
 * letter (cut there, "Nữ" was read "lữ"), and words the first reading lost on the line ("Tuy" for "Vĩnh Tuy")
 * are read the second time and make it differ. Without a rule on a side, the margin there is a line height.
 * Above and below, the crop stops at the row's rules and at the nearest other words of the page over its width:
 * a cell's lines are typed close together, and the tops of the next line's letters read as marks of this one.
 */
export function tableCrop(box: PixelBox, grid: TableGrid | null, words: readonly OcrWord[], page: Bounds): PixelBox | null {
  const [x, y, w, h] = box;
  const start = x + h / 2;
  const columns = grid?.columns ?? [];
  const ruleLeft = columns.filter((c) => c <= start).at(-1);
  const ruleRight = columns.find((c) => c > start);
  const left = ruleLeft ?? x - h * TABLE_MARGIN_X;
  const right = ruleRight === undefined ? x + w + h * TABLE_MARGIN_X : Math.max(ruleRight, x + w);
  const rows = grid?.rows ?? [];
  const middle = y + h / 2;
  let top = Math.max(0, ...rows.filter((r) => r <= middle), y - h * MARGIN_Y);
  let bottom = Math.min(page.height, ...rows.filter((r) => r > middle), y + h + h * MARGIN_Y);
  for (const { box: [wx, wy, ww, wh] } of words) {
    const [cx, cy] = [wx + ww / 2, wy + wh / 2];
    // the line's own words, and words beside the crop, do not bound it
    if ((cx >= x && cx <= x + w && cy >= y && cy <= y + h) || wx + ww <= left || wx >= right) continue;
    if (cy < middle && wy + wh > top) top = Math.max(top, Math.min(y, wy + wh));
    if (cy > middle && wy < bottom) bottom = Math.min(bottom, Math.max(y + h, wy));
  }
  return within([Math.floor(left), Math.floor(top), Math.ceil(right), Math.ceil(bottom)], page);
}

/** A crop of the page, enlarged, on a white border. */
async function lineImage(page: { data: Uint8Array; width: number; height: number; density: number }, [left, top, width, height]: PixelBox): Promise<Buffer> {
  return sharp(page.data, { raw: { width: page.width, height: page.height, channels: 1 } })
    .extract({ left, top, width, height })
    .resize({ width: width * SCALE, kernel: 'cubic' })
    .extend({ top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, background: '#ffffff' })
    .withMetadata({ density: page.density })
    .png({ compressionLevel: 1 })
    .toBuffer();
}
