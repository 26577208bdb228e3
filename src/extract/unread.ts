/**
 * How many entries a page holds, counted apart from extraction, so that a page where extraction found fewer
 * is raised for a person to key the rest (book issue `entry_not_read`, src/extract/book-checks.ts).
 *
 * On form pages (1999–) the printed labels of each entry block are read by OCR even where the hand fill is
 * not: the labels found, in reading order, run through the layout once per entry. A block starts where the
 * labels step back to the first half of the layout; a block with too few labels (stray label-like words in
 * a value) is not counted, nor the first block when it starts past the entry's name (the rest of an entry
 * begun on the page before: extraction's continuation). Only labels printed once in a layout and ending in
 * a colon count: "Dân tộc:" is the child's, the mother's and the father's, and "ngày" is in every date in words.
 *
 * On ruled pages (1956–1998) the entries are the written bands between the printed rules found on the image
 * (src/extract/ruled.ts); a band where OCR read nothing is not extracted, and counts here.
 */
import type { CorpusRegisterType } from '../../schemas/corpus.ts';
import type { Era } from '../../schemas/jobs.ts';
import { labelsOnPage } from './form.ts';
import type { RuledRows } from './ruled.ts';
import { expectedTableEntries } from './table.ts';
import { LAYOUTS, type FormLayout } from './templates.ts';
import type { OcrWord } from './words.ts';

/** Slots at the head of a form ("Số:", "Quyển số:", the name): a first block starting past them continues the page before. */
const HEAD_SLOTS = 3;

/** Counted labels of a layout: printed once, ending in a colon; by slot index, with their rank among them. */
function countedSlots(layout: FormLayout): Map<number, number> {
  const labels = layout.slots.map(([label]) => label);
  const counted = labels.flatMap((label, index) => (label.endsWith(':') && labels.indexOf(label) === labels.lastIndexOf(label) ? [index] : []));
  return new Map(counted.map((index, rank) => [index, rank]));
}

/**
 * The entry blocks the printed labels of a form page show (see the module comment).
 *
 * @example formEntryBlocks(words, LAYOUTS.birth['2006-2015']) // 2 on a page with two birth forms
 */
export function formEntryBlocks(words: readonly OcrWord[], layout: FormLayout): number {
  const ranks = countedSlots(layout);
  const n = ranks.size;
  const minLabels = Math.max(3, Math.ceil(n / 4));
  const blocks: { firstSlot: number; labels: number }[] = [];
  let previous = -1;
  /** A step back not confirmed yet: a new block only if the next label fits it and not the block before. */
  let pending: { slot: number; rank: number } | null = null;
  for (const slot of labelsOnPage(words, layout)) {
    const rank = ranks.get(slot);
    if (rank === undefined) continue;
    if (blocks.length === 0) {
      blocks.push({ firstSlot: slot, labels: 1 });
      previous = rank;
    } else if (pending && rank > pending.rank && rank <= previous) {
      blocks.push({ firstSlot: pending.slot, labels: 2 });
      previous = rank;
      pending = null;
    } else if (rank > previous) {
      // the block before goes on: a pending step back was a stray label in a value
      blocks.at(-1)!.labels++;
      previous = rank;
      pending = null;
    } else if (rank < n / 2) {
      pending = { slot, rank };
    }
    // a label stepping back into the second half is a stray word of a value: passed over
  }
  return blocks.filter((b, i) => b.labels >= minLabels && !(i === 0 && b.firstSlot >= HEAD_SLOTS)).length;
}

/**
 * Entries the page holds by its printed layout: a form page's label blocks, a ruled page's written bands
 * (`ruled`, found on its image); null where that cannot be counted (no layout, a ruled page's rules not found).
 */
export function expectedEntries(words: readonly OcrWord[], registerType: string, era: Era | null, ruled: RuledRows | null = null): number | null {
  if (era === null || !(registerType in LAYOUTS)) return null;
  const layout = LAYOUTS[registerType as CorpusRegisterType][era];
  if (!layout) return null;
  return layout.kind === 'form' ? formEntryBlocks(words, layout) : expectedTableEntries(ruled);
}
