/**
 * Vietnamese text in the legacy 8-bit encodings that old imports of the electronic civil-status database
 * still carry, and the way back to NFC Unicode.
 *
 * The legacy system stored bytes; the export read every byte as a Windows-1252 character and wrote that
 * as UTF-8, so "Hà Nội" arrives as "Hµ Néi" (TCVN3) or "Haø Noäi" (VNI). Both encodings use only bytes
 * 0x00–0x7F (ASCII) and 0xA0–0xFF, where Windows-1252 and Latin-1 agree: byte b is character U+00b.
 *
 * TCVN3 (TCVN 5712:1993 "VN3", also "ABC", fonts .VnTime / .VnTimeH): one byte per letter, but only the
 * 67 lowercase letters and 7 capitals (Ă Â Ê Ô Ơ Ư Đ) have a byte. A capital with a tone mark has none:
 * writers typed the lowercase byte and set the word in the capital font .VnTimeH, which draws the very same
 * bytes as capitals ("NGUYỄN" is stored "NGUYÔN"). That is the convention implemented here: encode writes
 * the lowercase byte; decode recovers the case from the neighbouring letters (`tcvn3Case`). Decode also
 * reads the "A" + "µ" spelling of "À" (capital base letter, then the toned lowercase byte) that some
 * conversion tables list; encode never writes it. Note that ư is byte 0xAD, the soft hyphen: a tool that
 * dropped soft hyphens on the way ("Tr­êng" → "Trêng") lost the letter for good.
 *
 * VNI (VNI-Windows, fonts VNI-Times): the base letter followed by one mark byte ("ễ" = "e" + "ã"); i with a
 * tone, ơ, ư, ỵ and đ are single bytes. Capitals use the capital base and the mark byte 0x20 lower.
 *
 * Sources for the byte tables, checked against each other (all 134 letters agree):
 * - glibc iconv TCVN5712-1 (VN1, whose 0xA0–0xFF lowercase letters and 0xA1–0xA7 capitals are VN3),
 *   decoded byte by byte with `iconv -f TCVN5712-1`;
 * - Wikipedia "VSCII": VN3 = 67 lowercase + 7 capitals + NBSP; toned capitals via an all-capital font;
 * - "Unicode & Vietnamese Legacy Character Encodings" (vietunicode.sourceforge.net/charset, as reproduced
 *   at dothanhlong.org/unicode-va-ma-hoa-ky-tu-cu-cua-viet-nam/) and "Bảng đối chiếu encoding các bộ chữ
 *   hiện hành với Unicode" (scribd.com/document/23311958): VNI and TCVN3 hex columns;
 * - the VNI and TCVN3 tables of the npm package vietnamese-conversion (github.com/duydev/vietnamese-conversion);
 * - WinVNKey help "Check Capital fonts" and giaiphapexcel.com "Một thắc mắc với font TCVN3": the capital
 *   ("H") font draws the lowercase byte positions as capitals.
 */

export type LegacyEncoding = 'tcvn3' | 'vni';
export type TextEncoding = 'unicode' | LegacyEncoding;

/**
 * TCVN3 byte of every Vietnamese letter. Toned capitals share the lowercase byte (see above); only
 * Ă Â Ê Ô Ơ Ư Đ have bytes of their own (0xA1–0xA7).
 */
