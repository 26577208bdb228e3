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
import { isUnitNameWord, respellPlace, unitKindLost } from '../places/written-place.ts';

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
const ETHNIC_GROUPS = new Set(
  [
    'Kinh', 'Tày', 'Thái', 'Mường', 'Khơ Me', 'Khmer', 'Hoa', 'Nùng', 'Mông', 'H\'Mông', 'Dao', 'Gia Rai', 'Ê Đê', 'Ba Na', 'Sán Chay', 'Chăm', 'Cơ Ho', 'Xơ Đăng',
    'Sán Dìu', 'Hrê', 'Ra Glai', 'Mnông', 'Thổ', 'Xtiêng', 'Khơ Mú', 'Bru Vân Kiều', 'Cơ Tu', 'Giáy', 'Tà Ôi', 'Mạ', 'Giẻ Triêng', 'Co', 'Chơ Ro', 'Xinh Mun',
    'Hà Nhì', 'Chu Ru', 'Lào', 'La Chí', 'Kháng', 'Phù Lá', 'La Hủ', 'La Ha', 'Pà Thẻn', 'Lự', 'Ngái', 'Chứt', 'Lô Lô', 'Mảng', 'Cơ Lao', 'Bố Y', 'Cống',
    'Si La', 'Pu Péo', 'Rơ Măm', 'Brâu', 'Ơ Đu',
  ].map(comparable),
);

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

/** Words that name a unit's kind in an address, each a single syllable. */
const UNIT_WORDS = ['phường', 'huyện', 'quận', 'tỉnh', 'thôn', 'xóm', 'phố', 'ngõ', 'ngách', 'đường', 'xã', 'ấp', 'tổ', 'khu'];
/** What is left of each when its first letter is lost ("hường" of "Phường"). */
const UNIT_WORDS_HEADLESS = new Set(UNIT_WORDS.map((word) => [...word].slice(1).join('')));

/**
 * Whether an address holds a unit word that lost its first letter, in small letters before a capitalised name
 * ("Âu Cơ hường Nhật Tân": the "P" of Phường and the comma before it lost to a stain). What is left is often a
 * syllable, so the spelling check does not see it; a capitalised word of those letters is a name ("Hố Nai").
 */
function lostUnitInitial(text: string): boolean {
  const words = text.split(/[\s,]+/u).filter(Boolean);
  return words.some((word, i) => UNIT_WORDS_HEADLESS.has(word) && /^\p{Lu}/u.test(words[i + 1] ?? ''));
}

/**
 * A unit's abbreviation followed by a comma, a dash or a colon where its full stop belongs ("H, Thanh Trì",
 * "X- Yên Phong"): a full stop typed over a dotted leader, whose dot under it makes a comma. Both readings of
 * the value make the same mistake (src/extract/second-reading.ts), so the form of the value has to show it.
 */
const ABBREVIATION_MISPUNCTUATED = /(?:^|,\s*)(?:P|Q|X|H|T|TT|TX|TP)(?:[,;:\-–]|\.[,;:])(?=\s|$)/u;

/**
 * A hospital whose name was lost: "Bệnh viện" followed at once by a unit's abbreviation, a comma or nothing ("Bệnh
 * viện Q. Cầu Giấy" for "Bệnh viện E, Q. Cầu Giấy": a one-letter name and its comma are easily lost). A hospital is
 * named ("Bệnh viện Bạch Mai", "Bệnh viện K"); one named by its district writes the unit out ("Bệnh viện huyện Gia Lâm").
 */
const HOSPITAL_UNNAMED = /(?:^|,\s*)Bệnh viện(?=\s*(?:,|$)|\s+(?:P|Q|X|H|T|TT|TX|TP|Tp)\.)/iu;

/**
 * A full stop after a number followed by a word in small letters ("Số 60. phố Lê Lợi", seed 2921): a speck or leader dot
 * read; an address abbreviates unit kinds after letters ("P. Láng"), never after a number.
 */
const STOP_AFTER_NUMBER = /\d\.\s+\p{Ll}/u;

/** A word that begins with a full stop or comma (", .Hà Nội"): a leader dot or speck read, never written so. */
const PUNCTUATION_BEFORE_WORD = /(?:^|\s)[.,;:]\p{L}/u;

/**
 * A figure glued to small letters ("Thanh 0ai" for "Oai", "Ha1"): a house number carries one letter after its figures
 * ("12b", "5A"), and a road's milestone is "Km5"; no word has a figure before two letters or after a small one.
 */
const figureAmongSmallLetters = (text: string): boolean => /\d\p{Ll}{2,}|\p{Ll}\d/u.test(text.replace(/\bKm(?=\d)/gu, ''));

/** The marks Vietnamese writes on its letters (decomposed): grave, acute, tilde, hook, dot below, circumflex, breve, horn. */
const VIETNAMESE_MARKS = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323', '\u0302', '\u0306', '\u031B']);

/** Whether the text holds a letter or mark Vietnamese does not write ("Trạm ÿy tế"): a speck or a mark misread. */
export function hasForeignLetter(text: string): boolean {
  return [...text.normalize('NFD')].some((c) => (/\p{M}/u.test(c) ? !VIETNAMESE_MARKS.has(c) : /\p{L}/u.test(c) && !/[A-Za-zĐđ]/u.test(c)));
}

