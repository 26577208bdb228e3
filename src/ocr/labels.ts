import { LAYOUTS } from '../extract/templates.ts';
import { isVietnameseSyllable } from '../text/legacy-encodings.ts';

/**
 * The printed labels of the forms (src/extract/templates.ts) Tesseract misreads beside typed values: on a line
 * where a typed value stands taller than the printed label, the label's syllables come out glued and its colon
 * as a letter ("Quốctịchh:", "Dântộcc", "Nơicưtrúc", "Đãchếtvàolúcc:."), a letter lost or doubled on the way
 * ("Họovàtênngườichế:"), a comma of the label lost ("Ngày, tháng năm sinh:"). A label is printed text the
 * pipeline knows: such a reading is given back as the label is printed.
 */

/** A label of two words or more with at least this many letters (shorter ones are too easily another word). */
const MIN_LETTERS = 6;
/** Letters that may differ from the label's (edit distance): one per this many of the label's letters. */
const LETTERS_PER_EDIT = 6;

interface Label {
  text: string;
  words: string[];
  letters: string[];
}

const lettersOf = (text: string): string[] => [...text.normalize('NFC').toLowerCase()].filter((c) => /\p{L}/u.test(c));

const LABELS: readonly Label[] = [
  ...new Set(Object.values(LAYOUTS).flatMap((byEra) => Object.values(byEra)).flatMap((layout) => (layout.kind === 'form' ? layout.slots.map(([label]) => label.normalize('NFC')) : []))),
]
  .map((text) => ({ text, words: text.split(/\s+/u), letters: lettersOf(text) }))
  .filter((label) => label.words.length >= 2 && label.letters.length >= MIN_LETTERS && label.text.endsWith(':'))
  .sort((a, b) => b.letters.length - a.letters.length);

/**
 * What may follow the label's letters in the last word read: its colon, or the colon read as one small letter
 * (`COLON_AS_LETTER`), with colons and full stops around. Nothing, a comma or a value glued on is no label's end:
 * "Dân tộc, Quốc tịch" is a table's heading.
 */
