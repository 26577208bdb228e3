/**
 * Entries of a pre-printed or computer-printed form page (1999–): finds the printed labels among the
 * OCR words and takes the words after each label, up to the next label, as its item's value. Labels
 * are matched without diacritics and with a small edit distance, so damaged print still anchors.
 *
 * A cursor walks the layout's slots in order, so a label that occurs more than once ("Dân tộc:" of
 * the child, the mother and the father) means the next such slot. A label from the head of the
 * layout when the cursor is past it starts the next entry, even when OCR lost the entry number line; so
 * does the entry's name label, met again past it, when OCR lost both the number and book lines.
 */
import levenshtein from 'fast-levenshtein';
import type { FormLayout } from './templates.ts';
import { foldDiacritics } from '../text/normalise.ts';
import { COLON_LOOKALIKES, splitAtColons, unionBox, wordLines, type FoundEntry, type OcrWord, type PixelBox, type ReadItem } from './words.ts';

interface PreparedSlot {
  index: number;
  item: string | null;
  key: string;
  label: string;
  /** The label's first word: a span must start with it, so a value's last word is not eaten by the next label. */
  firstKey: string;
  words: number;
  /**
   * Printed labels end with a colon, and OCR keeps it on print: a short label counts only with it, so
   * "Nam Định" in a value is not taken for "Năm sinh:" and "Số 65 phố…" not for "Số:".
   */
  needsColon: boolean;
}

const keyOf = (text: string) => foldDiacritics(text).replace(/[^a-z0-9]/g, '');
/** Slots at the start of a layout ("Số:", "Quyển số:") that begin a new entry when found again. */
const ENTRY_HEAD_SLOTS = 2;
/** Labels at least this long (letters and digits) are distinctive enough to match without their colon. */
const LONG_LABEL = 14;

function prepare(layout: FormLayout): PreparedSlot[] {
  return layout.slots.map(([label, item], index) => {
    const key = keyOf(label);
    return { index, item, key, label, firstKey: keyOf(label.split(/\s+/)[0]!), words: label.split(/\s+/).length, needsColon: label.endsWith(':') && key.length < LONG_LABEL };
  });
}

/** A label at least this long (letters and digits) anchors even with its short first word misread, given its colon. */
const MISREAD_FIRST_LABEL = 8;

/** Whether the span's words are the label's words, in any order (three words or more). */
function sameWords(texts: readonly string[], slot: PreparedSlot): boolean {
  if (texts.length !== slot.words || slot.words < 3) return false;
  const sorted = (keys: string[]) => keys.sort().join(' ');
  return sorted(texts.map(keyOf)) === sorted(slot.label.split(/\s+/).map(keyOf));
}

/** One small letter glued before a capital: a dot or tick before a printed label read as a letter ("pDântộc"). */
const STRAY_LETTER = /^\p{Ll}(?=\p{Lu}\p{Ll})/u;

const ENDS_WITH_COLON = new RegExp(`[${COLON_LOOKALIKES}][.]*$`, 'u');

/**
 * Whether a span ends the way a printed label does: with its colon, or what OCR made of it (a quote;
 * a full stop only after a label of three words or more, where a value's words cannot pass for it),
 * or as one word of several glued together ("Giớitính"), which a value's words never are.
 */
function endsLikeLabel(span: readonly OcrWord[], slot: PreparedSlot): boolean {
  const last = span.at(-1)!.text;
  if (ENDS_WITH_COLON.test(last)) return true;
  if (slot.words >= 3 && last.endsWith('.')) return true;
  return span.length === 1 && slot.words >= 2;
}

function tolerance(key: string): number {
  return key.length <= 4 ? 0 : key.length <= 8 ? 1 : Math.floor(key.length * 0.15);
}

/**
 * The slot a label at `words[at]` matches, over its closest span of words; null if none. Of several
 * slots the closest wins, then the longest: "Họ, chữ đệm, tên người mẹ: Hà" is the mother's label
 * exactly, not the father's two edits away with the value's first word taken in. `next`: the slot the form
 * prints after the last label read (-1 when not reading in order).
 */
