/**
 * Field parsers: from the text read for an item to its normal form (EVALUATION.md), with what the
 * parser could check. A parser never repairs a value silently; it says whether the text had the
 * expected shape (`parsed`) and whether it agreed with a dictionary (`known`).
 */
import levenshtein from 'fast-levenshtein';
import { parseDateFigures, parseTime, type DatePrecision } from './dates.ts';
import { isVietnameseSyllable } from '../text/legacy-encodings.ts';
import { comparable, foldDiacritics, normaliseSpaces } from '../text/normalise.ts';
import { cleanValue, repairCase } from './text.ts';
import { respellPlace } from '../places/written-place.ts';
import { ADDRESS_TERMS, placeMisread } from './place-misreads.ts';

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
  /**
   * The value is not the text as read: capitals OCR put for small letters, or a surname's or a unit name's
   * marks, were put right (`repairCase`, `respellSurname`, `respellPlace`). Mostly right, but a person checks it.
   */
  corrected?: true;
}

/**
 * The 54 recognised ethnic groups, with common written variants, compared with their diacritics (tone
 * placement unified): "Tây" is not "Tày", and OCR confuses the two.
 */
export const ETHNIC_GROUP_NAMES: readonly string[] = [
  'Kinh', 'Tày', 'Thái', 'Mường', 'Khơ Me', 'Khmer', 'Hoa', 'Nùng', 'Mông', 'H\'Mông', 'Dao', 'Gia Rai', 'Ê Đê', 'Ba Na', 'Sán Chay', 'Chăm', 'Cơ Ho', 'Xơ Đăng',
  'Sán Dìu', 'Hrê', 'Ra Glai', 'Mnông', 'Thổ', 'Xtiêng', 'Khơ Mú', 'Bru Vân Kiều', 'Cơ Tu', 'Giáy', 'Tà Ôi', 'Mạ', 'Giẻ Triêng', 'Co', 'Chơ Ro', 'Xinh Mun',
  'Hà Nhì', 'Chu Ru', 'Lào', 'La Chí', 'Kháng', 'Phù Lá', 'La Hủ', 'La Ha', 'Pà Thẻn', 'Lự', 'Ngái', 'Chứt', 'Lô Lô', 'Mảng', 'Cơ Lao', 'Bố Y', 'Cống',
  'Si La', 'Pu Péo', 'Rơ Măm', 'Brâu', 'Ơ Đu',
].map((name) => name.normalize('NFC'));
const ETHNIC_GROUPS = new Set(ETHNIC_GROUP_NAMES.map(comparable));

/**
 * Relations to the person registered: a closed vocabulary, stored in this one spelling whatever the case it
 * was written in ("cháu" on 2006–2015 forms, "Cháu" on later ones), so that a value means one thing in search,
 * exports and certified extracts; the case of its first letter says nothing, and OCR confuses it (c/C, o/O).
 */
export const RELATIONS = new Map(
  ['Cha', 'Mẹ', 'Bố', 'Ông nội', 'Bà nội', 'Ông ngoại', 'Bà ngoại', 'Con', 'Con trai', 'Con gái', 'Con dâu', 'Con rể', 'Vợ', 'Chồng', 'Cháu', 'Cháu nội',
    'Cháu ngoại', 'Anh', 'Chị', 'Em', 'Anh trai', 'Chị gái', 'Em trai', 'Em gái', 'Cô', 'Dì', 'Chú', 'Bác', 'Cậu', 'Thím', 'Người giám hộ', 'Người thân', 'Bản thân']
    .map((relation) => [comparable(relation), relation.normalize('NFC')]),
);

/**
 * Vietnamese surnames, the common ones and the rarer and minority ones (Tày, Thái, Mường, Hmong: Lò, Cầm, Giàng,
 * Sùng…); a person's name starting with one of these is more likely read right. The rarer ones matter as much:
 * `respellSurname` only respells letters no two of these share, so a surname missing here ("Giàng") would be
 * "corrected" into the one it shares its letters with ("Giang").
 */
