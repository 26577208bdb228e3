/**
 * Book faults (EVALUATION.md): how often each happens per profile (data), and the plan of which rendered
 * pages are delivered, in what order, and which share one image. Page indexes of faults count delivered
 * pages: a missing page is absent, a page scanned twice is present twice.
 */
import type { Profile } from '../../schemas/corpus.ts';
import type { Rng } from './rng.ts';

export interface FaultRates {
  /** Per entry: numbers skipped before it. */
  entryGap: number;
  /** Per entry: struck out and written again under the next number. */
  struck: number;
  /** Per book of 3+ pages: one page rendered but not delivered. */
  missingPage: number;
  /** Per book: one page delivered twice (scanned again). */
  duplicatePage: number;
  /** Per book: the years on its cover, and so the years given at upload, are not its entries' (`statedYears`). */
  wrongYears: number;
}

export const FAULT_RATES: Record<Profile, FaultRates> = {
  clean: { entryGap: 0, struck: 0, missingPage: 0, duplicatePage: 0, wrongYears: 0 },
  typical: { entryGap: 0.02, struck: 0.02, missingPage: 0.12, duplicatePage: 0.12, wrongYears: 0.06 },
  hard: { entryGap: 0.06, struck: 0.06, missingPage: 0.4, duplicatePage: 0.4, wrongYears: 0.15 },
};

/**
 * The years a book's cover states when they are wrong (at `rate` per book), else null: a label written or read
 * one book's span off (2011 for 2010, 1962–1963 for 1960–1961) or a decade off (1968 for 1958), never overlapping
 * the years its entries hold, so that every dated entry falls outside the stated years.
 *
 * @example
 * statedYears(new Rng(1).fork('stated years'), [2010], 1); // e.g. [2011]
 */
export function statedYears(r: Rng, years: readonly number[], rate: number): number[] | null {
  if (years.length === 0 || !r.chance(rate)) return null;
  const width = years.at(-1)! - years[0]! + 1;
  const shift = (r.chance(0.5) ? 1 : -1) * (width < 10 && r.chance(0.3) ? 10 : width);
  return Array.from({ length: width }, (_, k) => years[0]! + shift + k);
}

/** One delivered page: which rendered page it shows, and whether it is a second scan of it. */
export interface DeliveredPage {
  rendered: number;
  rescanOf?: number;
}

export interface PagePlan {
  delivered: DeliveredPage[];
  missing: number[];
  /** Delivered index → delivered index of the page it shares one image with (the right-hand page). */
  facing: Set<number>;
}

/**
 * Which rendered pages reach the archive's delivery: never the first or last page goes missing (so the
 * gap is visible between delivered pages); a second scan follows its page or comes a little later.
 */
export function planPages(r: Rng, renderedPages: number, rates: FaultRates, facingShare: number): PagePlan {
  const missing = renderedPages >= 3 && r.chance(rates.missingPage) ? [r.int(1, renderedPages - 2)] : [];
  const delivered: DeliveredPage[] = [];
  for (let i = 0; i < renderedPages; i++) if (!missing.includes(i)) delivered.push({ rendered: i });
  if (delivered.length >= 1 && r.chance(rates.duplicatePage)) {
    const of = r.int(0, delivered.length - 1);
    const at = Math.min(delivered.length, of + 1 + (r.chance(0.7) ? 0 : r.int(1, 2)));
    delivered.splice(at, 0, { rendered: delivered[of]!.rendered, rescanOf: of });
  }
  // facing pages: a left page and the next one photographed open together, never a second scan
  const facing = new Set<number>();
  for (let i = 0; i + 1 < delivered.length; i++) {
    if (delivered[i]!.rescanOf !== undefined || delivered[i + 1]!.rescanOf !== undefined) continue;
    if (delivered[i + 1]!.rendered !== delivered[i]!.rendered + 1) continue;
    if (r.chance(facingShare)) {
      facing.add(i);
      i++;
    }
  }
  return { delivered, missing, facing };
}