function matchLabel(words: readonly OcrWord[], at: number, slots: readonly PreparedSlot[], allowed: (slot: PreparedSlot) => boolean, next: number): { slot: PreparedSlot; length: number } | null {
  let best: { slot: PreparedSlot; length: number; distance: number } | null = null;
  for (const slot of slots) {
    if (!allowed(slot)) continue;
    // compared over the label word's length: OCR may glue the next word on ("Nơt-cư" for "Nơi cư"), or a mark
    // before it read as a small letter ("pDân tộc": printed labels start with a capital, no word has one inside)
    const first = keyOf(words[at]!.text.replace(STRAY_LETTER, '')).slice(0, slot.firstKey.length);
    const firstOff = levenshtein.get(first, slot.firstKey);
    // a short first word may be misread too ("Hgvàtênvợ:", "Hạ và tên vợ:" for "Họ và tên vợ:") when the rest of a
    // long label and its colon are there: then the span must end with the colon
    const firstMisread = firstOff > Math.min(1, Math.floor(slot.firstKey.length / 3));
    if (firstMisread && (firstOff > 1 || slot.key.length < MISREAD_FIRST_LABEL)) continue;
    // the OCR may merge or split words of a label: try spans from one word (all glued) to one word more than the label has
    let closest: { length: number; distance: number } | null = null;
    for (let n = 1; n <= slot.words + 1 && at + n <= words.length; n++) {
      const span = words.slice(at, at + n);
      // a colon ends a label: a span running on past one has taken in the value
      if (span.slice(0, -1).some((w) => ENDS_WITH_COLON.test(w.text))) break;
      const texts = span.map((w, k) => (k === 0 ? w.text.replace(STRAY_LETTER, '') : w.text));
      const key = keyOf(texts.join(' '));
      if (firstMisread && !ENDS_WITH_COLON.test(span.at(-1)!.text)) continue;
      // OCR may give a label's words out of order ("Nơi cư cuối trú cùng:"): with its colon, the same words count as exact
      let distance = ENDS_WITH_COLON.test(span.at(-1)!.text) && sameWords(texts, slot) ? 0 : levenshtein.get(key, slot.key);
      if (slot.needsColon && !endsLikeLabel(span, slot)) {
        // the colon read as a letter glued on ("Dân tộcc", "Nơi cư trún"), or lost beside a typed value: a
        // label of three words or more read exactly still counts. Printed labels start with a capital; a
        // value that holds a label's words ("Cải chính họ, chữ đệm, tên") has them in small letters.
        if (!/^\p{Lu}/u.test(texts[0]!)) continue;
        // (not a short label: "Sơn" would be "Số:"). The letter is the label's one misreading: the rest must
        // be exact, or a value's words pass for a label ("Quận Hai" for "Quan hệ" with its colon read as "i",
        // which cut "…, Phường Quỳnh Lôi, | Quận Hai Bà Trưng, Thành phố Hà Nội" after the ward)
        const colonAsLetter = slot.key.length >= 6 && key.length === slot.key.length + 1 && /\p{Ll}$/u.test(span.at(-1)!.text) && key.slice(0, -1) === slot.key;
        // The label the form prints next, read exactly word for word, its colon lost beside a typed value ("Lê Minh
        // Dung Năm sinh 1973", "Lê Văn Quang Quan hệ Cha"), also counts; only the next one: "Năm sinh" anywhere else
        // in a value is that value's words.
        const nextLabel = distance === 0 && slot.index === next && slot.index > ENTRY_HEAD_SLOTS && n === slot.words;
        if (colonAsLetter) distance = 0;
        // (not when a colon follows within a few words: "Họ và tên" of "Họ và tên người đi khai sinh:" begins a longer label;
        // nor when the next word is the next one of a longer label: "Họ, chữ đệm, tên người" is the mother's or the
        // father's label whose last word and colon a stroke or a stain took, not a new entry's name)
        else if (!nextLabel && !(distance === 0 && slot.words >= 3 && !words.slice(at + n, at + n + 4).some((w) => ENDS_WITH_COLON.test(w.text)) && !beginsLongerLabel(slot, words[at + n], slots))) continue;
      }
      if (distance <= tolerance(slot.key) && (!closest || distance < closest.distance)) closest = { length: n, distance };
    }
    if (closest && (!best || closest.distance < best.distance || (closest.distance === best.distance && slot.key.length > best.slot.key.length))) {
      best = { slot, ...closest };
    }
  }
  return best && { slot: best.slot, length: best.length };
}

/**
 * Whether `next` (the word after `slot`'s label) is the next word of a longer label that begins with that label: the
 * whole word ("người" of "…tên người mẹ"), not its first letters, which a name may share ("Ngư").
 */
