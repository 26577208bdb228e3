/**
 * Pages of another register filed into a book: a death register's page uploaded into a birth book is read with the
 * birth form's labels, finds hardly any, and its entries go to people as births with most fields missing. Each form
 * prints labels no other register's form of its era prints ("Nơi chết:", "Họ và tên vợ:", "Quê quán:"); a page that
 * shows several of another register's and few or none of its own book's is named for staff to move
 * (`page_of_other_register`, raised by the book checks).
 */
import type { CorpusRegisterType } from '../../schemas/corpus.ts';
import type { Era } from '../../schemas/jobs.ts';
import { labelsOnPage } from './form.ts';
import { LAYOUTS, type FormLayout } from './templates.ts';
import type { OcrWord } from './words.ts';

/** Another register's own labels found at least this many times, and four times as often as the book's own. */
const MIN_FOREIGN_LABELS = 4;
const FOREIGN_OVER_OWN = 4;

interface EraForms {
  /** Every label any register's form of the era prints, once: a label read is taken for the closest of them all. */
  all: FormLayout;
  /** Per label of `all`, the one register whose form prints it; undefined when several do. */
  printedOnlyBy: (CorpusRegisterType | undefined)[];
  types: Set<CorpusRegisterType>;
}

const formsByEra = new Map<Era, EraForms>();

function formsOf(era: Era): EraForms {
  let forms = formsByEra.get(era);
  if (!forms) {
    const layouts = Object.entries(LAYOUTS).flatMap(([type, byEra]) => {
      const layout = byEra[era];
      return layout?.kind === 'form' ? [{ type: type as CorpusRegisterType, layout }] : [];
    });
    const labels = [...new Set(layouts.flatMap(({ layout }) => layout.slots.map(([label]) => label)))];
    const printedOnlyBy = labels.map((label) => {
      const by = layouts.filter(({ layout }) => layout.slots.some(([l]) => l === label));
      return by.length === 1 ? by[0]!.type : undefined;
    });
    forms = { all: { kind: 'form', id: `all/${era}`, slots: labels.map((label) => [label, null]) }, printedOnlyBy, types: new Set(layouts.map((l) => l.type)) };
    formsByEra.set(era, forms);
  }
  return forms;
}

/**
 * The register whose form a page of a `registerType` book was printed for, when its labels say it is another one;
 * null when they say nothing else (the book's own form, a page too faint to tell, a ruled era).
 *
 * @example
 * otherRegisterOfPage(wordsOfADeathPage, 'birth', '2016-'); // 'death'
 */
export function otherRegisterOfPage(words: readonly OcrWord[], registerType: CorpusRegisterType, era: Era): CorpusRegisterType | null {
  const { all, printedOnlyBy, types } = formsOf(era);
  if (!types.has(registerType)) return null;
  const hits = new Map<CorpusRegisterType, number>();
  for (const slot of labelsOnPage(words, all)) {
    const type = printedOnlyBy[slot];
    if (type) hits.set(type, (hits.get(type) ?? 0) + 1);
  }
  const own = hits.get(registerType) ?? 0;
  const [best] = [...hits].filter(([type]) => type !== registerType).map(([type, n]) => ({ type, n })).sort((a, b) => b.n - a.n);
  return best && best.n >= MIN_FOREIGN_LABELS && best.n >= FOREIGN_OVER_OWN * own ? best.type : null;
}
