/**
 * Pen signatures on printed registers ("Chồng ký: … Vợ ký: …", the registrar's signature): a few
 * connected loops a couple of centimetres long beside a printed label. Tesseract takes them for a
 * line of text, reads them as "x<", "Mxz>" and, worse, merges them with the label, losing its spaces
 * and colons ("Chồngkýt") or the whole line. On a printed page each letter is its own small piece of
 * ink, so a signature stands out as one long, thin, loopy piece; painting it out leaves the label.
 *
 * Connected hand-writing looks the same, so the step only acts on pages whose ink is printed: when
 * such pieces hold more than a small share of the ink, the page is written by hand and left alone.
 * Strike-outs (longer than any signature) and table rules (thinner) are never touched.
 */
import type { GreyImage } from './analysis.ts';
import { visitComponents } from './components.ts';
import type { LocalInk } from './leaders.ts';

// Sizes in millimetres, so the same rules hold at 150 and at 400 dpi. A signature in a register is
// 1.5–3 cm long and 3–10 mm tall; a printed word's letters are separate pieces under 5 mm, a rule
// is under 1 mm thick, a strike-out crosses a whole entry (> 5 cm), a stamp is 3–4 cm round.
const MIN_WIDTH_MM = 8;
const MAX_WIDTH_MM = 45;
const MIN_HEIGHT_MM = 1.5;
const MAX_HEIGHT_MM = 16;
/** A pen line fills little of its box (thin strokes, open loops); a blot, a stain or bold type fills more. */
const MAX_FILL = 0.3;
/**
 * Above this share of the page's ink in signature-shaped pieces, the page is hand-written (cursive
 * words are such pieces too) and nothing is removed. A printed register page with a dozen
 * signatures stays far below it.
 */
const MAX_INK_SHARE = 0.1;

/**
 * Paints signature-shaped pen marks out of a printed page with the local paper level (`ink` from
 * `localInk` of the same page). Returns the page and how many marks were removed (0, page
 * unchanged, when there are none or the page is hand-written).
 *
 * @example
 * const { image, signatures } = removeSignatures(page, 300, await localInk(page, 300));
 */
export function removeSignatures(page: GreyImage, dpi: number, ink: LocalInk): { image: GreyImage; signatures: number } {
  const { data, width, height } = page;
  const mm = dpi / 25.4;
  const found: Int32Array[] = [];
  let inkPixels = 0;
  let markPixels = 0;
  visitComponents(ink.components, (pixels, box) => {
    inkPixels += pixels.length;
    const w = box.right - box.left + 1;
    const h = box.bottom - box.top + 1;
    if (w < MIN_WIDTH_MM * mm || w > MAX_WIDTH_MM * mm || h < MIN_HEIGHT_MM * mm || h > MAX_HEIGHT_MM * mm) return;
    if (pixels.length > MAX_FILL * w * h) return;
    found.push(pixels.slice());
    markPixels += pixels.length;
  });
  if (found.length === 0 || markPixels > MAX_INK_SHARE * inkPixels) return { image: page, signatures: 0 };
  const out = Uint8Array.from(data);
  for (const mark of found) for (const index of mark) out[index] = Math.max(out[index]!, ink.mean[index]!);
  return { image: { data: out, width, height }, signatures: found.length };
}
