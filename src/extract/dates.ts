/**
 * Dates and times as registers write them, in figures and in words, parsed into EVALUATION.md's normal
 * form: ISO with its precision ("1962-03-15", "1962-03", "1962"), times "HH:MM". A parser returns null
 * rather than guess: a wrong birth date accepted silently is worse than one sent to a person.
 */
import { foldDiacritics } from '../text/normalise.ts';

export type DatePrecision = 'day' | 'month' | 'year';
export interface ParsedDate {
  y: number;
  m?: number;
  d?: number;
  precision: DatePrecision;
  iso: string;
}

/** Oldest and newest years a register date may carry (births of parents in 1956 books go back to ~1870). */
export const YEAR_RANGE = { min: 1850, max: 2030 } as const;

const pad2 = (n: number) => String(n).padStart(2, '0');

export function makeDate(y: number, m?: number, d?: number): ParsedDate | null {
  if (!Number.isInteger(y) || y < YEAR_RANGE.min || y > YEAR_RANGE.max) return null;
  if (m === undefined) return { y, precision: 'year', iso: String(y) };
  if (!Number.isInteger(m) || m < 1 || m > 12) return null;
  if (d === undefined) return { y, m, precision: 'month', iso: `${y}-${pad2(m)}` };
  const date = new Date(Date.UTC(y, m - 1, d));
  if (!Number.isInteger(d) || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return { y, m, d, precision: 'day', iso: `${y}-${pad2(m)}-${pad2(d)}` };
}

/**
 * A date in figures: 15/03/1962, 15/3/1962, 15-03-1962, 15.3.1962, "ngày 15 tháng 3 năm 1962",
 * "tháng 3 năm 1962", "năm 1962", 03/1962, 1962. Two-digit years are refused (the century is a guess).
 */
export function parseDateFigures(text: string): ParsedDate | null {
  // a full stop after the year ends the typist's sentence, or is the last dot of the form's leader ("28/03/1921.")
  const t = foldDiacritics(text).replace(/\s+/g, ' ').trim().replace(/[,;]+$/, '').replace(/(\d{4})\.+$/, '$1');
  let m = /^(?:ngay )?(\d{1,2}) ?[/.-] ?(\d{1,2}) ?[/.-] ?(\d{4})$/.exec(t);
  if (m) return makeDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})$/.exec(t);
  if (m) return makeDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(?:thang )?(\d{1,2}) ?(?:[/.-]|nam) ?(\d{4})$/.exec(t);
  if (m) return makeDate(Number(m[2]), Number(m[1]));
  m = /^(?:nam )?(\d{4})$/.exec(t);
  if (m) return makeDate(Number(m[1]));
  return null;
}

// ───────── numbers in words ─────────

const DIGIT_WORDS: Record<string, number> = { khong: 0, mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5, lam: 5, sau: 6, bay: 7, tam: 8, chin: 9 };

/**
 * Vietnamese number words (0..9999) to a number, or null. Accepts the writers' variants: "nghìn"/"ngàn",
 * "linh"/"lẻ", "mốt", "tư", "lăm". Words are compared without diacritics because OCR often loses them,
 * so "mười" and "mươi" are told apart by whether a digit comes before.
 */
export function parseNumberWords(words: readonly string[]): number | null {
  let thousands = 0;
  let group = 0;
  let pending: number | null = null;
  let afterTen = false;
  if (words.length === 0) return null;
  for (const raw of words) {
    const w = foldDiacritics(raw);
    if (w === 'nghin' || w === 'ngan') {
      thousands += (group + (pending ?? 0) || 1) * 1000;
      group = 0;
      pending = null;
    } else if (w === 'tram') {
      group += (pending ?? 1) * 100;
      pending = null;
    } else if (w === 'muoi') {
      group += pending === null ? 10 : pending * 10;
      pending = null;
      afterTen = true;
      continue;
    } else if (w === 'linh' || w === 'le') {
      // a zero ten: "một trăm linh năm" = 105
    } else if (w in DIGIT_WORDS) {
      if (pending !== null) return null;
      if ((w === 'tu' || w === 'lam') && !afterTen) return null; // "tư", "lăm" stand for 4, 5 only after a ten
      pending = DIGIT_WORDS[w]!;
    } else return null;
    afterTen = false;
  }
  return thousands + group + (pending ?? 0);
}

const MONTH_WORDS: Record<string, number> = {
  gieng: 1, mot: 1, hai: 2, ba: 3, tu: 4, bon: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9, muoi: 10, 'muoi mot': 11, 'muoi hai': 12, chap: 12,
};

/**
 * A date in words: "ngày mười lăm tháng ba năm một nghìn chín trăm sáu mươi hai" → 1962-03-15; also
 * month + year or year only. Anything before "ngày" (a time of death in words) is ignored. Every
 * reading of "năm" (year, or five) is tried; the date must use every word after "ngày".
 */
export function parseDateWords(text: string): ParsedDate | null {
  const tokens = foldDiacritics(text).replace(/[.,;:]/g, ' ').split(/\s+/).filter(Boolean);
  const dayAt = tokens.indexOf('ngay');
  const monthAt = tokens.indexOf('thang', dayAt + 1);
  const start = monthAt >= 0 ? monthAt + 1 : dayAt >= 0 ? dayAt + 1 : 0;
  for (let yearAt = start; yearAt < tokens.length; yearAt++) {
    if (tokens[yearAt] !== 'nam') continue;
    const year = parseNumberWords(tokens.slice(yearAt + 1));
    if (year === null) continue;
    let month: number | undefined;
    if (monthAt >= 0) {
      month = MONTH_WORDS[tokens.slice(monthAt + 1, yearAt).join(' ')];
      if (month === undefined) continue;
    }
    let day: number | undefined;
    if (dayAt >= 0) {
      if (monthAt < 0) continue;
      const dayWords = tokens.slice(dayAt + 1, monthAt).filter((w) => w !== 'mung' && w !== 'mong');
      const parsed = parseNumberWords(dayWords);
      if (parsed === null) continue;
      day = parsed;
    } else if (monthAt < 0 && yearAt !== 0) continue;
    return makeDate(year, month, day);
  }
  return null;
}

/** Time of death: "14 giờ 30 phút", "14 giờ", "14h30", "14h", "14:30" → "14:30". */
export function parseTime(text: string): string | null {
  const t = foldDiacritics(text).replace(/\s+/g, ' ').replace(/[,;.]+$/, '').trim();
  const m = /^(\d{1,2}) ?(?:gio|h|:) ?(?:(\d{1,2}) ?(?:phut)?)?$/.exec(t);
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  return h <= 23 && min <= 59 ? `${pad2(h)}:${pad2(min)}` : null;
}