/**
 * Administrative terms of addresses and the fixed words of places of birth and death, spelled one way only: "tổ dần
 * phố", "Tai nhà" are misreads (every letter a syllable, so nothing else in the value gives them away).
 */
const ADDRESS_TERMS = [
  'tổ dân phố', 'khu tập thể', 'khu đô thị', 'khu dân cư', 'cụm dân cư', 'khu công nghiệp',
  'tại nhà', 'tại nhà riêng', 'tại nơi cư trú', 'bệnh viện', 'trạm y tế', 'nhà hộ sinh', 'trung tâm y tế',
];

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
 * Whether a place holds a word no Vietnamese syllable is spelled like ("Thôn Tựu Luệt"): villages and streets
 * are not in the gazetteer, so their spelling is all there is to check. Figures and abbreviations (X., TT., TP.)
 * are not words here. The highlands' names are not syllables ("Đắk Lắk"): a word of a unit the gazetteer holds
 * is known all the same.
 */
function hasMalformedPlaceWord(text: string): boolean {
  return text.split(/[\s,;:()/-]+/u).some((word) => {
    const pieces = word.split('.');
    return pieces.some((token, i) => {
      // a unit's abbreviation, in whatever case it was typed, before its full stop ("Tp.", "tt.", "x.", "P.Láng") or without it ("Tp Hà Nội")
      const abbreviation = (i < pieces.length - 1 && token.length <= 3) || UNIT_KINDS_UNDOTTED.has(token.toLowerCase());
      return !abbreviation && /^\p{L}+$/u.test(token) && token !== token.toUpperCase() && !isVietnameseSyllable(token) && !isUnitNameWord(token);
    });
  });
}

/**
 * Words a proper name follows in an address: a unit's or hamlet's kind ("Thôn", "xã", "thị trấn", "khu phố"), a street's
 * ("phố", "đường"), in any case, and units' abbreviations with their full stop.
 */
const NAME_FOLLOWS = new Set(['thôn', 'xóm', 'ấp', 'bản', 'làng', 'phường', 'xã', 'quận', 'huyện', 'tỉnh', 'trấn', 'phố', 'đường', 'p.', 'x.', 'q.', 'h.', 't.', 'tt.', 'tx.', 'tp.', 'tp']);

/**
 * Whether a name in an address has a word in small letters ("Thôn siêu Quần", seed 2962): every word of a village's,
 * unit's or street's name is capitalised, so a small one is a capital misread (typed S, s look alike). The name runs
 * from its kind to the part's end or to a figure ("Tổ dân phố 5", "đường số 3").
 */
function smallLetterInName(place: string): boolean {
  return place.split(/[,;]/u).some((part) => {
    let inName = false;
    for (const word of part.replace(/\.(?=\p{L})/gu, '. ').split(/\s+/u).filter(Boolean)) {
      if (/\d/u.test(word) || word === 'số') inName = false;
      else if (NAME_FOLLOWS.has(word.toLowerCase())) inName = true;
      else if (inName && /^\p{Ll}/u.test(word)) return true;
    }
    return false;
  });
}

/** Unit kinds written without their full stop as often as with it. */
const UNIT_KINDS_UNDOTTED = new Set(['tp', 'tt', 'tx']);

/**
 * Whether free text lost its first words: registers begin such values with a capital ("Già yếu", "Giấy
 * báo tử số 12/GBT"), so "số 362/GBT" is what is left of one; a death notice reference without its number
 * ("Giấy báo") was cut off at the end.
 */
function lostItsStart(field: string, text: string): boolean {
  if (/^\p{Ll}/u.test(text)) return true;
  return field === 'deathNoticeRef' && !/\d/u.test(text);
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
      // "245", "285", start so too), a personal number's 001–096; nine digits starting "00" are a personal number
      // with three digits lost, and a code out of range is a misread figure (a 0 read 9: "910599820")
      const code = Number(digits.slice(0, digits.length === 9 ? 2 : 3));
      const ok = /^(\d{9}|\d{12})$/.test(digits) && code >= 1 && code <= (digits.length === 9 ? 38 : 96);
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
      const misread = HOUSE_NUMBER_LOST.test(value) || misreadNumberedPart(value) || misspelledPhrase(value, ADDRESS_TERMS, false) || hasMisreadCapital(value) || hasMalformedPlaceWord(value) || lostUnitInitial(value) || value.includes(':') || /\p{Ll}-\p{Lu}/u.test(value)
        || ABBREVIATION_MISPUNCTUATED.test(value) || HOSPITAL_UNNAMED.test(value) || STOP_AFTER_NUMBER.test(value) || figureAmongSmallLetters(value) || hasForeignLetter(value) || PUNCTUATION_BEFORE_WORD.test(value)
        || smallLetterInName(value) || unitKindLost(value);
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
      return { value: clean, precision: null, parsed: !hasMalformedWord(clean) && !lostItsStart(field, clean) && !hasMisreadCapital(clean) && !misspelledPhrase(clean, REGISTER_PHRASES, true) && !strayStop && !hasForeignLetter(clean), known: null };
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