const SURNAMES = new Set(
  ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đào', 'Đoàn', 'Vương', 'Trịnh',
    'Trương', 'Lâm', 'Phùng', 'Mai', 'Tô', 'Hà', 'Tạ', 'Lương', 'Đinh', 'Cao', 'Chu', 'Lưu', 'Kiều', 'Quách', 'Nghiêm', 'Văn', 'Thái', 'Triệu', 'Lại', 'Tăng',
    'Khuất', 'Đàm', 'Hứa', 'Mạc', 'Doãn', 'Vi', 'La', 'Kim', 'Tống', 'Từ', 'Âu', 'Giang', 'Khổng', 'Lục', 'Ninh', 'Tôn', 'Thân', 'Diệp', 'Lã', 'Quan', 'Bạch', 'Hàn',
    'Chử', 'Hán', 'Hạ', 'Châu', 'Giáp', 'Lữ', 'Lư', 'Mã', 'Ma', 'Phí', 'Phó', 'Ông', 'Ứng', 'Mẫn', 'Viên', 'Nông', 'Bế', 'Hầu', 'Sầm', 'Đèo',
    'Giàng', 'Lường', 'Tòng', 'Vì', 'Lò', 'Cầm', 'Sùng', 'Thào', 'Vàng', 'Mùa', 'Lầu', 'Hờ', 'Quàng', 'Lù', 'Hảng', 'Tráng', 'Chảo', 'Bàn']
    .map((s) => s.normalize('NFC')),
);

/** A name word: a well-formed Vietnamese syllable, capitalised. OCR damage ("Nguyễn." "Hinh0" "Bqach") fails this. */
const isNameWord = (word: string) => /^\p{Lu}/u.test(word) && isVietnameseSyllable(word) && !hasMisreadCapital(word);

/**
 * Surnames by their letters without marks, for those whose letters no other surname of the list shares: OCR
 * misreads tone marks of typed names ("Nguyên" for "Nguyễn", "Lệ" for "Lê", "Đăng" for "Đặng").
 */
const SURNAME_BY_LETTERS = new Map<string, string>();
for (const surname of SURNAMES) {
  const letters = foldDiacritics(surname);
  // letters two surnames share ("La", "Lã") say nothing about which was written
  SURNAME_BY_LETTERS.set(letters, SURNAME_BY_LETTERS.has(letters) ? '' : surname);
}

/**
 * A name's first word with its marks misread, when its letters are those of one known surname and it is
 * spelled as no known surname: the surname ("Nguyên Văn Hùng" → "Nguyễn Văn Hùng"). Only a name of three
 * words or more: a two-word value may be what is left of a name whose surname OCR lost.
 */
export function respellSurname(name: string): string {
  const words = name.split(' ');
  if (words.length < 3 || SURNAMES.has(words[0]!)) return name;
  const surname = SURNAME_BY_LETTERS.get(foldDiacritics(words[0]!));
  return surname ? [surname, ...words.slice(1)].join(' ') : name;
}

function parseName(text: string, respell: boolean): ParsedValue {
  // a name holds no full stop: one after a word inside it is a leader dot or speck read ("Phạm Thị. Lan")
  const read = text.replace(/[.,;:]+$/, '').replace(respell ? /(?<=\p{L})\.(?= \p{Lu})/gu : /$^/u, '');
  const value = respell ? respellSurname(read) : read;
  const words = value.split(' ').filter(Boolean);
  const shaped = words.length >= 2 && words.length <= 6 && words.every(isNameWord);
  // a two-word name is rare in registers and is what OCR leaves of a name whose last word it dropped
  // ("Ngô Kim" for "Ngô Kim Mão"): it counts as not in the dictionary, so a person checks it
  return { value: value || null, precision: null, parsed: shaped, known: shaped ? words.length > 2 && SURNAMES.has(words[0]!) : false };
}

/**
 * The codes a personal number (12 digits) starts with: the 63 provinces' codes of the national list of administrative
 * units (Decision 124/2004/QĐ-TTg; Circular 07/2016/TT-BCA gives the personal number its holder's birth province's
 * code), 001 Hà Nội to 096 Cà Mau. The numbers between them belong to no province (003, 005, …): a figure misread.
 * The provinces merged on 1 July 2025 keep their codes in the numbers already given.
 */
const PROVINCE_CODES: ReadonlySet<number> = new Set([
  1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51,
  52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
]);

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

/** The marks Vietnamese writes on its letters (decomposed): grave, acute, tilde, hook, dot below, circumflex, breve, horn. */
const VIETNAMESE_MARKS = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323', '\u0302', '\u0306', '\u031B']);

