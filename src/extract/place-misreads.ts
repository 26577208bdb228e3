/**
 * How a place value shows it was misread, whatever OCR's confidence: the shapes addresses are never written in
 * (a house number lost after "Số", a unit's word missing its first letter, an abbreviation punctuated wrong, a
 * hospital without its name, a small letter in a name, a unit without its kind…). Two readings of a value share
 * these mistakes (src/extract/second-reading.ts), so the value's form has to show them. Used by the place parser
 * (src/extract/values.ts), which adds the checks places share with other text (spelling, capitals, letters).
 */
import { isVietnameseSyllable } from '../text/legacy-encodings.ts';
import { comparable, foldDiacritics } from '../text/normalise.ts';
import { isUnitNameWord, unitKindLost } from '../places/written-place.ts';

/** Whether a place value has a shape no address is written in (each check below). */
export function placeMisread(value: string): boolean {
  return HOUSE_NUMBER_LOST.test(value) || misreadNumberedPart(value) || hasMalformedPlaceWord(value) || lostUnitInitial(value)
    || ABBREVIATION_MISPUNCTUATED.test(value) || HOSPITAL_UNNAMED.test(value) || STOP_AFTER_NUMBER.test(value) || figureAmongSmallLetters(value)
    || PUNCTUATION_BEFORE_WORD.test(value) || smallLetterInName(value) || unitKindLost(value);
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
 * A full stop after a number followed by a word ("Số 60. phố Lê Lợi", seed 2921; "nhà B4. Phường Phúc Lợi", seed 3342):
 * a speck or leader dot read, or a comma read as one; an address parts its units with commas, and abbreviates unit kinds
 * after letters ("P. Láng"), never after a number. A capital alone or capitals with their full stop after it ("60. P.
 * Láng") are left to the abbreviation checks.
 */
export const STOP_AFTER_NUMBER = /\d\.\s+\p{L}?\p{Ll}/u;

/** A word that begins with a full stop or comma (", .Hà Nội"): a leader dot or speck read, never written so. */
const PUNCTUATION_BEFORE_WORD = /(?:^|\s)[.,;:]\p{L}/u;

/**
 * A figure glued to small letters ("Thanh 0ai" for "Oai", "Ha1"): a house number carries one letter after its figures
 * ("12b", "5A"), and a road's milestone is "Km5"; no word has a figure before two letters or after a small one.
 */
const figureAmongSmallLetters = (text: string): boolean => /\d\p{Ll}{2,}|\p{Ll}\d/u.test(text.replace(/\bKm(?=\d)/gu, ''));

/**
 * Administrative terms of addresses and the fixed words of places of birth and death, spelled one way only: "tổ dần
 * phố", "Tai nhà" are misreads (every letter a syllable, so nothing else in the value gives them away).
 */
export const ADDRESS_TERMS = [
  'tổ dân phố', 'khu tập thể', 'khu đô thị', 'khu dân cư', 'cụm dân cư', 'khu công nghiệp',
  'tại nhà', 'tại nhà riêng', 'tại nơi cư trú', 'bệnh viện', 'trạm y tế', 'nhà hộ sinh', 'trung tâm y tế', 'phụ sản',
];

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