const LABEL_END = /^(?=.*[:;\p{Ll}])[:;.]*\p{Ll}?[:;.›‹»«"'“”‘’=]*$/u;
const COLON_AS_LETTER = /\p{Ll}/u;
/** The colon read as a full stop ("Nơi cư trú. Tổ 22"): taken only on the label's words read right, the first a capital as printed. */
const COLON_AS_STOP = /^\.$/u;

/**
 * Where a run of a line's words, from `start`, is a form's label, read right or misread: the label and how many words it takes.
 * The run's letters must be the label's within `LETTERS_PER_EDIT`, the label's letters ending in the run's last
 * word, its first two letters the label's, and what follows them there must be `LABEL_END`; a run already read as the
 * label is the label (given as it is, so that no shorter label inside it is looked for).
 * Of several labels the closest wins, then the longest ("Nơi cư trú cuối cùng:" over "Nơi cư trú:").
 *
 * @example
 * labelAt(['Quốctịchh:', 'Việt', 'Nam'], 0); // { label: 'Quốc tịch:', words: 1 }
 * labelAt(['Dân', 'tộc,', 'Quốc', 'tịch'], 0); // null
 * labelAt(['Dân', 'tộc:', 'Kinh'], 0); // { label: 'Dân tộc:', words: 2 } (read right)
 */
export function labelAt(texts: readonly string[], start: number): { label: string; words: number } | null {
  let best: { label: string; words: number; distance: number; length: number } | null = null;
  for (const label of LABELS) {
    const allowed = Math.floor(label.letters.length / LETTERS_PER_EDIT);
    for (let count = 1; count <= label.words.length && start + count <= texts.length; count++) {
      const run = texts.slice(start, start + count);
      // a figure is no part of a label: a value glued before or after it ("10/12/1948Dântộc:") stays a value
      if (run.some((text) => /\p{N}/u.test(text))) break;
      const before = run.slice(0, -1).flatMap(lettersOf).length;
      const last = [...run.at(-1)!.normalize('NFC')];
      const letters = [...run.slice(0, -1).flatMap(lettersOf), ...lettersOf(run.at(-1)!)];
      // All the label's words read as one ("Hgvàtênchồng:", "Họovàtên"): the words glued are the label's, so its
      // second letter may be misread and its colon lost, when a value follows on the line.
      const glued = count === 1 && label.words.length >= 2 && letters.length >= label.letters.length - allowed;
      // the label's start read right: a run from its second word on ("và tên chồng:") is not the label
      if (letters.length - before === 0 || letters[0] !== label.letters[0] || (letters[1] !== label.letters[1] && !glued)) continue;
      const distances = prefixDistances(label.letters, letters);
      for (let used = before + 1; used <= letters.length; used++) {
        const distance = distances[used]!;
        if (distance > allowed || (best && (distance > best.distance || (distance === best.distance && label.letters.length <= best.length)))) continue;
        // the characters of the last word after its `used - before`-th letter
        let seen = 0;
        let cut = 0;
        while (cut < last.length && seen < used - before) if (/\p{L}/u.test(last[cut++]!)) seen++;
        const end = last.slice(cut).join('');
        // a letter taken for the colon only after the label's last letter read right: else it is that letter ("tịch")
        const lastRight = letters[used - 1] === label.letters.at(-1);
        const ends =
          (LABEL_END.test(end) && (!COLON_AS_LETTER.test(end) || distance === 0 || lastRight)) ||
          (end === '' && glued && lastRight && start + count < texts.length) ||
          (COLON_AS_STOP.test(end) && distance === 0 && count === label.words.length && start + count < texts.length && /^\p{Lu}/u.test(run[0]!));
        if (!ends) continue;
        // read right: its words are the label's, and no shorter label within it is looked for
        if (run.join(' ').normalize('NFC') === label.text) return { label: label.text, words: count };
        best = { label: label.text, words: count, distance, length: label.letters.length };
      }
    }
  }
  return best && { label: best.label, words: best.words };
}

/** Edit distance of the whole `label` against each prefix of `read` (index: the prefix's length). */
function prefixDistances(label: readonly string[], read: readonly string[]): number[] {
  let row = read.map((_, j) => j).concat(read.length);
  for (let i = 1; i <= label.length; i++) {
    const next = [i];
    for (let j = 1; j <= read.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (label[i - 1] === read[j - 1] ? 0 : 1));
    row = next;
  }
  return row;
}

/**
 * A line's words with every misread form label (`labelAt`) given back as printed: the run's words become the
 * label's, each with its share of the run's box by characters, the run's lowest confidence and its place in the label
 * (`piece`, as `splitGluedSyllables` gives), marked `changed`.
 *
 * @example
 * printedLabels([{ text: 'Dântộcc', confidence: 0.8, box: [0, 0, 70, 20] }, { text: 'Kinh', confidence: 0.9, box: [80, 0, 40, 20] }]);
 * // [{ text: 'Dân', … }, { text: 'tộc:', … }, { text: 'Kinh', … }]
 */
export function printedLabels<W extends { text: string; confidence: number; box: [number, number, number, number] }>(words: readonly W[]): Array<W & { changed?: boolean; piece?: number }> {
  const out: Array<W & { changed?: boolean; piece?: number }> = [];
  const texts = words.map((word) => word.text);
  for (let i = 0; i < words.length; ) {
    // the entry's number label "Số:" begins its line, printed with a capital; read "số:" beside a figure
    if (i === 0 && texts[0] === 'số:' && /^\p{N}/u.test(texts[1] ?? '')) {
      out.push(...asPrinted(words.slice(0, 1), 'Số:'));
      i = 1;
      continue;
    }
    const found = labelAt(texts, i);
    if (!found || found.label === texts.slice(i, i + found.words).join(' ').normalize('NFC') || anotherWordRead(texts.slice(i, i + found.words), found.label)) {
      out.push(...words.slice(i, (i += found?.words ?? 1)));
      continue;
    }
    out.push(...asPrinted(words.slice(i, i + found.words), found.label));
    i += found.words;
  }
  return out;
}

/**
 * Whether the run was read word for word as the label has them, one of its words a whole Vietnamese word other than
 * the label's: another label, not a misreading of this one ("Họ, chữ đệm, tên người vợ:" is not "… người mẹ:", a
 * label the templates may lack on a form they do not know), whose words decide which field the value beside it is.
 */
function anotherWordRead(run: readonly string[], label: string): boolean {
  const words = label.split(' ');
  const bare = (word: string) => word.normalize('NFC').replace(/[^\p{L}\p{N}]/gu, '').toLocaleLowerCase('vi');
  // a word that differs from the label's in its marks alone is the label's misread ("Quyến số:" for "Quyển số:")
  const letters = (word: string) => bare(word).normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd');
  return run.length === words.length && run.some((word, k) => bare(word) !== bare(words[k]!) && letters(word) !== letters(words[k]!) && isVietnameseSyllable(bare(word)));
}

/** `run`'s words become `text`'s, each with its share of the run's box by characters and the run's lowest confidence. */
function asPrinted<W extends { text: string; confidence: number; box: [number, number, number, number] }>(run: readonly W[], text: string): Array<W & { changed: boolean; piece: number }> {
  const left = Math.min(...run.map((w) => w.box[0]));
  const top = Math.min(...run.map((w) => w.box[1]));
  const right = Math.max(...run.map((w) => w.box[0] + w.box[2]));
  const bottom = Math.max(...run.map((w) => w.box[1] + w.box[3]));
  const pieces = text.split(' ');
  const total = pieces.reduce((sum, p) => sum + [...p].length, 0);
  let at = 0;
  return pieces.map((piece, k) => {
    const from = left + Math.round(((right - left) * at) / total);
    at += [...piece].length;
    const to = left + Math.round(((right - left) * at) / total);
    // one reading with one confidence: counted once (`OcrWord.piece`)
    return { ...run[0]!, text: piece, box: [from, top, to - from, bottom - top], confidence: Math.min(...run.map((w) => w.confidence)), changed: true, piece: k };
  });
}

/**
 * The registers' titles, printed in capitals at the top of every page (DOMAIN.md's register types). Tesseract
 * reads the capital Ổ of "SỔ" as Ố ("SỐ ĐĂNG KÝ KẾT HỒN"); "Số" (a number) is never written so in capitals there.
 */
const TITLES: readonly { text: string; letters: string[] }[] = [
  'SỔ ĐĂNG KÝ KHAI SINH', 'SỔ ĐĂNG KÝ KẾT HÔN', 'SỔ ĐĂNG KÝ KHAI TỬ', 'SỔ ĐĂNG KÝ NHẬN CHA, MẸ, CON', 'SỔ ĐĂNG KÝ GIÁM HỘ',
  'SỔ ĐĂNG KÝ THAY ĐỔI, CẢI CHÍNH HỘ TỊCH',
].map((text) => ({ text, letters: lettersOf(text) }));

/**
 * A line read in capitals that is a register's title within one letter in six (`LETTERS_PER_EDIT`) is given back as
 * printed; any other line is returned as it is.
 *
 * @example
 * printedTitle(words('SỐ', 'ĐĂNG', 'KÝ', 'KẾT', 'HỒN')).map((w) => w.text); // ['SỔ', 'ĐĂNG', 'KÝ', 'KẾT', 'HÔN']
 */
export function printedTitle<W extends { text: string; confidence: number; box: [number, number, number, number] }>(words: readonly W[]): Array<W & { changed?: boolean; piece?: number }> {
  const text = words.map((w) => w.text).join(' ');
  // a line with a figure (a year beside the title) is more than the title
  if (words.length < 3 || text !== text.toUpperCase() || !/\p{L}/u.test(text) || /\p{N}/u.test(text)) return [...words];
  const letters = words.flatMap((w) => lettersOf(w.text));
  for (const title of TITLES) {
    if (text === title.text) return [...words];
    if (prefixDistances(title.letters, letters)[letters.length]! <= Math.floor(title.letters.length / LETTERS_PER_EDIT)) return asPrinted(words, title.text);
  }
  return [...words];
}