const TCVN3_BYTES: Readonly<Record<string, number>> = {
  à: 0xb5, ả: 0xb6, ã: 0xb7, á: 0xb8, ạ: 0xb9,
  À: 0xb5, Ả: 0xb6, Ã: 0xb7, Á: 0xb8, Ạ: 0xb9,
  ă: 0xa8, ằ: 0xbb, ẳ: 0xbc, ẵ: 0xbd, ắ: 0xbe, ặ: 0xc6,
  Ă: 0xa1, Ằ: 0xbb, Ẳ: 0xbc, Ẵ: 0xbd, Ắ: 0xbe, Ặ: 0xc6,
  â: 0xa9, ầ: 0xc7, ẩ: 0xc8, ẫ: 0xc9, ấ: 0xca, ậ: 0xcb,
  Â: 0xa2, Ầ: 0xc7, Ẩ: 0xc8, Ẫ: 0xc9, Ấ: 0xca, Ậ: 0xcb,
  è: 0xcc, ẻ: 0xce, ẽ: 0xcf, é: 0xd0, ẹ: 0xd1,
  È: 0xcc, Ẻ: 0xce, Ẽ: 0xcf, É: 0xd0, Ẹ: 0xd1,
  ê: 0xaa, ề: 0xd2, ể: 0xd3, ễ: 0xd4, ế: 0xd5, ệ: 0xd6,
  Ê: 0xa3, Ề: 0xd2, Ể: 0xd3, Ễ: 0xd4, Ế: 0xd5, Ệ: 0xd6,
  ì: 0xd7, ỉ: 0xd8, ĩ: 0xdc, í: 0xdd, ị: 0xde,
  Ì: 0xd7, Ỉ: 0xd8, Ĩ: 0xdc, Í: 0xdd, Ị: 0xde,
  ò: 0xdf, ỏ: 0xe1, õ: 0xe2, ó: 0xe3, ọ: 0xe4,
  Ò: 0xdf, Ỏ: 0xe1, Õ: 0xe2, Ó: 0xe3, Ọ: 0xe4,
  ô: 0xab, ồ: 0xe5, ổ: 0xe6, ỗ: 0xe7, ố: 0xe8, ộ: 0xe9,
  Ô: 0xa4, Ồ: 0xe5, Ổ: 0xe6, Ỗ: 0xe7, Ố: 0xe8, Ộ: 0xe9,
  ơ: 0xac, ờ: 0xea, ở: 0xeb, ỡ: 0xec, ớ: 0xed, ợ: 0xee,
  Ơ: 0xa5, Ờ: 0xea, Ở: 0xeb, Ỡ: 0xec, Ớ: 0xed, Ợ: 0xee,
  ù: 0xef, ủ: 0xf1, ũ: 0xf2, ú: 0xf3, ụ: 0xf4,
  Ù: 0xef, Ủ: 0xf1, Ũ: 0xf2, Ú: 0xf3, Ụ: 0xf4,
  ư: 0xad, ừ: 0xf5, ử: 0xf6, ữ: 0xf7, ứ: 0xf8, ự: 0xf9,
  Ư: 0xa6, Ừ: 0xf5, Ử: 0xf6, Ữ: 0xf7, Ứ: 0xf8, Ự: 0xf9,
  ỳ: 0xfa, ỷ: 0xfb, ỹ: 0xfc, ý: 0xfd, ỵ: 0xfe,
  Ỳ: 0xfa, Ỷ: 0xfb, Ỹ: 0xfc, Ý: 0xfd, Ỵ: 0xfe,
  đ: 0xae, Đ: 0xa7,
};

