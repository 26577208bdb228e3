/**
 * Who wrote a book and with what: the hand (font, size, slant, jitter, ink colour, pressure), the
 * typewriter or printer, and the printed parts of the form. Drawn once per copy of a book.
 */
import type { Era, FillMode } from './eras.ts';
import { HAND_FAMILIES, SANS_FAMILIES, SERIF_FAMILY, TYPEWRITER_FAMILY } from './fonts.ts';
import type { BookLook } from './layout.ts';
import type { Pen } from './render.ts';
import type { Rng, Weighted } from './rng.ts';

/** Point sizes that give the hand fonts about the same x-height and width (they differ a lot at one size). */
const HAND_SIZE: Record<(typeof HAND_FAMILIES)[number], number> = { 'Patrick Hand': 1.12, Pangolin: 0.95, Mali: 0.88, Sriracha: 0.95, Itim: 0.95 };

/** Ink colours of hand-written books: blue-black, the violet "mực tím" of school pens, blue, black, old brown-black. */
const INKS: Weighted<string> = [['#1c2a63', 4], ['#3d2a78', 2], ['#1f3f8f', 2], ['#262626', 2], ['#3f3326', 1]];
const NOTE_INKS: Weighted<string> = [['#9a1f1f', 2], ['#1c2a63', 2], ['#262626', 1]];

export function handPen(r: Rng, sizePt: number, colour: string, faded: boolean): Pen {
  const family = r.pick(HAND_FAMILIES);
  return {
    mode: 'hand', family, sizePt: sizePt * HAND_SIZE[family] * r.range(0.92, 1.08), colour,
    slant: r.range(0.02, 0.24), sizeJitter: r.range(0.015, 0.05), baselineJitter: r.range(0.015, 0.06),
    alpha: faded ? [0.4, 0.7] : [r.range(0.7, 0.85), 1], strokePt: r.range(0, 0.35),
  };
}

export function drawLook(r: Rng, era: Era, fills: Weighted<FillMode>, sizes: { valuePt: number; labelPt: number }, faded: boolean): BookLook {
  const { valuePt, labelPt } = sizes;
  const fill = r.weighted(fills);
  const printColour = r.pick(['#141414', '#1d1b19', '#222222']);
  const serif = (sizePt: number, bold = false): Pen => ({ mode: 'print', family: SERIF_FAMILY, sizePt, bold, colour: printColour, alpha: faded ? [0.6, 0.8] : [0.92, 1] });
  const value: Pen =
    fill === 'hand' ? handPen(r, valuePt, r.weighted(INKS), faded)
    : fill === 'typed' ? { mode: 'typed', family: TYPEWRITER_FAMILY, sizePt: valuePt * 1.02, colour: r.pick(['#161616', '#1e2433', '#23305a']), alpha: faded ? [0.4, 0.75] : [0.6, 1], strokePt: r.range(0.15, 0.4) }
    // a word processor's sans-serif over the serif labels: upright and exact as print, but of even stroke
    : fill === 'printed-sans' ? { mode: 'print', family: r.pick(SANS_FAMILIES), sizePt: valuePt * r.range(0.85, 0.95), bold: r.chance(0.2), colour: '#0b0b0b' }
    : { mode: 'print', family: SERIF_FAMILY, sizePt: valuePt, bold: era === '2016-' && r.chance(0.5), colour: '#0b0b0b' };
  return {
    fill,
    value,
    // a pre-printed sheet never meets the printer exactly: its values sit off the form's lines by the feed's play
    ...(fill === 'printed-sans' ? { valueShiftMm: [r.range(-1, 1), r.range(-0.8, 0.4)] as [number, number] } : {}),
    note: handPen(r, valuePt * 0.95, r.weighted(NOTE_INKS), false),
    printed: { title: serif(labelPt + 2.5, true), header: serif(labelPt - 1, true), label: serif(labelPt), labelBold: serif(labelPt, true), small: serif(10.5) },
    ruleColour: printColour,
  };
}
