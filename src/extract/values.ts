/**
 * Field parsers: from the text read for an item to its normal form (EVALUATION.md), with what the
 * parser could check. A parser never repairs a value silently; it says whether the text had the
 * expected shape (`parsed`) and whether it agreed with a dictionary (`known`).
 */
import { parseDateFigures, parseTime, type DatePrecision } from './dates.ts';
import { isVietnameseSyllable } from '../text/legacy-encodings.ts';
import { comparable, foldDiacritics, normaliseSpaces } from '../text/normalise.ts';
import { cleanValue } from './text.ts';

export type FieldKind = 'name' | 'date' | 'year' | 'sex' | 'ethnicity' | 'nationality' | 'place' | 'idNumber' | 'time' | 'relation' | 'number' | 'text';

export function fieldKind(field: string): FieldKind {
  if (/Name$/.test(field)) return 'name';
  if (/Date$/.test(field)) return 'date';
  if (/BirthYear$/.test(field)) return 'year';
  if (field === 'sex') return 'sex';
  if (/[eE]thnicity$/.test(field)) return 'ethnicity';
  if (/[nN]ationality$/.test(field)) return 'nationality';
  if (/(Place|Residence)$/.test(field) || field === 'hometown' || field === 'residence') return 'place';
  if (/IdNumber$/.test(field) || field === 'idNumber') return 'idNumber';
  if (field === 'deathTime') return 'time';
  if (/Relation$/.test(field)) return 'relation';
  // the number and book of the entry a change refers to
  if (field === 'refEntryNo' || field === 'refBookNo') return 'number';
  return 'text';
}

export interface ParsedValue {
  value: string | null;
  precision: DatePrecision | null;
  /** The text had the shape this kind of field must have. */
  parsed: boolean;
  /** The value is in the dictionary this kind has (surnames, the 54 ethnic groups, relations…); null: no dictionary. */
  known: boolean | null;
}

/**
 * The 54 recognised ethnic groups, with common written variants, compared with their diacritics (tone
 * placement unified): "Tây" is not "Tày", and OCR confuses the two.
 */
const ETHNIC_GROUPS = new Set(
  [
    'Kinh', 'Tày', 'Thái', 'Mường', 'Khơ Me', 'Khmer', 'Hoa', 'Nùng', 'Mông', 'H\'Mông', 'Dao', 'Gia Rai', 'Ê Đê', 'Ba Na', 'Sán Chay', 'Chăm', 'Cơ Ho', 'Xơ Đăng',
    'Sán Dìu', 'Hrê', 'Ra Glai', 'Mnông', 'Thổ', 'Xtiêng', 'Khơ Mú', 'Bru Vân Kiều', 'Cơ Tu', 'Giáy', 'Tà Ôi', 'Mạ', 'Giẻ Triêng', 'Co', 'Chơ Ro', 'Xinh Mun',
    'Hà Nhì', 'Chu Ru', 'Lào', 'La Chí', 'Kháng', 'Phù Lá', 'La Hủ', 'La Ha', 'Pà Thẻn', 'Lự', 'Ngái', 'Chứt', 'Lô Lô', 'Mảng', 'Cơ Lao', 'Bố Y', 'Cống',
    'Si La', 'Pu Péo', 'Rơ Măm', 'Brâu', 'Ơ Đu',
  ].map(comparable),
);

const RELATIONS = new Set(
  ['Cha', 'Mẹ', 'Bố', 'Ông nội', 'Bà nội', 'Ông ngoại', 'Bà ngoại', 'Con', 'Con trai', 'Con gái', 'Con dâu', 'Con rể', 'Vợ', 'Chồng', 'Cháu', 'Cháu nội',
    'Cháu ngoại', 'Anh', 'Chị', 'Em', 'Anh trai', 'Chị gái', 'Em trai', 'Em gái', 'Cô', 'Dì', 'Chú', 'Bác', 'Cậu', 'Thím', 'Người giám hộ', 'Người thân', 'Bản thân']
    .map(comparable),
);

/** Common Vietnamese surnames (folded); a person's name starting with one of these is more likely read right. */
const SURNAMES = new Set(
  ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đào', 'Đoàn', 'Vương', 'Trịnh',
    'Trương', 'Lâm', 'Phùng', 'Mai', 'Tô', 'Hà', 'Tạ', 'Lương', 'Đinh', 'Cao', 'Chu', 'Lưu', 'Kiều', 'Quách', 'Nghiêm', 'Văn', 'Thái', 'Triệu', 'Lại', 'Tăng',
    'Khuất', 'Đàm', 'Hứa', 'Mạc', 'Doãn', 'Vi', 'La', 'Kim', 'Tống', 'Từ', 'Âu', 'Giang', 'Khổng', 'Lục', 'Ninh', 'Tôn', 'Thân', 'Diệp', 'Lã', 'Quan', 'Bạch', 'Hàn']
    .map((s) => s.normalize('NFC')),
);

