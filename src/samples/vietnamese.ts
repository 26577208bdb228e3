/**
 * Vietnamese text as civil-status books write it: NFC text, calendar dates and their forms in figures and
 * in words, times of day, and identity numbers (old CMND and the 12-digit personal ID).
 */
import { at, type Rng } from './rng.ts';

export type Sex = 'male' | 'female';

/** NFC with single spaces: the normal form of every truth text (EVALUATION.md). */
export const nfc = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();
export const capFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

// ───────── calendar dates ─────────

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
export const isoDate = (t: Ymd): string => `${t.y}-${pad2(t.m)}-${pad2(t.d)}`;
export const dayNumber = (t: Ymd): number => Date.UTC(t.y, t.m - 1, t.d) / 86_400_000;
export function fromDayNumber(n: number): Ymd {
  const d = new Date(n * 86_400_000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}
export const addDays = (t: Ymd, n: number): Ymd => fromDayNumber(dayNumber(t) + n);
export const compareDates = (a: Ymd, b: Ymd): number => dayNumber(a) - dayNumber(b);
export const randomDate = (r: Rng, from: Ymd, to: Ymd): Ymd => fromDayNumber(r.int(dayNumber(from), dayNumber(to)));
export const parseIso = (s: string): Ymd => {
  const [y, m, d] = s.split('-').map(Number);
  return { y: y ?? 0, m: m ?? 1, d: d ?? 1 };
};

/** How much of a date the page gives: "1962-03-15", "1962-03" or "1962" (never an invented day). */
export type DatePrecision = 'day' | 'month' | 'year';
export function isoWithPrecision(t: Ymd, precision: DatePrecision): string {
  return precision === 'day' ? isoDate(t) : precision === 'month' ? `${t.y}-${pad2(t.m)}` : String(t.y);
}

/** Ways a date is written in figures; which one a book uses is part of its style. */
export type FigureStyle = 'dd/mm/yyyy' | 'd/m/yyyy' | 'dd-mm-yyyy' | 'ngày d tháng m năm yyyy' | 'd.m.yyyy';
export function dateInFigures(t: Ymd, style: FigureStyle, precision: DatePrecision = 'day'): string {
  if (precision === 'year') return style.startsWith('ngày') ? `năm ${t.y}` : String(t.y);
  if (precision === 'month') return style.startsWith('ngày') ? `tháng ${t.m} năm ${t.y}` : `${pad2(t.m)}/${t.y}`;
  switch (style) {
    case 'dd/mm/yyyy':
      return `${pad2(t.d)}/${pad2(t.m)}/${t.y}`;
    case 'd/m/yyyy':
      return `${t.d}/${t.m}/${t.y}`;
    case 'dd-mm-yyyy':
      return `${pad2(t.d)}-${pad2(t.m)}-${t.y}`;
    case 'd.m.yyyy':
      return `${t.d}.${t.m}.${t.y}`;
    case 'ngày d tháng m năm yyyy':
      return `ngày ${t.d} tháng ${t.m} năm ${t.y}`;
  }
}

// ───────── numbers and dates in words ─────────

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];

/** Spelling choices that vary between writers: "nghìn"/"ngàn", "linh"/"lẻ", "tư"/"bốn" after a ten. */
export interface WordStyle {
  thousand: 'nghìn' | 'ngàn';
  zeroTen: 'linh' | 'lẻ';
  fourAfterTen: 'tư' | 'bốn';
}
export const STANDARD_WORDS: WordStyle = { thousand: 'nghìn', zeroTen: 'linh', fourAfterTen: 'tư' };

function tensWords(n: number, w: WordStyle): string {
  if (n < 10) return at(DIGITS, n);
  const tens = Math.floor(n / 10);
  const unit = n % 10;
  const head = tens === 1 ? 'mười' : `${at(DIGITS, tens)} mươi`;
  if (unit === 0) return head;
  // 15 "mười lăm", 21 "hai mươi mốt", 24 "hai mươi tư"; 11 stays "mười một", 14 "mười bốn"
  const tail = unit === 5 ? 'lăm' : tens > 1 && unit === 1 ? 'mốt' : tens > 1 && unit === 4 ? w.fourAfterTen : at(DIGITS, unit);
  return `${head} ${tail}`;
}

