/** Text helpers for extraction: Vietnamese folding and the cleanup of values read off a form. */

/** Lower case without diacritics (đ → d), for comparing labels and words that OCR may have damaged. */
export function foldVietnamese(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().normalize('NFC');
}

/** NFC with single spaces: the normal form of text fields (EVALUATION.md). */
export const nfcSpaces = (text: string): string => text.normalize('NFC').replace(/\s+/g, ' ').trim();

/**
 * A value as read between its label and the next one, without the printed dotted leader and the
 * punctuation OCR makes of it ("…….", "_ _", "·"), and without a trailing label colon.
 */
export function cleanValue(text: string): string {
  return nfcSpaces(
    text
      .replace(/[.…·•_˙⋯]{2,}/g, ' ')
      .replace(/(^|\s)[.…·•_:;,|]+(?=\s|$)/g, ' ')
      .replace(/^[\s,.;:|]+|[\s,;:|]+$/g, ''),
  );
}
