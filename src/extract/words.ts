/** OCR words as the extractors use them: split at label colons, grouped into lines, boxes unioned. */
import type { OcrWord, PixelBox } from '../ocr/types.ts';

export type { OcrWord, PixelBox };

/**
 * What OCR reads a printed label's colon as on faded or hand-filled forms: the colon itself, or a
 * quote or semicolon. Never part of a Vietnamese word, so such a mark inside a word ends a label.
 */
export const COLON_LOOKALIKES = ":;'’”“\"";
const GLUED_LABEL_END = new RegExp(`[${COLON_LOOKALIKES}](?=[^${COLON_LOOKALIKES}])`, 'u');

/**
 * OCR often glues a label's colon (or what it made of it) to the value ("tên:..Nguyễn", "sinh'Bệnh");
 * split such words after the mark so the label and the value are separate words (the box is divided
 * in proportion to the characters).
 */
export function splitAtColons(words: readonly OcrWord[]): OcrWord[] {
  const out: OcrWord[] = [];
  for (const word of words) {
    const at = word.text.search(GLUED_LABEL_END);
    if (at < 0) {
      out.push(word);
      continue;
    }
    const [x, y, w, h] = word.box;
    const cut = Math.round((w * (at + 1)) / word.text.length);
    out.push({ ...word, text: word.text.slice(0, at + 1), box: [x, y, cut, h] });
    out.push({ ...word, text: word.text.slice(at + 1), box: [x + cut, y, w - cut, h] });
  }
  return out;
}

/** Words grouped by their OCR line, in reading order, each line sorted left to right. */
export function wordLines(words: readonly OcrWord[]): OcrWord[][] {
  const lines = new Map<number, OcrWord[]>();
  for (const word of words) {
    const line = lines.get(word.line) ?? [];
    line.push(word);
    lines.set(word.line, line);
  }
  return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, line]) => line.sort((a, b) => a.box[0] - b.box[0]));
}

export function unionBox(boxes: readonly PixelBox[]): PixelBox | null {
  if (boxes.length === 0) return null;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y, w, h] of boxes) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + w);
    y1 = Math.max(y1, y + h);
  }
  return [x0, y0, x1 - x0, y1 - y0];
}

/** What was read for one item of an entry: its words in reading order. */
export interface ReadItem {
  item: string;
  words: OcrWord[];
  /** Where the value should be when no word was read (a table cell), so a person sees the right crop. */
  cell?: PixelBox;
}
export const itemText = (read: ReadItem): string => read.words.map((w) => w.text).join(' ');

/** An entry as a layout extractor found it, before parsing. */
export interface FoundEntry {
  items: Map<string, ReadItem>;
  region: PixelBox | null;
  /**
   * The top of the page holds no entry start (no number, no heading), only the last rows of an entry
   * begun at the foot of the previous page: its items belong to that entry.
   */
  continuation?: boolean;
}
