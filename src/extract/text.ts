/** The cleanup of values read off a form. */
import { normaliseSpaces } from '../text/normalise.ts';

/** Abbreviated unit kinds of addresses (Phường, Quận, Xã, Huyện, Tỉnh, Thị trấn, Thị xã, Thành phố). */
const UNIT_ABBREVIATIONS = new Set(['P', 'Q', 'X', 'H', 'T', 'TT', 'TX', 'TP']);

/**
 * What OCR makes of a printed dotted leader once the dots are gone: runs of a few shapes ("GGGG",
 * "nnnnN", "II", "ỒỒ", "—-") and zero-filled dates ("000/00/0000"). Three characters or more, so a
 * house number "1" or a word like "Nam" is never taken for one; nor "Ông" (of "Ông nội", or the surname),
 * the one Vietnamese word made only of those shapes.
 */
const LEADER_ARTEFACT = /^(?![Ôô]ng$)(?:[GgnNIlEeMmỒồỐốÔ()[\]{}\-—–_„"“”'`^~=+*#<>¡!|]{3,}|[0/.-]{4,}|(?!1+$)[IlE1|]{2,})$/u;

/**
 * A value as read between its label and the next one, without the printed dotted leader and what OCR
 * makes of it: runs of dots become spaces ("..Nguyễn..Anh" → "Nguyễn Anh"), a dot glued between two
 * words too ("Việt.Nam") or after a comma (",.Q"), except after a unit abbreviation, which keeps its dot ("Q..Đống.Đa" →
 * "Q. Đống Đa"); leader artefacts and stray punctuation are dropped.
 */
export function cleanValue(text: string): string {
  const spaced = text
    .replace(/Ð/g, 'Đ') // OCR gives the Icelandic eth, which looks the same; Vietnamese has only Đ
    .replace(/[.…·•_˙⋯]{2,}/g, ' ')
    .replace(/(\p{L})\.(?=\p{L})/gu, '$1 ')
    // a dot glued after the clerk's comma before a word is the leader's ("Hà Đông,.Q..Hà Đông" on seed 3359)
    .replace(/([,;])\.(?=\p{L})/gu, '$1 ');
  const tokens = spaced.split(/\s+/).filter((t) => t && !LEADER_ARTEFACT.test(t) && !/^[.…·•_:;,|„"“”'`]+$/.test(t));
  const words = tokens.map((t) => (UNIT_ABBREVIATIONS.has(t) ? `${t}.` : t));
  // what the end of a label's colon or leader leaves before a value: a quote, backslash, underscore, dash
  return normaliseSpaces(words.join(' ').replace(/^[\s,.;:|"'“”‘’\\_\-–—]+|[\s,;:|]+$/g, ''));
}

/**
 * A "1" or "0" between two letters of a word is the "i" or "o" of a typewriter face ("G1ấy" → "Giấy", "S0ng" →
 * "Song"), a capital one between capitals ("H0ÀNG" → "HOÀNG"): no Vietnamese word holds a figure there, and house
 * numbers ("A10", "12B") have it at an end.
 */
function repairLetterDigits(word: string): string {
  return word.replace(/(?<=(\p{L}))[10](?=(\p{L}))/gu, (digit: string, before: string, after: string) => {
    const capital = /\p{Lu}/u.test(before) && /\p{Lu}/u.test(after);
    return digit === '1' ? (capital ? 'I' : 'i') : capital ? 'O' : 'o';
  });
}

/** A word of two letters or more, all capitals ("TP.", "HỒ", "MINH"). */
const inCapitals = (word: string | undefined): boolean => {
  const letters = (word ?? '').replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && !/\p{Ll}/u.test(letters);
};

/**
 * Capitals OCR put for small letters. In a typewriter face a small letter with its marks ("ố", "ũ", "ợ") is
 * as tall as a capital, and Tesseract read "SỐ 78", "VŨ Đức Long", "XÓm 5", "COn trai". A value written in
 * capitals throughout (before any figure is read as a letter) is kept as written, and so is a run of words in
 * capitals inside a value ("TP. HỒ CHÍ MINH"); otherwise a capital right after a letter of a word that has
 * small letters is a small letter ("XÓm" → "Xóm"; "P.Láng" keeps its capital after the dot), and a lone word
 * of two letters or more all in capitals with a marked vowel is a capitalised word ("SỐ" → "Số"): Vietnamese
 * abbreviations (UBND, GBT, TX, QĐ) are made of bare initials. A reference or number (a word with a figure or
 * "/": "12/GBT-B1A") is left as read.
 *
 * @example
 * repairCase('SỐ 78 phố Huế'); // 'Số 78 phố Huế'
 * repairCase('VƯơng Công Tư'); // 'Vương Công Tư'
 * repairCase('QĐ-UBND ngày 20/7/2011'); // unchanged
 * repairCase('G1ấY báo tử'); // 'Giấy báo tử'
 */
export function repairCase(text: string): string {
  const capitals = !/\p{Ll}/u.test(text);
  const words = text.split(' ');
  return words
    .map((read, i) => {
      if (read.includes('/')) return read;
      const word = repairLetterDigits(read);
      if (capitals || /\p{N}/u.test(word)) return word;
      if (/\p{Ll}/u.test(word)) return word.replace(/(?<=\p{L})\p{Lu}/gu, (c) => c.toLowerCase());
      const letters = word.replace(/[^\p{L}]/gu, '');
      if (letters.length < 2 || !/\p{M}/u.test(letters.normalize('NFD'))) return word;
      if (inCapitals(words[i - 1]) || inCapitals(words[i + 1])) return word;
      const first = word.search(/\p{L}/u);
      return word.slice(0, first + 1) + word.slice(first + 1).toLowerCase();
    })
    .join(' ');
}