function beginsLongerLabel(slot: PreparedSlot, next: OcrWord | undefined, slots: readonly PreparedSlot[]): boolean {
  const word = next && keyOf(next.text);
  return !!word && slots.some((s) => {
    if (s.key.length <= slot.key.length || !s.key.startsWith(slot.key)) return false;
    const rest = s.label.split(/\s+/).map(keyOf).filter(Boolean);
    // the longer label's words after the ones whose letters make up `slot`'s key
    let covered = 0;
    while (covered < slot.key.length && rest.length > 0) covered += rest.shift()!.length;
    return covered === slot.key.length && rest[0] === word;
  });
}

/**
 * A label's last word with its colon read as a dash, glued to the value's first word ("cha-Nguyễn" for "cha:
 * Nguyễn", where a stroke crossed it): cut into the label's word with a colon and the value's word, as
 * splitAtColons does for a colon. Only at a label's end: the last word of a label of three words or more, after the
 * label's word before it ("người cha-Nguyễn"), before a capital. A value's own dashed words stay as read ("Nhà hộ
 * sinh-Quận Long Biên": "sinh" ends "năm sinh:" and "khai sinh:", not after "hộ").
 */
function splitDashedLabelEnds(words: readonly OcrWord[], slots: readonly PreparedSlot[]): OcrWord[] {
  const ends = new Set(slots.filter((s) => s.words >= 3).map((s) => s.label.split(/\s+/).slice(-2).map(keyOf).join(' ')));
  return words.flatMap((word, i) => {
    const m = /^(\p{Ll}+)-(\p{Lu}.*)$/u.exec(word.text);
    if (!m || i === 0 || !ends.has(`${keyOf(words[i - 1]!.text)} ${keyOf(m[1]!)}`)) return [word];
    const [x, y, w, h] = word.box;
    const cut = Math.round((w * (m[1]!.length + 1)) / word.text.length);
    return [{ ...word, text: `${m[1]}:`, box: [x, y, cut, h] }, { ...word, text: m[2]!, box: [x + cut, y, w - cut, h] }];
  });
}

/** The printed page number ("Trang 103") at the foot of a form page: not a value's continuation. */
const PAGE_NUMBER = /^trang (\d{1,4})$/;
const isPageNumber = (line: readonly OcrWord[]) => PAGE_NUMBER.test(foldDiacritics(line.map((w) => w.text).join(' ')));

/**
 * A page heading ("UBND PHƯỜNG MINH KHAI", "SỐ ĐĂNG KÝ KHAI TỬ - NĂM 2017"): three words or more, all in
 * capitals. Values are not written so; a heading after the last entry of a page (the next page of a
 * spread, stacked below it) must not run on into that entry's notes.
 */
function isHeading(line: readonly OcrWord[]): boolean {
  const words = line.map((w) => w.text).filter((t) => /\p{L}{2}/u.test(t));
  return words.length >= 3 && words.every((t) => t === t.toUpperCase());
}

/**
 * The page numbers printed on the page image, from its lines reading "Trang N": usually one; two when
 * the image shows two facing pages that cleanup did not split.
 */
export function printedPageNumbers(words: readonly OcrWord[]): { first: number; last: number } | null {
  const numbers = wordLines(words).flatMap((line) => {
    const m = PAGE_NUMBER.exec(foldDiacritics(line.map((w) => w.text).join(' ')));
    return m ? [Number(m[1])] : [];
  });
  return numbers.length ? { first: Math.min(...numbers), last: Math.max(...numbers) } : null;
}

/**
 * A page's entries. When the page begins with labels from past an entry's name (its number and name rows
 * were written at the foot of the previous page), that top part is returned first, marked `continuation`,
 * its labels read as the end of the layout: "Dân tộc:" there is the mother's or father's, not the child's.
 */
export function extractFormEntries(words: readonly OcrWord[], layout: FormLayout): FoundEntry[] {
  const slots = prepare(layout);
  const found = readForm(words, slots, 0);
  const first = found[0];
  if (!first || first.firstSlot <= ENTRY_HEAD_SLOTS) return found.map(({ entry }) => entry);
  // the continuation's labels are the layout's last ones: start at the last slot with its first label
  // that leaves room for all the labels read (a lost label moves the start later, never before the entry's name)
  const start = slots.findLastIndex((s) => s.key === slots[first.firstSlot]!.key && s.index <= slots.length - first.labels);
  const again = readForm(words, slots, Math.max(start, ENTRY_HEAD_SLOTS + 1));
  return again.map(({ entry }, i) => (i === 0 ? { ...entry, continuation: true } : entry));
}

/**
 * The layout slot of every printed label found on the page, in reading order, with no cursor: how many
 * entry blocks the page's labels show, whatever extraction made of them (src/extract/unread.ts). A label
 * printed twice in the layout ("Dân tộc:") is given its first slot.
 */