/** VNI bytes of every Vietnamese letter: base letter and mark, or a single byte. */
const VNI_BYTES: Readonly<Record<string, readonly number[]>> = {
  à: [0x61, 0xf8], ả: [0x61, 0xfb], ã: [0x61, 0xf5], á: [0x61, 0xf9], ạ: [0x61, 0xef],
  À: [0x41, 0xd8], Ả: [0x41, 0xdb], Ã: [0x41, 0xd5], Á: [0x41, 0xd9], Ạ: [0x41, 0xcf],
  ă: [0x61, 0xea], ằ: [0x61, 0xe8], ẳ: [0x61, 0xfa], ẵ: [0x61, 0xfc], ắ: [0x61, 0xe9], ặ: [0x61, 0xeb],
  Ă: [0x41, 0xca], Ằ: [0x41, 0xc8], Ẳ: [0x41, 0xda], Ẵ: [0x41, 0xdc], Ắ: [0x41, 0xc9], Ặ: [0x41, 0xcb],
  â: [0x61, 0xe2], ầ: [0x61, 0xe0], ẩ: [0x61, 0xe5], ẫ: [0x61, 0xe3], ấ: [0x61, 0xe1], ậ: [0x61, 0xe4],
  Â: [0x41, 0xc2], Ầ: [0x41, 0xc0], Ẩ: [0x41, 0xc5], Ẫ: [0x41, 0xc3], Ấ: [0x41, 0xc1], Ậ: [0x41, 0xc4],
  è: [0x65, 0xf8], ẻ: [0x65, 0xfb], ẽ: [0x65, 0xf5], é: [0x65, 0xf9], ẹ: [0x65, 0xef],
  È: [0x45, 0xd8], Ẻ: [0x45, 0xdb], Ẽ: [0x45, 0xd5], É: [0x45, 0xd9], Ẹ: [0x45, 0xcf],
  ê: [0x65, 0xe2], ề: [0x65, 0xe0], ể: [0x65, 0xe5], ễ: [0x65, 0xe3], ế: [0x65, 0xe1], ệ: [0x65, 0xe4],
  Ê: [0x45, 0xc2], Ề: [0x45, 0xc0], Ể: [0x45, 0xc5], Ễ: [0x45, 0xc3], Ế: [0x45, 0xc1], Ệ: [0x45, 0xc4],
  ì: [0xec], ỉ: [0xe6], ĩ: [0xf3], í: [0xed], ị: [0xf2],
  Ì: [0xcc], Ỉ: [0xc6], Ĩ: [0xd3], Í: [0xcd], Ị: [0xd2],
  ò: [0x6f, 0xf8], ỏ: [0x6f, 0xfb], õ: [0x6f, 0xf5], ó: [0x6f, 0xf9], ọ: [0x6f, 0xef],
  Ò: [0x4f, 0xd8], Ỏ: [0x4f, 0xdb], Õ: [0x4f, 0xd5], Ó: [0x4f, 0xd9], Ọ: [0x4f, 0xcf],
  ô: [0x6f, 0xe2], ồ: [0x6f, 0xe0], ổ: [0x6f, 0xe5], ỗ: [0x6f, 0xe3], ố: [0x6f, 0xe1], ộ: [0x6f, 0xe4],
  Ô: [0x4f, 0xc2], Ồ: [0x4f, 0xc0], Ổ: [0x4f, 0xc5], Ỗ: [0x4f, 0xc3], Ố: [0x4f, 0xc1], Ộ: [0x4f, 0xc4],
  ơ: [0xf4], ờ: [0xf4, 0xf8], ở: [0xf4, 0xfb], ỡ: [0xf4, 0xf5], ớ: [0xf4, 0xf9], ợ: [0xf4, 0xef],
  Ơ: [0xd4], Ờ: [0xd4, 0xd8], Ở: [0xd4, 0xdb], Ỡ: [0xd4, 0xd5], Ớ: [0xd4, 0xd9], Ợ: [0xd4, 0xcf],
  ù: [0x75, 0xf8], ủ: [0x75, 0xfb], ũ: [0x75, 0xf5], ú: [0x75, 0xf9], ụ: [0x75, 0xef],
  Ù: [0x55, 0xd8], Ủ: [0x55, 0xdb], Ũ: [0x55, 0xd5], Ú: [0x55, 0xd9], Ụ: [0x55, 0xcf],
  ư: [0xf6], ừ: [0xf6, 0xf8], ử: [0xf6, 0xfb], ữ: [0xf6, 0xf5], ứ: [0xf6, 0xf9], ự: [0xf6, 0xef],
  Ư: [0xd6], Ừ: [0xd6, 0xd8], Ử: [0xd6, 0xdb], Ữ: [0xd6, 0xd5], Ứ: [0xd6, 0xd9], Ự: [0xd6, 0xcf],
  ỳ: [0x79, 0xf8], ỷ: [0x79, 0xfb], ỹ: [0x79, 0xf5], ý: [0x79, 0xf9], ỵ: [0xee],
  Ỳ: [0x59, 0xd8], Ỷ: [0x59, 0xdb], Ỹ: [0x59, 0xd5], Ý: [0x59, 0xd9], Ỵ: [0xce],
  đ: [0xf1], Đ: [0xd1],
};

/** Every Vietnamese letter outside ASCII (134: 67 lowercase and their capitals), in table order. */
export const VIETNAMESE_LETTERS: readonly string[] = Object.keys(TCVN3_BYTES);

// A byte as the Windows-1252 character an export wrote for it (only 0x00–0x7F and 0xA0–0xFF occur).
const byteChar = (b: number): string => String.fromCharCode(b);

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu;
const stripTone = (letter: string): string => letter.normalize('NFD').replace(TONE_MARKS, '').normalize('NFC');
const isUpper = (c: string): boolean => c !== c.toLowerCase() && c === c.toUpperCase();
const isLower = (c: string): boolean => c !== c.toUpperCase() && c === c.toLowerCase();
const isLetter = (c: string): boolean => /\p{L}/u.test(c);

