/**
 * Review settled to the truth, for entries (src/eval/settle.ts does it for fields): on every page the
 * product raised for keying (`entry_not_read`, `page_without_entries`), the simulated verifier keys the
 * truth entries starting there that extraction did not find at all, through keyMissingEntry, the code path
 * of the keying screen (matched, book checks run again). Only on raised pages, and only entries nobody has
 * on record, so the figure is what the archive ends with once people have worked through those notices.
 */
import type { Account } from '../auth/accounts.ts';
import type { Database } from '../db/sql.ts';
import { keyedFields, KEYING_ISSUE_KINDS, keyMissingEntry, KeyingRefusal, requiredKeyedFields, type KeyedMark } from '../review/keying.ts';
import type { Corpus } from './corpus.ts';
import { pairEntries } from './metrics/extraction.ts';
import { pageNaming, truthPageKeys, type CorpusRun } from './run.ts';

/** The simulated verifier: every office, named so its keyings are told apart in the audit trail. */
const EVAL_VERIFIER: Account = { id: 0, name: 'eval', role: 'verifier', allOffices: true, officeIds: [], mustChangePassword: false };

export interface KeyingSimulation {
  /** Pages raised for keying before review. */
  pagesRaised: number;
  /** Truth entries on those pages that extraction did not find, and how many were keyed. */
  missingOnRaised: number;
  keyed: number;
  /** Keyings the product refused, by reason code (e.g. `entry_exists`: a misread entry holds the number). */
  refused: Record<string, number>;
}

export async function keyEntriesOnRaisedPages(db: Database, corpus: Corpus, run: Pick<CorpusRun, 'pages' | 'entries' | 'issues'>): Promise<KeyingSimulation> {
  const paired = pairEntries(corpus.books.map(({ book, truth }) => ({ id: book.id, truth })), run.entries);
  const raised = new Set(run.issues.filter((i) => (KEYING_ISSUE_KINDS as readonly string[]).includes(i.kind) && i.page !== null).map((i) => `${i.book}#${i.page}`));
  const result: KeyingSimulation = { pagesRaised: raised.size, missingOnRaised: 0, keyed: 0, refused: {} };
  const naming = pageNaming(corpus, run.pages);
  for (const { book, truth } of corpus.books) {
    const fields = keyedFields(book.registerType, book.era);
    const required = requiredKeyedFields(book.registerType, book.era);
    const keys = truthPageKeys(truth.pages, run.pages);
    for (const entry of truth.entries) {
      const page = entry.pages[0]!;
      if (entry.struck || !raised.has(`${book.id}#${naming(book.id, page)}`) || paired.has(`${book.id}/${entry.year}/${entry.entryNo}`)) continue;
      const truthPage = truth.pages.find((p) => p.index === page);
      const pageId = truthPage ? run.pages.get(keys.get(truthPage)!)?.pageId : undefined;
      if (pageId === undefined) continue;
      result.missingOnRaised++;
      // books that asked parents' ages show the age, which the truth keeps beside the fields
      const ages = (entry as { parentAges?: Record<string, number> }).parentAges ?? {};
      const shown: Record<string, string> = {
        ...Object.fromEntries(Object.entries(entry.fields).map(([f, t]) => [f, t.value])),
        ...Object.fromEntries(Object.entries(ages).map(([who, age]) => [`${who}Age`, String(age)])),
      };
      const typed = Object.fromEntries(fields.flatMap((f) => (shown[f] ? [[f, shown[f]] as const] : [])));
      // a required line the truth leaves empty is one the verifier sees empty in the book, and says so
      const marks = Object.fromEntries(required.filter((f) => !entry.fields[f]?.value).map((f): [string, KeyedMark] => [f, 'blank']));
      try {
        await keyMissingEntry(db, EVAL_VERIFIER, { pageId, entryNo: String(entry.entryNo), fields: typed, marks });
        result.keyed++;
      } catch (error) {
        if (!(error instanceof KeyingRefusal)) throw error;
        result.refused[error.code] = (result.refused[error.code] ?? 0) + 1;
      }
    }
  }
  return result;
}
