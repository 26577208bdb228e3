/** The cleanup of values read off a form. */
import { normaliseSpaces } from '../text/normalise.ts';

/**
 * A value as read between its label and the next one, without the printed dotted leader and the
 * punctuation OCR makes of it ("…….", "_ _", "·"), and without a trailing label colon.
 */
export function cleanValue(text: string): string {
  return normaliseSpaces(
    text
      .replace(/[.…·•_˙⋯]{2,}/g, ' ')
      .replace(/(^|\s)[.…·•_:;,|]+(?=\s|$)/g, ' ')
      .replace(/^[\s,.;:|]+|[\s,;:|]+$/g, ''),
  );
}
