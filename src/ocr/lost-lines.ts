/**
 * Lines Tesseract's layout analysis left out of a whole-page reading. On typed forms it now and then drops a
 * whole line of clear type that it reads at once when given that line alone: on seed 3346 "Nơi cư trú cuối cùng:
 * Số 47 ngõ 97 Hàng Gai, P. Hàng Gai, Q. Hoàn" (b19 p. 2, 65 graphemes) and "Số CMND: 011437402" (b20 p. 2).
 * After the page is read, the letters of the page that no word's box covers are looked for; where they make a
 * line (`unreadBands`), that band is read again alone, the words already read painted out of it, and its words
 * are added to the page's reading (`readLostLines`).
 */
import sharp from 'sharp';
import type { GreyImage } from '../imaging/analysis.ts';
import { forEachComponent } from '../imaging/components.ts';
import type { OcrPool, OcrResult } from './pool.ts';
import { meanWordConfidence, type PixelBox } from './words.ts';

/** A letter of type: its height (mm, with its marks) and width within these, and at least this much ink (mm²). */
const LETTER_HEIGHT_MM = [1.2, 7] as const;
const LETTER_WIDTH_MM = [0.3, 7] as const;
const LETTER_AREA_MM2 = 0.1;
/** A line left unread has at least this many letters over at least this length (mm): not a lost full stop or mark. */
const MIN_LETTERS = 5;
const MIN_LENGTH_MM = 12;
/** A word's box is taken this much (mm) wider on every side as read: the soft edges of its letters. */
const WORD_MARGIN_MM = 0.5;
/** The band read again reaches this far (mm) beyond its letters. */
const BAND_MARGIN_MM = 1.5;
/** At most this many bands are read again on a page (a page Tesseract read badly everywhere is not read twice). */
const MAX_BANDS = 6;
/** Ink darker than this is writing (the clean page's paper is near white). */
const INK_BELOW = 128;
/** Words read again less sure than this are dropped (a speck or a rule's edge read as a letter). */
const MIN_CONFIDENCE = 0.5;

/**
 * The bands of the page (`[x, y, width, height]`) holding a line of letters that no word of `words` covers:
 * ink pieces of a letter's size outside every word's box (`WORD_MARGIN_MM` wider), grouped by the rows they
 * span, a band kept when it holds `MIN_LETTERS` letters over `MIN_LENGTH_MM`.
 *
 * @example
 * unreadBands(page, read.words.map((w) => w.box), 300); // [[200, 680, 1900, 80]] where a line was left out
 */
export function unreadBands(page: GreyImage, covered: readonly PixelBox[], dpi: number): PixelBox[] {
  const { data, width, height } = page;
  const mm = dpi / 25.4;
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) if (data[i]! < INK_BELOW) mask[i] = 1;
  const margin = Math.round(WORD_MARGIN_MM * mm);
  for (const [x, y, w, h] of covered) {
    for (let yy = Math.max(0, y - margin); yy < Math.min(height, y + h + margin); yy++) mask.fill(0, yy * width + Math.max(0, x - margin), yy * width + Math.min(width, x + w + margin));
  }
  const letters: { left: number; right: number; top: number; bottom: number }[] = [];
  forEachComponent(mask, width, height, (pixels, box) => {
    const [w, h] = [box.right - box.left + 1, box.bottom - box.top + 1];
    if (h < LETTER_HEIGHT_MM[0] * mm || h > LETTER_HEIGHT_MM[1] * mm || w < LETTER_WIDTH_MM[0] * mm || w > LETTER_WIDTH_MM[1] * mm) return;
    if (pixels.length < LETTER_AREA_MM2 * mm * mm) return;
    letters.push({ ...box });
  });
  // rows spanned by letters; a run of such rows is a band
  const rows = new Uint16Array(height);
  for (const l of letters) for (let y = l.top; y <= l.bottom; y++) rows[y]!++;
  const bands: PixelBox[] = [];
  const pad = Math.round(BAND_MARGIN_MM * mm);
  for (let y = 0; y < height; ) {
    if (!rows[y]) {
      y++;
      continue;
    }
    let end = y;
    while (end + 1 < height && rows[end + 1]) end++;
    const own = letters.filter((l) => (l.top + l.bottom) / 2 >= y && (l.top + l.bottom) / 2 <= end);
    const [left, right] = [Math.min(...own.map((l) => l.left)), Math.max(...own.map((l) => l.right))];
    if (own.length >= MIN_LETTERS && right - left >= MIN_LENGTH_MM * mm) {
      const [x0, y0] = [Math.max(0, left - pad), Math.max(0, y - pad)];
      bands.push([x0, y0, Math.min(width, right + pad + 1) - x0, Math.min(height, end + pad + 1) - y0]);
    }
    y = end + 1;
  }
  return bands;
}

