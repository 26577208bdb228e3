import { isVietnameseSyllable } from '../text/legacy-encodings.ts';

/**
 * Corrections of OCR output that the glyph alone cannot decide and its context can: the figure 1 read for a
 * letter inside a word. A confusion of typewritten pages (measured on a real typewriter in BENCHMARKS.md): many
 * typewriters had no key for the figure 1, the typist struck the lower-case l for it, so the two are one glyph;
 * on the generator's typewriter face Tesseract reads an i as 1 ("K1nh").
 */

/** A word's letters with `1`s between or before them, its punctuation apart: "(1inh," → "(", "1inh", ",". */
const WORD_WITH_ONES = /^([^\p{L}\p{N}]*)([\p{L}1]*1[\p{L}1]*)([^\p{L}\p{N}]*)$/u;

/**
 * The word with each figure 1 read among its letters as the letter it was, when the context says it is a
 * letter: the word holds no other figure, every 1 touches a letter, its letters are lower case (an initial
 * capital aside), and either the 1 read as l or as i makes a Vietnamese syllable ("1inh" → "linh", "K1nh" →
 * "Kinh"). A foreign word stays as read ("1iter": a rule for those turned "1bis" and "1kg" into letters too, and
 * gained nothing on Vietnamese pages). A figure glued to a syllable stays ("1ngày" is "1 ngày" read without its
 * space), and so do a figure after the letters ("Khu1": "Khu 1"), house numbers with one letter ("12a", "1b") and
 * codes ("A1", "P1").
 *
 * @example
 * lettersForOnes('1inh,');  // 'linh,'
 * lettersForOnes('K1nh');   // 'Kinh'
 * lettersForOnes('1bis');   // '1bis'
 * lettersForOnes('1ngày');  // '1ngày'
 * lettersForOnes('12a');    // '12a'
 */
export function lettersForOnes(text: string): string {
  const m = WORD_WITH_ONES.exec(text);
  if (!m) return text;
  const [, before, core, after] = m as unknown as [string, string, string, string];
  const chars = [...core];
  const letters = chars.filter((c) => c !== '1');
  if (letters.length < 2) return text;
  // lower case apart from an initial capital
  if (letters.slice(chars[0] === '1' ? 0 : 1).some((c) => c !== c.toLowerCase())) return text;
  if (chars.some((c, i) => c === '1' && !isLetter(chars[i - 1]) && !isLetter(chars[i + 1]))) return text;
  // a figure after a word's letters is a number glued to it ("Khu1", "Xóm1": "Khu 1" read without its space)
  if (chars.at(-1) === '1') return text;
  for (const letter of ['l', 'i']) {
    const read = chars.map((c) => (c === '1' ? letter : c)).join('');
    if (isVietnameseSyllable(read)) return before + read + after;
  }
  // A word Vietnamese does not spell either way is left as read: it may be a figure after all ("1bis", "1kg").
  return text;
}

function isLetter(c: string | undefined): boolean {
  return c !== undefined && /^\p{L}$/u.test(c);
}