function hundredsWords(n: number, forceHundreds: boolean, w: WordStyle): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds === 0 && !forceHundreds) return tensWords(rest, w);
  const head = `${at(DIGITS, hundreds)} trăm`;
  if (rest === 0) return head;
  return rest < 10 ? `${head} ${w.zeroTen} ${at(DIGITS, rest)}` : `${head} ${tensWords(rest, w)}`;
}

/**
 * 0..9999 in words as written on civil-status forms.
 *
 * @example
 * numberInWords(2005); // "hai nghìn không trăm linh năm"
 */
export function numberInWords(n: number, w: WordStyle = STANDARD_WORDS): string {
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  if (thousands === 0) return hundredsWords(rest, false, w);
  const head = `${at(DIGITS, thousands)} ${w.thousand}`;
  return rest === 0 ? head : `${head} ${hundredsWords(rest, true, w)}`;
}

const MONTHS = ['', 'một', 'hai', 'ba', 'tư', 'năm', 'sáu', 'bảy', 'tám', 'chín', 'mười', 'mười một', 'mười hai'];

/**
 * @example
 * dateInWords({ y: 1962, m: 3, d: 15 }); // "ngày mười lăm tháng ba năm một nghìn chín trăm sáu mươi hai"
 */
export function dateInWords(t: Ymd, w: WordStyle = STANDARD_WORDS, precision: DatePrecision = 'day'): string {
  const year = `năm ${numberInWords(t.y, w)}`;
  if (precision === 'year') return year;
  const month = `tháng ${at(MONTHS, t.m)} ${year}`;
  if (precision === 'month') return month;
  // days 1–10 are written "mùng/mồng" in speech; forms write "ngày một", "ngày mười"
  return `ngày ${tensWords(t.d, w)} ${month}`;
}

export function timeInFigures(h: number, m: number, style: 'giờ' | 'h' | ':'): string {
  if (style === ':') return `${pad2(h)}:${pad2(m)}`;
  if (style === 'h') return m === 0 ? `${h}h` : `${h}h${pad2(m)}`;
  return m === 0 ? `${h} giờ` : `${h} giờ ${m} phút`;
}
export const timeInWords = (h: number, m: number): string =>
  m === 0 ? `${tensWords(h, STANDARD_WORDS)} giờ` : `${tensWords(h, STANDARD_WORDS)} giờ ${tensWords(m, STANDARD_WORDS)} phút`;
export const isoTime = (h: number, m: number): string => `${pad2(h)}:${pad2(m)}`;

// ───────── identity numbers ─────────

/**
 * 12-digit personal ID number (số định danh cá nhân): 3-digit province code + century/sex digit
 * (0/1 male/female born 1900s, 2/3 born 2000s) + 2 digits of the birth year + 6 random digits.
 */
export function personalIdNumber(r: Rng, provinceCode: string, sex: Sex, birthYear: number): string {
  const century = birthYear >= 2000 ? 2 : 0;
  return `${provinceCode}${century + (sex === 'female' ? 1 : 0)}${pad2(birthYear % 100)}${r.digits(6)}`;
}

/** Old 9-digit ID card (CMND): 2-digit issuing-province prefix + 7 digits. */
export function oldIdCardNumber(r: Rng, cmndPrefix: string): string {
  return `${cmndPrefix}${r.digits(7)}`;
}

/** What a 12-digit personal ID says about its holder, for checks. */
export function decodePersonalId(id: string): { province: string; sex: Sex; birthYear: number } | undefined {
  if (!/^\d{12}$/.test(id)) return undefined;
  const code = Number(id[3]);
  if (code > 3) return undefined;
  return { province: id.slice(0, 3), sex: code % 2 === 0 ? 'male' : 'female', birthYear: (code >= 2 ? 2000 : 1900) + Number(id.slice(4, 6)) };
}