const TCVN3_ENCODE = new Map(Object.entries(TCVN3_BYTES).map(([letter, b]) => [letter, byteChar(b)]));
/** TCVN3 character → letter; a shared (toned) byte reads as the lowercase letter. */
const TCVN3_DECODE = new Map<string, string>();
for (const [letter, ch] of TCVN3_ENCODE) if (isLower(letter)) TCVN3_DECODE.set(ch, letter);
for (const [letter, ch] of TCVN3_ENCODE) if (!TCVN3_DECODE.has(ch)) TCVN3_DECODE.set(ch, letter);
/** Toned bytes: the only ones whose case the bytes do not tell. */
const TCVN3_CASELESS = new Set([...TCVN3_ENCODE].filter(([l]) => isUpper(l) && TCVN3_ENCODE.get(l.toLowerCase()) === TCVN3_ENCODE.get(l)).map(([, ch]) => ch));

const VNI_ENCODE = new Map(Object.entries(VNI_BYTES).map(([letter, bs]) => [letter, bs.map(byteChar).join('')]));
/** VNI sequence → letter, with the mark in either case (the base letter decides) and "yï" for ỵ. */
const VNI_DECODE = new Map<string, string>();
for (const [letter, seq] of VNI_ENCODE) {
  VNI_DECODE.set(seq, letter);
  if (seq.length === 2) {
    const mark = seq.charAt(1);
    const other = isUpper(mark) ? mark.toLowerCase() : mark.toUpperCase();
    VNI_DECODE.set(seq.charAt(0) + other, letter);
  }
}
for (const [seq, letter] of [['yï', 'ỵ'], ['yÏ', 'ỵ'], ['YÏ', 'Ỵ'], ['Yï', 'Ỵ']] as const) VNI_DECODE.set(seq, letter);

/**
 * Unicode NFC text → the string a legacy system would hold (each legacy byte as its cp1252 character).
 * Characters outside the Vietnamese alphabet pass through unchanged.
 * @example encodeLegacy('Nguyễn Thị Hà', 'tcvn3') // 'NguyÔn ThÞ Hµ'
 * @example encodeLegacy('Nguyễn Thị Hà', 'vni') // 'Nguyeãn Thò Haø'
 */
export function encodeLegacy(text: string, encoding: LegacyEncoding): string {
  const table = encoding === 'tcvn3' ? TCVN3_ENCODE : VNI_ENCODE;
  let out = '';
  for (const c of text.normalize('NFC')) out += table.get(c) ?? c;
  return out;
}

/**
 * The reverse of `encodeLegacy`; characters that are not part of the encoding pass through. TCVN3 does not
 * record the case of toned capitals, so it is inferred: a word's other letters, else the whole text (all
 * capitals, or title case for a word-initial letter); with no evidence the lowercase letter is kept.
 * @example decodeLegacy('NGUYÔN THÞ Hµ', 'tcvn3') // 'NGUYỄN THỊ HÀ'
 * @example decodeLegacy('Nguyeãn Thò Haø', 'vni') // 'Nguyễn Thị Hà'
 */
export function decodeLegacy(text: string, encoding: LegacyEncoding): string {
  return encoding === 'tcvn3' ? decodeTcvn3(text) : decodeVni(text);
}

function decodeVni(text: string): string {
  const cs = [...text];
  let out = '';
  for (let i = 0; i < cs.length; i++) {
    const pair = VNI_DECODE.get((cs[i] ?? '') + (cs[i + 1] ?? ''));
    if (pair !== undefined && i + 1 < cs.length) {
      out += pair;
      i++;
    } else out += VNI_DECODE.get(cs[i] ?? '') ?? cs[i];
  }
  return out;
}

interface DecodedChar {
  ch: string;
  /** False for a toned TCVN3 letter, whose case the byte does not record. */
  caseKnown: boolean;
}

function decodeTcvn3(text: string): string {
  const out: DecodedChar[] = [];
  for (const c of text) {
    const letter = TCVN3_DECODE.get(c);
    if (letter === undefined) {
      out.push({ ch: c, caseKnown: true });
      continue;
    }
    const caseKnown = !TCVN3_CASELESS.has(c);
    const prev = out.at(-1);
    // "Aµ" / "¢Ê": a capital base letter followed by its own toned lowercase letter is one toned capital
    if (!caseKnown && prev?.caseKnown && isUpper(prev.ch) && prev.ch.toLowerCase() === stripTone(letter)) {
      prev.ch = letter.toUpperCase();
      continue;
    }
    out.push({ ch: letter, caseKnown });
  }
  tcvn3Case(out);
  return out.map((d) => d.ch).join('');
}

