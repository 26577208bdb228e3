import type Tesseract from 'tesseract.js';

/** A box in image pixels: left, top, width, height. */
export type PixelBox = [number, number, number, number];

/** One recognised word; `line` indexes the `lines` array of the same result. */
export interface OcrWord {
  text: string;
  /** 0..1 */
  confidence: number;
  box: PixelBox;
  line: number;
}

/** One recognised text line, in reading order. */
export interface OcrLine {
  text: string;
  /** 0..1 */
  confidence: number;
  box: PixelBox;
}

/**
 * Flattens tesseract.js `blocks` output (blocks → paragraphs → lines → words) into reading-order
 * arrays. Confidences become 0..1, text is NFC (downstream matching compares NFC strings), and
 * whitespace-only words and lines without words are dropped so every line has at least one word.
 *
 * @example
 * const { data } = await worker.recognize(png, {}, { blocks: true });
 * const { words, lines } = flattenBlocks(data.blocks);
 * lines[words[0].line].text; // the line the first word sits on
 */
export function flattenBlocks(blocks: readonly Tesseract.Block[] | null | undefined): {
  words: OcrWord[];
  lines: OcrLine[];
} {
  const words: OcrWord[] = [];
  const lines: OcrLine[] = [];
  for (const block of blocks ?? []) {
    for (const paragraph of block.paragraphs ?? []) {
      for (const line of paragraph.lines ?? []) {
        const lineWords = (line.words ?? [])
          .map((word) => ({
            text: normaliseText(word.text),
            confidence: normaliseConfidence(word.confidence),
            box: toPixelBox(word.bbox),
          }))
          .filter((word) => word.text !== '');
        if (lineWords.length === 0) continue;
        const lineIndex = lines.length;
        lines.push({
          text: normaliseText(line.text),
          confidence: normaliseConfidence(line.confidence),
          box: toPixelBox(line.bbox),
        });
        for (const word of lineWords) words.push({ ...word, line: lineIndex });
      }
    }
  }
  return { words, lines };
}

/** Mean of word confidences, 0 when there are no words (a blank page is not "confident"). */
export function meanWordConfidence(words: readonly OcrWord[]): number {
  if (words.length === 0) return 0;
  return words.reduce((sum, word) => sum + word.confidence, 0) / words.length;
}

export function normaliseText(text: string | null | undefined): string {
  return (text ?? '').normalize('NFC').trim();
}

/** Tesseract reports 0..100 (and -1 for "no value"); we store 0..1. */
export function normaliseConfidence(confidence: number | null | undefined): number {
  if (typeof confidence !== 'number' || !Number.isFinite(confidence)) return 0;
  return Math.min(1, Math.max(0, confidence / 100));
}

function toPixelBox(bbox: Tesseract.Bbox): PixelBox {
  return [bbox.x0, bbox.y0, Math.max(0, bbox.x1 - bbox.x0), Math.max(0, bbox.y1 - bbox.y0)];
}