/** A name word: a well-formed Vietnamese syllable, capitalised. OCR damage ("Nguyễn." "Hinh0" "Bqach") fails this. */
const isNameWord = (word: string) => /^\p{Lu}/u.test(word) && isVietnameseSyllable(word);

function parseName(text: string): ParsedValue {
  const value = cleanValue(text).replace(/[.,;:]+$/, '');
  const words = value.split(' ').filter(Boolean);
  const shaped = words.length >= 2 && words.length <= 6 && words.every(isNameWord);
  // a two-word name is rare in registers and is what OCR leaves of a name whose last word it dropped
  // ("Ngô Kim" for "Ngô Kim Mão"): it counts as not in the dictionary, so a person checks it
  return { value: value || null, precision: null, parsed: shaped, known: shaped ? words.length > 2 && SURNAMES.has(words[0]!) : false };
}

/** Checks the 12-digit personal ID against the holder's sex and birth year (century/sex digit + year). */
export function personalIdAgrees(id: string, sex: string | null, birthYear: number | null): boolean | null {
  if (!/^\d{12}$/.test(id)) return null;
  const code = Number(id[3]);
  if (code > 3) return false;
  const century = code >= 2 ? 2000 : 1900;
  if (birthYear !== null && century + Number(id.slice(4, 6)) !== birthYear) return false;
  if (sex !== null && (code % 2 === 0 ? 'male' : 'female') !== sex) return false;
  return true;
}

/**
 * "Số" opens a house number ("Số 111 phố Lê Lợi", "Số nhà 5/3"); followed by a word instead, OCR lost the number
 * (faded figures), and the address is incomplete however sure the words that remain are.
 */
const HOUSE_NUMBER_LOST = /(?:^|[\s,])Số\s+(?!(?:nhà\s+)?[0-9A-Za-z/-]*\d)/u;

/** Words that open a numbered part of an address ("Tổ 35", "Xóm 11", "Ngõ 199"), as they are spelled. */
const NUMBERED_PARTS = ['Số', 'Tổ', 'Xóm', 'Đội', 'Thôn', 'Ấp', 'Khu', 'Khối', 'Cụm', 'Bản', 'Làng', 'Ngõ', 'Ngách', 'Hẻm', 'Kiệt', 'Phố', 'Đường', 'Nhà', 'Phòng'];
const NUMBERED_PART_FOLDS = new Map(NUMBERED_PARTS.map((w) => [foldDiacritics(w), comparable(w)]));

/**
 * Whether a part of an address that opens with a number's word has that word misread: "Tố 35" folds
 * like "Tổ 35" but is no word an address uses before a number (a street "Tô Hiến Thành" has no number).
 */
function misreadNumberedPart(place: string): boolean {
  return place.split(',').some((part) => {
    const m = /^\s*(\p{L}+)\s+\d/u.exec(part);
    if (!m) return false;
    const spelled = NUMBERED_PART_FOLDS.get(foldDiacritics(m[1]!));
    return spelled !== undefined && spelled !== comparable(m[1]!);
  });
}

/** Administrative terms of addresses, spelled one way only: "tổ dần phố" is a misread. */
const ADDRESS_TERMS = ['tổ dân phố', 'khu tập thể', 'khu đô thị', 'khu dân cư', 'cụm dân cư', 'khu công nghiệp'].map((term) => term.split(' '));

/** Whether an address holds one of `ADDRESS_TERMS` with a diacritic lost, added or changed. */
function misspelledAddressTerm(place: string): boolean {
  const words = place.split(/[\s,]+/u).filter(Boolean);
  return ADDRESS_TERMS.some((term) => words.some((_, i) => {
    const span = words.slice(i, i + term.length);
    return span.length === term.length && span.every((w, k) => foldDiacritics(w) === foldDiacritics(term[k]!)) && span.some((w, k) => comparable(w) !== term[k]);
  }));
}

/**
 * Whether free text (notes, a cause of death) holds a word no Vietnamese syllable is spelled like
 * ("kú"), or syllables joined by a hyphen OCR made of a space ("báo-tử"). Figures, abbreviations in
 * capitals (GBT, HIV) and punctuation are not words here.
 */
