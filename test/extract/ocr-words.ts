import type { OcrWord } from '../../src/ocr/types.ts';

/**
 * OCR words for lines of text as tesseract would return them: one word per space-separated token, 20 px
 * per character, lines 60 px apart. `confidence` applies to every word unless a line gives its own.
 */
export function ocrWords(lines: (string | { text: string; x?: number; confidence?: number })[], confidence = 0.96): OcrWord[] {
  const words: OcrWord[] = [];
  lines.forEach((line, index) => {
    const { text, x = 100, confidence: c = confidence } = typeof line === 'string' ? { text: line } : line;
    let at = x;
    for (const token of text.split(' ').filter(Boolean)) {
      words.push({ text: token, confidence: c, box: [at, 200 + index * 60, token.length * 20, 40], line: index });
      at += (token.length + 1) * 20;
    }
  });
  return words;
}
