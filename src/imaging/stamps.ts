/**
 * Red office stamps ("con dấu") pressed over the last lines of an entry: in plain greyscale their
 * red is as dark as the text under them, so Tesseract reads the ring and the star as letters and
 * loses the words beneath. On a colour scan the red channel sees red ink as nearly paper while black
 * and blue ink stay dark (what a scanner's red drop-out filter does), so red pixels take the red
 * channel's level instead of the luminance and the stamp fades to a light imprint.
 *
 * Only red: a blue stamp has the colour of the blue and blue-black pens that fill in the registers,
 * so it cannot be told from the writing by colour. Violet ("mực tím") and brown-black inks are not
 * red enough to be touched. Greyscale deliveries carry no colour, so nothing can be done there.
 */
import type { GreyImage } from './analysis.ts';

/** Redness (red minus the larger of green and blue) at which a pixel starts to count as stamp ink. */
const MIN_REDNESS = 30;
/** Redness from which a pixel takes the red channel's level entirely (a stamp's edge is between). */
const FULL_REDNESS = 70;
/** Fewer red pixels than this share is no stamp (a red speck, a coloured rule): the page is left as it is. */
const MIN_RED_SHARE = 0.0005;

/**
 * Fades red ink out of the greyscale of a colour page: each pixel of `grey` (the luminance of
 * `rgb`, same size) that is clearly red moves towards its red channel's level. Null when the page
 * has (almost) no red. `share` is the part of the page that was red.
 *
 * @example
 * const faded = suppressRedStamps(rgbPixels, greyPixels);
 * const grey = faded?.image ?? greyPixels;
 */
export function suppressRedStamps(rgb: { data: Uint8Array; channels: number }, grey: GreyImage): { image: GreyImage; share: number } | null {
  const { data, channels } = rgb;
  const pixels = grey.width * grey.height;
  if (channels < 3 || data.length < pixels * channels) throw new RangeError(`suppressRedStamps: expected ${pixels} pixels of 3 or more channels`);
  const out = new Uint8Array(grey.data);
  let red = 0;
  for (let i = 0, j = 0; i < pixels; i++, j += channels) {
    const r = data[j]!;
    const redness = r - Math.max(data[j + 1]!, data[j + 2]!);
    if (redness <= MIN_REDNESS) continue;
    red++;
    const level = out[i]!;
    if (r <= level) continue;
    const weight = Math.min(1, (redness - MIN_REDNESS) / (FULL_REDNESS - MIN_REDNESS));
    out[i] = Math.round(level + weight * (r - level));
  }
  if (red < MIN_RED_SHARE * pixels) return null;
  return { image: { data: out, width: grey.width, height: grey.height }, share: red / pixels };
}