/** Whether the text holds a letter or mark Vietnamese does not write ("Trạm ÿy tế"): a speck or a mark misread. */
export function hasForeignLetter(text: string): boolean {
  return [...text.normalize('NFD')].some((c) => (/\p{M}/u.test(c) ? !VIETNAMESE_MARKS.has(c) : /\p{L}/u.test(c) && !/[A-Za-zĐđ]/u.test(c)));
}

/**
 * The fixed phrases of registers' free text (notes, death notice references, changes), spelled one way only:
 * "Giấy báo tứ số 701", "Đăng hý Lại" are misreads of "Giấy báo tử", "Đăng ký lại".
 */
const REGISTER_PHRASES = [
  'giấy báo tử', 'đăng ký lại', 'đăng ký khai sinh', 'đăng ký kết hôn', 'đăng ký khai tử', 'khai sinh', 'khai tử', 'kết hôn', 'đã chết', 'đã mất',
  'ly hôn', 'bản án', 'quyết định', 'cải chính', 'thay đổi', 'bổ sung', 'nhận cha', 'nhận mẹ', 'người giám hộ', 'tòa án nhân dân', 'ủy ban nhân dân',
  'trích lục', 'chữ đệm', 'năm sinh', 'nơi sinh', 'quê quán', 'dân tộc', 'giới tính', 'quốc tịch',
];

/** Below this length a phrase one letter away from the text may be another phrase; only its diacritics are compared. */
const NEAR_PHRASE_LENGTH = 7;

/**
 * Whether `text` holds one of `phrases` (lower case) misspelled: the same letters with a diacritic lost, added
 * or changed ("tổ dần phố"); with `strict`, also one letter off ("đăng hý lại") or with a capital inside the
 * phrase ("Đăng ký Lại"), which free text never writes (an address may write "Tổ Dân Phố").
 */
function misspelledPhrase(text: string, phrases: readonly string[], strict: boolean): boolean {
  const words = text.split(/[\s,.;:()]+/u).filter(Boolean);
  return phrases.some((phrase) => {
    const n = phrase.split(' ').length;
    const target = comparable(phrase);
    return words.some((_, i) => {
      const span = words.slice(i, i + n);
      if (span.length < n) return false;
      const read = comparable(span.join(' '));
      if (read === target) return strict && span.slice(1).some((w) => w !== w.toLowerCase());
      if (foldDiacritics(read) === foldDiacritics(target)) return true;
      return strict && target.length >= NEAR_PHRASE_LENGTH && levenshtein.get(read, target) <= 1;
    });
  });
}

/**
 * Whether a word has capitals where Vietnamese writing has none: after the first letter of a word in lower
 * case ("PhưỜng"), or in a word all in capitals with a marked vowel ("SỐ 25" for "Số 25"). The capitals
 * registers write inside values are abbreviations (TP, UBND, KĐT, GBT), which carry no vowel marks; OCR takes
 * a small letter for the capital of the same shape (s/S, o/O, c/C), and the value is otherwise well formed.
 */