/** Chooses the case of each toned TCVN3 letter from the letters around it (see `decodeLegacy`). */
function tcvn3Case(chars: DecodedChar[]): void {
  const words: DecodedChar[][] = [[]];
  for (const d of chars) {
    if (isLetter(d.ch)) words.at(-1)?.push(d);
    else if (words.at(-1)?.length) words.push([]);
  }
  // letters whose case the text does record, at the start of a word and inside one
  const known = (w: DecodedChar[]) => w.filter((d) => d.caseKnown && (isUpper(d.ch) || isLower(d.ch)));
  const initials = known(words.flatMap((w) => w.slice(0, 1)));
  const inner = known(words.flatMap((w) => w.slice(1)));
  const allCapitals = inner.length > 0 && inner.every((d) => isUpper(d.ch));
  const titleCase = 2 * initials.filter((d) => isUpper(d.ch)).length > initials.length;

  for (const w of words) {
    const wordInner = known(w.slice(1));
    const first = w[0];
    w.forEach((d, i) => {
      if (d.caseKnown) return;
      let upper: boolean;
      if (wordInner.length) upper = wordInner.every((x) => isUpper(x.ch)) || (i === 0 && titleCase);
      else if (i > 0 && first?.caseKnown && isLower(first.ch)) upper = false;
      else upper = allCapitals || (i === 0 && titleCase);
      if (upper) d.ch = d.ch.toUpperCase();
    });
  }
}

// ───────── detection ─────────

/** Letters and marks that only Unicode Vietnamese text contains (none is a Latin-1 character). */
const UNICODE_ONLY = /[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9\u0300-\u036f]/u;
/** Token separators: ASCII other than letters, and general punctuation. Latin-1 stays inside tokens. */
const SEPARATORS = /[\s\x00-\x40\x5b-\x60\x7b-\x7f\u2000-\u206f]+/u;