function hasMalformedWord(text: string): boolean {
  return text.split(/[\s,.;:()/]+/u).some((token) => {
    if (!token || /[\d]/u.test(token) || (token.length > 1 && token === token.toUpperCase())) return false;
    if (/\p{Ll}-\p{Ll}/u.test(token)) return true;
    return /^\p{L}+$/u.test(token) && !isVietnameseSyllable(token);
  });
}

/**
 * Whether free text lost its first words: registers begin such values with a capital ("Già yếu", "Giấy
 * báo tử số 12/GBT"), so "số 362/GBT" is what is left of one; a death notice reference without its number
 * ("Giấy báo") was cut off at the end.
 */
function lostItsStart(field: string, text: string): boolean {
  if (/^\p{Ll}/u.test(text)) return true;
  return field === 'deathNoticeRef' && !/\d/u.test(text);
}

/** Parses the text read for `field` into its normal form. */
export function parseField(field: string, text: string): ParsedValue {
  const clean = cleanValue(text);
  // a date, year, time or ID that does not parse has no normal form: the text read stays in `raw`
  const none: ParsedValue = { value: null, precision: null, parsed: false, known: null };
  if (!clean) return { value: null, precision: null, parsed: false, known: null };
  switch (fieldKind(field)) {
    case 'name':
      return parseName(clean);
    case 'date': {
      const date = parseDateFigures(clean);
      return date ? { value: date.iso, precision: date.precision, parsed: true, known: null } : none;
    }
    case 'year': {
      const year = /^(?:năm )?(\d{4})$/i.exec(clean.replace(/[.,]$/, ''));
      const y = year ? Number(year[1]) : NaN;
      return y >= 1850 && y <= 2030 ? { value: String(y), precision: 'year', parsed: true, known: null } : none;
    }
    case 'sex': {
      const f = foldDiacritics(clean).replace(/[.,]$/, '');
      const sex = f === 'nam' || f === 'trai' ? 'male' : f === 'nu' || f === 'gai' ? 'female' : null;
      return { value: sex, precision: null, parsed: sex !== null, known: sex !== null };
    }
    case 'ethnicity': {
      const value = clean.replace(/[.,]$/, '');
      return { value, precision: null, parsed: true, known: ETHNIC_GROUPS.has(comparable(value)) };
    }
    case 'nationality': {
      const value = clean.replace(/[.,]$/, '');
      // the nationality column of Vietnamese registers is almost always Việt Nam; others are checked by people
      return { value, precision: null, parsed: /^[\p{L} ]+$/u.test(value), known: value === 'Việt Nam' };
    }
    case 'idNumber': {
      const digits = clean.replace(/[\s.]/g, '');
      // an old 9-digit card starts with its two-digit province code, never "00": nine digits starting so
      // are a 12-digit personal number ("001…") with three digits lost
      const ok = /^(\d{9}|\d{12})$/.test(digits) && !(digits.length === 9 && digits.startsWith('00'));
      return ok ? { value: digits, precision: null, parsed: true, known: null } : none;
    }
    case 'time': {
      const time = parseTime(clean);
      return { value: time, precision: null, parsed: time !== null, known: null };
    }
    case 'relation': {
      const value = clean.replace(/[.,]$/, '');
      return { value, precision: null, parsed: true, known: RELATIONS.has(comparable(value)) };
    }
    case 'place': {
      const value = normaliseSpaces(clean.replace(/[.,]$/, ''));
      // a colon inside means the value ran on over the next label (OCR gave its lines out of order); a
      // hyphen glued between a word and a capitalised one is a space or leader dot OCR misread ("đô thị-Văn Quán")
      const misread = HOUSE_NUMBER_LOST.test(value) || misreadNumberedPart(value) || misspelledAddressTerm(value) || value.includes(':') || /\p{Ll}-\p{Lu}/u.test(value);
      return { value, precision: null, parsed: /\p{L}/u.test(value) && !misread, known: null };
    }
    case 'number': {
      // an entry number, or a book number as books write it ("01", "01/2010")
      const value = clean.replace(/[.,]$/, '').replace(/\s+/g, '');
      return /^\d{1,5}(\/\d{4})?$/.test(value) ? { value, precision: null, parsed: true, known: null } : none;
    }
    case 'text':
      return { value: clean, precision: null, parsed: !hasMalformedWord(clean) && !lostItsStart(field, clean), known: null };
  }
}