export function hasMisreadCapital(text: string): boolean {
  return text.split(/[^\p{L}]+/u).some((word) => {
    if ([...word].length < 2) return false;
    const upper = word.toUpperCase();
    if (word === upper) return /\p{M}/u.test(word.normalize('NFD'));
    return [...word].slice(1).some((c) => c !== c.toLowerCase());
  });
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
 * Whether free text holds a word of small letters read in capitals: a word of three letters or more in capitals,
 * without a vowel mark, that spells a Vietnamese syllable, beside a word in small letters ("SUY tim" for "Suy
 * tim", accepted so from a sans-serif face on seed 3359, where OCR took s, u, y for their capitals). The capitals
 * free text writes beside small words are abbreviations (GBT, HIV, UBND, CMND), which spell no syllable; a marked
 * word in capitals is `hasMisreadCapital`'s.
 */
function syllableInCapitals(text: string): boolean {
  const words = text.split(/[^\p{L}]+/u).filter(Boolean);
  return words.some((w) => /\p{Ll}/u.test(w)) && words.some((w) => [...w].length >= 3 && w === w.toUpperCase() && !/\p{M}/u.test(w.normalize('NFD')) && isVietnameseSyllable(w));
}

/** Free-text fields that hold a phrase, never a sentence of their own. */
const SHORT_PHRASES: ReadonlySet<string> = new Set(['deathCause', 'deathNoticeRef']);

/**
 * Whether free text lost its first words: registers begin such values with a capital ("Già yếu", "Giấy
 * báo tử số 12/GBT"), so "số 362/GBT" is what is left of one; a death notice reference without its number
 * ("Giấy báo") was cut off at the end.
 */
function lostItsStart(field: string, text: string): boolean {
  if (/^\p{Ll}/u.test(text)) return true;
  // a notice's number and its code after the slash: "Số 207/" lost the code (read on a line the value lost)
  return field === 'deathNoticeRef' && (!/\d/u.test(text) || /\/$/u.test(text));
}

/**
 * The words a place may start with in small letters as clerks wrote them ("xã Đông La, huyện Đông Hưng", "tại
 * nhà", "số 5"), folded: a place starting small with any other word lost its start or its capital to OCR ("lại nhà
 * riêng" for "Tại nhà riêng": the T read l).
 */
const SMALL_PLACE_STARTS = new Set([
  'so', 'thon', 'xom', 'tai', 'to', 'xa', 'x', 'doi', 'phong', 'benh', 'tram', 'vien', 'nha', 'trung', 'khu', 'cum', 'ap', 'ban',
  'lang', 'ngo', 'ngach', 'hem', 'pho', 'duong', 'phuong', 'p', 'thi', 'tt', 'tx', 'tieu', 'quan', 'q', 'huyen', 'h', 'tinh', 't', 'thanh', 'tp',
]);
const startsWithStrayWord = (place: string) =>
  /^\p{Ll}/u.test(place) && !SMALL_PLACE_STARTS.has(foldDiacritics(place.split(/[\s,]/u)[0]!).replace(/\.$/, ''));

/** Administrative unit words a part of a place starts with, folded (hamlets, "Thôn", "Xóm", are written as names). */
const UNIT_WORDS = /^(?:xa|phuong|huyen|quan|tinh|thi tran|thi xa|thanh pho)\s/u;

/**
 * Whether a unit word's case may be misread: a clerk writes the units after the first in one case ("xã …, huyện …" or
 * "Xã …, Huyện …"), and OCR tells x from X by size alone ("Xã Xuân Phương, huyện Từ Liêm" for "xã …", seed 3166).
 */
function unitCaseInDoubt(place: string): boolean {
  const units = place.split(',').slice(1).map((part) => part.trim()).filter((part) => UNIT_WORDS.test(foldDiacritics(part).toLowerCase()));
  const capital = units.filter((u) => /^\p{Lu}/u.test(u));
  return capital.length > 0 && capital.length < units.length && units.some((u) => /^[xX]/u.test(u));
}

/**
 * A reference's number and the code after its slash are one word: "Số 758/ GBT" is the notice "Số 758/GBT". A
 * typewriter gives "/" a letter's width, and Tesseract reads the white beside the stroke as a space (both readings
 * did so on nine death-notice numbers of seed 3014); so spaces around a slash after a figure are not part of the
 * normal form (a date in figures inside a note, "20/ 7/2011", is the same date too).
 *
 * @example
 * joinReferences('Số 758/ GBT'); // 'Số 758/GBT'
 */
export function joinReferences(text: string): string {
  return text.replace(/(\d) ?\/ ?(?=[\p{Lu}\d])/gu, '$1/');
}

/** Parses the text read for `field` into its normal form; a value put right on the way says so (`corrected`). */
export function parseField(field: string, text: string): ParsedValue {
  const read = cleanValue(text);
  const clean = repairCase(read);
  const parsed = parseCleanField(field, clean);
  if (parsed.value === null) return parsed;
  return parseCleanField(field, read, false).value === parsed.value ? parsed : { ...parsed, corrected: true };
}

/** `respell`: whether names and places take the known spellings of their letters. */
function parseCleanField(field: string, clean: string, respell = true): ParsedValue {
  // a date, year, time or ID that does not parse has no normal form: the text read stays in `raw`
  const none: ParsedValue = { value: null, precision: null, parsed: false, known: null };
  if (!clean) return { value: null, precision: null, parsed: false, known: null };
  switch (fieldKind(field)) {
    case 'name':
      return parseName(clean, respell);
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
      // a number starts with its province's code: an old 9-digit card's is 01–38 (the few three-digit codes,
      // "245", "285", start so too), a personal number's a province's (PROVINCE_CODES); nine digits starting "00"
      // are a personal number with three digits lost, and a code out of range is a misread figure (a 0 read 9: "910599820")
      const code = Number(digits.slice(0, digits.length === 9 ? 2 : 3));
      const ok = /^(\d{9}|\d{12})$/.test(digits) && (digits.length === 9 ? code >= 1 && code <= 38 : PROVINCE_CODES.has(code));
      return ok ? { value: digits, precision: null, parsed: true, known: null } : none;
    }
    case 'time': {
      const time = parseTime(clean);
      return { value: time, precision: null, parsed: time !== null, known: null };
    }
    case 'relation': {
      const value = clean.replace(/[.,]$/, '');
      const known = RELATIONS.get(comparable(value));
      return { value: known ?? value, precision: null, parsed: true, known: known !== undefined };
    }
    case 'place': {
      // unit names with a tone mark misread take the gazetteer's marks (the value is still checked as any)
      const written = normaliseSpaces(clean.replace(/[.,]$/, ''));
      const value = respell ? respellPlace(written) : written;
      // a colon inside means the value ran on over the next label (OCR gave its lines out of order); a
      // hyphen glued between a word and a capitalised one is a space or leader dot OCR misread ("đô thị-Văn Quán")
      const misread = placeMisread(value) || misspelledPhrase(value, ADDRESS_TERMS, false) || hasMisreadCapital(value) || value.includes(':') || /\p{Ll}-\p{Lu}/u.test(value) || hasForeignLetter(value)
        || startsWithStrayWord(value) || unitCaseInDoubt(value);
      return { value, precision: null, parsed: /\p{L}/u.test(value) && !misread, known: null };
    }
    case 'number': {
      // an entry number, or a book number as books write it ("01", "01/2010")
      const value = clean.replace(/[.,]$/, '').replace(/\s+/g, '');
      return /^\d{1,5}(\/\d{4})?$/.test(value) ? { value, precision: null, parsed: true, known: null } : none;
    }
    case 'text': {
      // a full stop followed by a small letter ends no sentence nor abbreviation: a leader dot or speck read ("Tai. biến")
      const strayStop = /\p{L}\. \p{Ll}/u.test(clean);
      // a cause of death or a notice's reference is a phrase, not a sentence: a full stop after it is a speck or the
      // clerk's, not part of what the register says ("Viêm phổi." is "Viêm phổi")
      const value = SHORT_PHRASES.has(field) ? joinReferences(clean).replace(/(?<=\p{L}|\d)\.$/u, '') : joinReferences(clean);
      return { value, precision: null, parsed: !hasMalformedWord(clean) && !lostItsStart(field, clean) && !hasMisreadCapital(clean) && !syllableInCapitals(clean) && !misspelledPhrase(clean, REGISTER_PHRASES, true) && !strayStop && !hasForeignLetter(clean), known: null };
    }
  }
}

/**
 * An entry's number as read after "Số:": the first word, when it is a number (what follows it on a leader
 * line is noise).
 *
 * @example
 * entryNumberOf('105 ....'); // { value: '105', … }
 */
export function entryNumberOf(text: string): ParsedValue {
  const number = /^(\d{1,5})$/.exec(cleanValue(text).split(' ')[0] ?? '');
  return { value: number ? number[1]! : null, precision: null, parsed: number !== null, known: null };
}

/** Letters a figure of an entry number is read as: a round 0 as O, a 5 as S. */
const FIGURE_LETTERS: Record<string, string> = { O: '0', o: '0', S: '5' };

/**
 * An entry number read with a figure taken for a letter ("10O", "S6") or a full stop after it ("90."), not parsed by
 * entryNumberOf: the number it most likely is, never accepted (held as `parse_failed`), so that the book checks
 * count the row's place in the numbering. On the sixteen stored eval runs of sessions 11–15, 58 of the 67 such readings
 * of paired entries were the entry's number (test/eval/entry-number-alike.ts); a 6 read "ó" (none of 14 a 0) and a 2
 * read "Z" (5 of 13) are left unread.
 *
 * @example
 * entryNumberAlike('S6'); // '56'
 */
export function entryNumberAlike(text: string): string | null {
  const first = (cleanValue(text).split(' ')[0] ?? '').replace(/\.$/, '');
  if (!/^[0-9OoS]{1,5}$/.test(first) || !/[0-9]/.test(first)) return null;
  const number = first.replace(/[OoS]/g, (c) => FIGURE_LETTERS[c]!);
  return /^[1-9][0-9]{0,4}$/.test(number) ? number : null;
}