/**
 * `read` (a whole-page reading of `image`, a clean page PNG) with the lines it left out read again
 * (`unreadBands`): each band alone, the words already read painted white in it, its words of at least
 * `MIN_CONFIDENCE` placed back on the page as lines of their own, in reading order by their top. `ms` adds the
 * time of the readings made. A page with nothing left unread is returned as it was.
 */
export async function readLostLines(pool: OcrPool, image: Buffer, read: OcrResult): Promise<OcrResult> {
  const decoded = sharp(image);
  const { density } = await decoded.metadata();
  const dpi = density ?? 300;
  const raw = await decoded.greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const page: GreyImage = { data: new Uint8Array(raw.data), width: raw.info.width, height: raw.info.height };
  const covered = read.words.map((word) => word.box);
  const bands = unreadBands(page, covered, dpi).slice(0, MAX_BANDS);
  if (bands.length === 0) return read;
  const margin = Math.round(WORD_MARGIN_MM * (dpi / 25.4));
  const added: { words: OcrResult['words']; digits: OcrResult['digits']; line: OcrResult['lines'][number] }[] = [];
  let ms = 0;
  for (const [bx, by, bw, bh] of bands) {
    const strip = Buffer.alloc(bw * bh);
    for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) strip[y * bw + x] = page.data[(by + y) * page.width + bx + x]!;
    // the words already read are painted out: the band is read for what was left, not twice
    for (const [x, y, w, h] of covered) {
      for (let yy = Math.max(by, y - margin); yy < Math.min(by + bh, y + h + margin); yy++) {
        for (let xx = Math.max(bx, x - margin); xx < Math.min(bx + bw, x + w + margin); xx++) strip[(yy - by) * bw + xx - bx] = 255;
      }
    }
    const png = await sharp(strip, { raw: { width: bw, height: bh, channels: 1 } }).withDensity(dpi).toColourspace('b-w').png({ compressionLevel: 1 }).toBuffer();
    const again = await pool.recognize(png);
    ms += again.ms;
    again.lines.forEach((line, l) => {
      const kept = again.words.map((word, w) => ({ word, w })).filter(({ word }) => word.line === l && word.confidence >= MIN_CONFIDENCE);
      if (kept.length === 0) return;
      const shift = (box: PixelBox): PixelBox => [box[0] + bx, box[1] + by, box[2], box[3]];
      const words = kept.map(({ word }) => ({ ...word, box: shift(word.box) }));
      const digits = kept.flatMap(({ w }, k) => again.digits.filter((d) => d.word === w).map((d) => ({ ...d, word: k, box: shift(d.box) })));
      const boxes = words.map((w) => w.box);
      const [left, top] = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1]))];
      const [right, bottom] = [Math.max(...boxes.map((b) => b[0] + b[2])), Math.max(...boxes.map((b) => b[1] + b[3]))];
      added.push({ words, digits, line: { text: words.map((w) => w.text).join(' '), confidence: meanWordConfidence(words), box: [left, top, right - left, bottom - top] } });
    });
  }
  if (added.length === 0) return { ...read, ms: read.ms + ms };
  // every line, old and new, in reading order: a new line goes before the first old line lower on the page
  type Entry = { line: OcrResult['lines'][number]; words: OcrResult['words']; digits: OcrResult['digits'] };
  const entries: Entry[] = read.lines.map((line, l) => {
    const indexes = read.words.flatMap((word, w) => (word.line === l ? [w] : []));
    return { line, words: indexes.map((w) => read.words[w]!), digits: indexes.flatMap((w, k) => read.digits.filter((d) => d.word === w).map((d) => ({ ...d, word: k }))) };
  });
  for (const entry of added) {
    const at = entries.findIndex((e) => e.line.box[1] > entry.line.box[1]);
    entries.splice(at < 0 ? entries.length : at, 0, entry);
  }
  const out: OcrResult = { text: '', meanConfidence: 0, words: [], lines: [], digits: [], ms: read.ms + ms };
  for (const entry of entries) {
    const [line, base] = [out.lines.length, out.words.length];
    out.lines.push(entry.line);
    out.words.push(...entry.words.map((word) => ({ ...word, line })));
    out.digits.push(...entry.digits.map((digit) => ({ ...digit, word: digit.word + base })));
  }
  out.text = out.lines.map((l) => l.text).join('\n');
  out.meanConfidence = meanWordConfidence(out.words);
  return out;
}