const INITIALS = ['', 'b', 'c', 'ch', 'd', 'đ', 'g', 'gh', 'gi', 'h', 'k', 'kh', 'l', 'm', 'n', 'ng', 'ngh', 'nh', 'p', 'ph', 'qu', 'r', 's', 't', 'th', 'tr', 'v', 'x'];
const FINALS = ['', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't'];
/** Vowel groups (tone marks removed) and whether a final consonant must, may or must not follow. */
const NO_FINAL = new Set(['ai', 'ao', 'au', 'ay', 'âu', 'ây', 'eo', 'êu', 'ia', 'iu', 'oi', 'ôi', 'ơi', 'ua', 'ui', 'ưa', 'ưi', 'ưu', 'uơ', 'iêu', 'yêu', 'oai', 'oao', 'oay', 'oeo', 'uây', 'uôi', 'ươi', 'ươu', 'uya', 'uyu']);
const FINAL_REQUIRED = new Set(['ă', 'â', 'oă', 'uâ', 'iê', 'yê', 'uô', 'ươ', 'uyê']);
const FINAL_OPTIONAL = new Set(['a', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y', 'oa', 'oe', 'uê', 'uy']);
/** Vowel groups that "ch" and "nh" may close. */
const PALATAL_NUCLEI = new Set(['a', 'ê', 'i', 'y', 'oa', 'uê', 'uy']);
/** Vowel groups ending in a front vowel: closed by the palatal "ch" and "nh", never by "c" or "ng" (tích, bệnh; no "tíc"). */
const FRONT_ENDING = new Set(['ê', 'i', 'y', 'uê', 'uy']);
/** A medial u before ê closes with nothing, "ch" or "nh" only (huế, khuếch, huênh); "Luệt" is a misread "Liệt". */
const MEDIAL_UE_FINALS = new Set(['', 'ch', 'nh']);
const FRONT = /^[eêiy]/u;
const ALPHABET = new Set([...'abcdefghijklmnopqrstuvwxyz', ...VIETNAMESE_LETTERS.filter(isLower)]);

/**
 * Where the tone mark of a vowel group goes: on the (last) vowel with a hat or horn, else on the only
 * vowel, the middle of three, the second of two before a final consonant, the first of two at the end;
 * "oa", "oe", "uy" at the end take either (hoà/hòa, thuỷ/thủy).
 */
function tonePositions(nucleus: string, final: string): number[] {
  const marked = [...nucleus].flatMap((c, i) => ('ăâêôơư'.includes(c) ? [i] : []));
  if (marked.length) return [marked.at(-1) ?? 0];
  if (nucleus.length === 1) return [0];
  if (nucleus.length === 3 || final) return [1];
  return ['oa', 'oe', 'uy'].includes(nucleus) ? [0, 1] : [0];
}

/** Whether `word` (letters only) is a well-formed Vietnamese syllable, in lower, upper or title case. */
export function isVietnameseSyllable(word: string): boolean {
  const lower = word.toLowerCase();
  if (word !== lower && word !== word.toUpperCase() && word !== word.charAt(0) + lower.slice(1)) return false;
  const letters = [...lower];
  if (!letters.length || !letters.every((c) => ALPHABET.has(c))) return false;
  let tone = '';
  let toneAt = -1;
  for (const [i, c] of letters.entries()) {
    const t = c.normalize('NFD').match(TONE_MARKS)?.[0];
    if (t === undefined) continue;
    if (tone) return false;
    tone = t;
    toneAt = i;
  }
  const bare = letters.map(stripTone).join('');
  return INITIALS.some((initial) => {
    if (!bare.startsWith(initial)) return false;
    const rest = bare.slice(initial.length);
    return FINALS.some((final) => {
      if (!rest.endsWith(final)) return false;
      const nucleus = rest.slice(0, rest.length - final.length);
      if (!nucleus) return false;
      if (final ? !(FINAL_REQUIRED.has(nucleus) || FINAL_OPTIONAL.has(nucleus)) : !(NO_FINAL.has(nucleus) || FINAL_OPTIONAL.has(nucleus))) return false;
      if ((final === 'ch' || final === 'nh') && !PALATAL_NUCLEI.has(nucleus)) return false;
      if ((final === 'c' || final === 'ng') && FRONT_ENDING.has(nucleus)) return false;
      if (nucleus === 'uê' && !MEDIAL_UE_FINALS.has(final)) return false;
      if (['c', 'ch', 'p', 't'].includes(final) && tone !== '\u0301' && tone !== '\u0323') return false;
      if (tone && !tonePositions(nucleus, final).includes(toneAt - initial.length)) return false;
      if (initial === 'qu' && /^[uư]/u.test(nucleus)) return false;
      if (initial === 'gi' && nucleus.startsWith('i')) return false;
      if ((initial === 'c' || initial === 'ng' || initial === 'g') && /^[eê]/u.test(nucleus)) return false;
      if ((initial === 'c' || initial === 'ng') && /^[iy]/u.test(nucleus)) return false;
      if ((initial === 'k' || initial === 'gh' || initial === 'ngh') && !FRONT.test(nucleus)) return false;
      return true;
    });
  });
}

/**
 * Syllables frequent in civil-status fields (names, places, relations, dates in words), both tone
 * placements. A reading that turns a word into one of these beats one that gives a rare syllable:
 * VNI "Thò" is Thị, though "thò" is a word too. Only a tie-breaker; any well-formed syllable scores.
 */
const COMMON_SYLLABLES = new Set(
  `nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh trương đào đoàn vương trịnh
  mai lương tạ chu kiều lại quách tô cao thân hà lò phùng tăng lâm triệu mạc vi hứa la âu nông lục khuất
  văn thị đình hữu đức xuân công bá ngọc quang minh mạnh thanh trọng thu hồng kim bích thúy thuý lan tuấn
  việt thành anh phương thùy thuỳ hoài hải diệu gia bảo đăng nhật khánh trung thảo tuệ an duy như mỹ thế
  tiến quốc khắc lộc thịnh phúc quý tư hoè hòe toàn thuận kỳ thọ thuỷ thủy nhàn tý lụa gấm hoà hòa sửu
  mão nụ cúc vân hợi lành mận ngoan thoa xuyến hùng dũng thắng sơn cường bình hiếu long chiến hưng lợi
  vinh khải hương hoa nga yến huyền hằng loan dung hạnh liên tâm hiền nhung oanh phượng trang linh chi
  giang quỳnh huy nam khoa quân phong tùng đạt khôi khang kiên ngân vy nhi thư my diệp châu khuê lam hân
  tú bé sáu tám ba hai năm bảy phó phú tài lực nghĩa trí tín hiệp thái tân tiên uyên hạ ánh ân ái ý út
  phường quận huyện xã trấn tỉnh phố nội kinh phòng nẵng bắc đông tây thượng số ngõ ngách đường thôn
  xóm ấp tổ khu bệnh viện trạm y tế nhà hộ sinh mẹ cha bố ông bà chị em con cháu nữ cải chính bổ sung
  ghi chú quyết định toà tòa án uỷ ủy ban nhân dân mường tày nùng dao hoá hóa nghệ ninh yên thọ lạng
  quảng sóc cà mau cần thơ huế ngày tháng một bốn chín mười mươi mốt lăm nghìn ngàn trăm linh lẻ không
  giờ phút tại ở và của`.split(/\s+/u),
);

/** Score of the tokens at `positions`: 1 for each Vietnamese syllable, 2 for a common one. */
function readingScore(text: string, positions: readonly number[]): number {
  const tokens = text.split(SEPARATORS);
  return positions.reduce((sum, i) => {
    const token = tokens[i] ?? '';
    return sum + (isVietnameseSyllable(token) ? (COMMON_SYLLABLES.has(token.toLowerCase()) ? 2 : 1) : 0);
  }, 0);
}

/**
 * Which encoding a field's text most likely is in ('unicode' when it already is proper Vietnamese), with a
 * confidence in [0.5, 1]. Each reading (as it is, as TCVN3, as VNI) is scored by how many of the words that
 * carry non-ASCII characters become well-formed Vietnamese syllables (1 point, 2 for a frequent one);
 * Unicode wins ties, so text that reads well as it is is never "repaired". Each point the best reading
 * scores above the next halves the remaining doubt (Unicode, the normal case, starts at 0.75, a legacy
 * reading at 0.5). Plain ASCII and text with letters only Unicode has are 'unicode' at once. One short
 * word can be genuinely ambiguous ("Phó" is also TCVN3 for "Phú"): detect over the whole record when the
 * record is known to be in one encoding.
 * @example detectEncoding('NguyÔn V¨n An') // { encoding: 'tcvn3', confidence: 0.969 }
 */
export function detectEncoding(text: string): { encoding: TextEncoding; confidence: number } {
  if (!/[^\x00-\x7f]/u.test(text)) return { encoding: 'unicode', confidence: 1 };
  if (UNICODE_ONLY.test(text)) return { encoding: 'unicode', confidence: 0.99 };
  const unicode = text.normalize('NFC');
  const positions = unicode.split(SEPARATORS).flatMap((t, i) => (/[^\x00-\x7f]/u.test(t) ? [i] : []));
  const readings: { encoding: TextEncoding; score: number }[] = [{ encoding: 'unicode', score: readingScore(unicode, positions) }];
  for (const encoding of ['tcvn3', 'vni'] as const) {
    const decoded = decodeLegacy(text, encoding);
    if (decoded !== unicode) readings.push({ encoding, score: readingScore(decoded, positions) });
  }
  const best = readings.reduce((a, b) => (b.score > a.score ? b : a));
  if (best.score === 0) return { encoding: 'unicode', confidence: 0.5 };
  const runnerUp = Math.max(0, ...readings.filter((r) => r !== best).map((r) => r.score));
  const doubt = 0.5 ** (best.score - runnerUp + (best.encoding === 'unicode' ? 2 : 1));
  return { encoding: best.encoding, confidence: Math.round((1 - doubt) * 1000) / 1000 };
}

/**
 * What import will store, keeping the original beside it: detect (unless the caller knows the record's
 * encoding), decode, NFC, collapse spaces. `encoding` says what the input was: 'nfd' when only
 * normalisation changed it.
 * @example repairVietnamese('Nguyeãn  Thò Haø') // { text: 'Nguyễn Thị Hà', encoding: 'vni' }
 */
export function repairVietnamese(
  text: string,
  known?: TextEncoding | 'nfd',
): { text: string; encoding: 'unicode' | 'nfd' | LegacyEncoding } {
  const encoding: TextEncoding = known === 'nfd' ? 'unicode' : (known ?? detectEncoding(text).encoding);
  const decoded = encoding === 'unicode' ? text : decodeLegacy(text, encoding);
  const nfc = decoded.normalize('NFC');
  const repaired = nfc.replace(/\s+/gu, ' ').trim();
  return { text: repaired, encoding: encoding !== 'unicode' ? encoding : nfc !== decoded ? 'nfd' : 'unicode' };
}