export function labelsOnPage(words: readonly OcrWord[], layout: FormLayout): number[] {
  const slots = prepare(layout);
  const found: number[] = [];
  for (const line of formLines(words, slots)) {
    for (let i = 0; i < line.length; ) {
      const match = matchLabel(line, i, slots, () => true, -1);
      if (match) found.push(match.slot.index);
      i += match ? match.length : 1;
    }
  }
  return found;
}

/**
 * The page's form lines: OCR's lines, with a line that sits at the height of an earlier one, beside it, made
 * part of it. Tesseract puts a printed label in the middle of a line ("ngày" between a typed time and a typed
 * date, each riding above the label's baseline) in a block of its own, which it reads after the whole
 * column: the time then ran on into the date and the label went to the notes at the end of the entry.
 */
function formLines(words: readonly OcrWord[], slots: readonly PreparedSlot[]): OcrWord[][] {
  const merged: { line: OcrWord[]; top: number; bottom: number }[] = [];
  for (const line of wordLines(splitDashedLabelEnds(splitAtColons(words), slots))) {
    const top = Math.min(...line.map((w) => w.box[1]));
    const bottom = Math.max(...line.map((w) => w.box[1] + w.box[3]));
    const beside = merged.find((m) => {
      const overlap = Math.min(bottom, m.bottom) - Math.max(top, m.top);
      const side = line.every((w) => m.line.every((o) => w.box[0] >= o.box[0] + o.box[2] || w.box[0] + w.box[2] <= o.box[0]));
      return side && overlap >= SAME_LINE * Math.min(bottom - top, m.bottom - m.top);
    });
    if (beside) {
      beside.line = [...beside.line, ...line].sort((a, b) => a.box[0] - b.box[0]);
      beside.top = Math.min(beside.top, top);
      beside.bottom = Math.max(beside.bottom, bottom);
    } else merged.push({ line, top, bottom });
  }
  return merged.map((m) => m.line);
}

/** Two lines whose heights overlap by this share of the lower one's are one line of the form. */
const SAME_LINE = 0.6;

/** Reads entries with the slot cursor starting at `startAt`; per entry, the first slot it opened and how many labels it had. */
function readForm(words: readonly OcrWord[], slots: readonly PreparedSlot[], startAt: number): { entry: FoundEntry; firstSlot: number; labels: number }[] {
  const entries: { entry: FoundEntry; firstSlot: number; labels: number }[] = [];
  /** Boxes of every word of each entry's lines, labels included: the entry's region. */
  const inked: PixelBox[][] = [];
  let current: FoundEntry | null = null;
  let cursor = startAt;
  let lastLineItems: { x: number; read: ReadItem }[] = [];

  const open = (slot: PreparedSlot, x: number): ReadItem | null => {
    if (slot.index < cursor && slot.index <= ENTRY_HEAD_SLOTS) current = null;
    if (!current) {
      current = { items: new Map(), region: null };
      entries.push({ entry: current, firstSlot: slot.index, labels: 0 });
      inked.push([]);
    }
    entries.at(-1)!.labels++;
    cursor = slot.index + 1;
    if (!slot.item) return null;
    const read: ReadItem = { item: slot.item, words: [] };
    current.items.set(slot.item, read);
    lastLineItems.push({ x, read });
    return read;
  };

  for (const line of formLines(words, slots)) {
    if (isPageNumber(line)) continue;
    if (isHeading(line)) {
      lastLineItems = [];
      continue;
    }
    let target: ReadItem | null = null;
    let labelled = false;
    const previousLine = lastLineItems;
    for (let i = 0; i < line.length; ) {
      const match = matchLabel(line, i, slots, (slot) => slot.index >= cursor || (slot.index <= ENTRY_HEAD_SLOTS && cursor > slot.index + 1), cursor);
      if (match) {
        if (!labelled) lastLineItems = [];
        labelled = true;
        target = open(match.slot, line[i]!.box[0]);
        i += match.length;
        continue;
      }
      if (!labelled && !target) {
        // a line without a label first continues the value above it that starts left of it
        const x = line[i]!.box[0];
        target = [...previousLine].reverse().find((c) => c.x <= x + 40)?.read ?? previousLine.at(-1)?.read ?? null;
      }
      target?.words.push(line[i]!);
      i++;
    }
    inked.at(-1)?.push(...line.map((w) => w.box));
  }
  entries.forEach(({ entry }, i) => (entry.region = unionBox(inked[i]!)));
  return entries;
}
