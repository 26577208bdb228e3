/**
 * Scores the numbering checks of a checkout (findBookIssues with withYearsOfBook, as src/extract/book-checks.ts calls
 * them) on eval runs' stored entries (`civreg eval --entries-out`, entries as read before review) against the corpora's
 * truth, with the eval's own scoring (scoreBookChecks): what a change of src/extract/numbering.ts or book-years.ts does
 * to the before-review figures without running the pipeline again. Not a test.
 *
 * Approximate, and only for what the entries alone can show: faults of the kinds the numbering names (entry gaps,
 * missing pages, struck entries, wrong book years) and the issues it raises. Printed page numbers and counts of
 * entries not read are not stored, and the pages the pipeline sets aside as second scans (by their pixels) are left
 * out here by the truth's `duplicate_page` faults, so their entries do not count twice.
 *
 *   npx node test/eval/replay-book-score.ts CHECKOUT ENTRIES.json CORPUS_DIR [ENTRIES.json CORPUS_DIR …] [--list]
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const list = args.includes('--list');
const [checkout, ...pairs] = args.filter((a) => a !== '--list');
if (!checkout || pairs.length === 0 || pairs.length % 2 !== 0) throw new Error('usage: replay-book-score.ts CHECKOUT ENTRIES CORPUS [ENTRIES CORPUS …] [--list]');
const { findBookIssues } = await import(`${checkout}/src/extract/numbering.ts`);
const { withYearsOfBook } = await import(`${checkout}/src/extract/book-years.ts`);
const { scoreBookChecks } = await import(`${checkout}/src/eval/metrics/book-checks.ts`);

const SURE = new Set(['auto_accepted', 'verified', 'corrected']);
const NUMBERING_FAULTS = new Set(['entry_gap', 'missing_page', 'struck_entry', 'book_years_in_doubt']);
const NUMBERING_ISSUES = new Set([...NUMBERING_FAULTS, 'entry_repeat', 'entry_order', 'date_outside_book']);
interface Stored { id: number; book: string; page: number; seq: number; year: number | null; entryNo: number | null; struck: boolean; fields: Record<string, { value: string | null; status: string }> }
interface Issue { kind: string; year: number | null; pageId: number; entryId: number | null; detail: Record<string, unknown> }

const totals = { pages: 0, injected: 0, flagged: 0, falseAlarms: 0 };
for (let k = 0; k < pairs.length; k += 2) {
  const [entriesFile, corpus] = [pairs[k]!, pairs[k + 1]!];
  const stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as Stored[];
  const manifest = JSON.parse(readFileSync(`${corpus}/manifest.json`, 'utf8')) as { books: { id: string; years: number[]; statedYears?: number[] }[] };
  const books: { id: string; truth: { pages: unknown[]; faults: { kind: string; page?: number }[] } }[] = [];
  const issues: { book: string; kind: string; year: number | null; page: number | null; entryNo: number | null; detail: Record<string, unknown> }[] = [];
  for (const book of manifest.books) {
    const truth = JSON.parse(readFileSync(`${corpus}/${book.id}/truth.json`, 'utf8'));
    const secondScans = new Set(truth.faults.filter((f: { kind: string }) => f.kind === 'duplicate_page').map((f: { page: number }) => f.page));
    books.push({ id: book.id, truth: { ...truth, faults: truth.faults.filter((f: { kind: string }) => NUMBERING_FAULTS.has(f.kind)) } });
    totals.pages += truth.pages.length;
    // the years the eval uploaded the book with
    const years = book.statedYears ?? book.years;
    const yearsOf = { yearFrom: years[0]!, yearTo: years.at(-1)! };
    const entries = stored.filter((e) => e.book === book.id && !secondScans.has(e.page)).sort((a, b) => a.page - b.page || a.seq - b.seq).map((e) => {
      const no = e.fields.entryNo?.value;
      return {
        id: e.id, pageId: e.page, pageOrder: e.page, printedPageNo: null, year: e.year,
        entryNo: no && /^[0-9]{1,6}$/.test(no) ? Number(no) : e.entryNo, struck: e.struck,
        numberSure: SURE.has(e.fields.entryNo?.status ?? ''),
        registrationDate: SURE.has(e.fields.registrationDate?.status ?? '') ? e.fields.registrationDate!.value : null,
        dateRead: e.fields.registrationDate?.value ?? null,
      };
    });
    const found = findBookIssues(withYearsOfBook(entries, yearsOf), yearsOf) as Issue[];
    for (const i of found.filter((f) => NUMBERING_ISSUES.has(f.kind))) {
      const entry = entries.find((e) => e.id === i.entryId);
      issues.push({ book: book.id, kind: i.kind, year: i.year, page: i.pageId, entryNo: entry?.entryNo ?? null, detail: i.detail });
    }
  }
  const score = scoreBookChecks(books, issues);
  totals.injected += score.faultsInjected;
  totals.flagged += score.faultsFlagged;
  totals.falseAlarms += score.falseAlarms;
  console.log(`${corpus}: ${score.faultsFlagged} of ${score.faultsInjected} flagged, ${score.falseAlarms} false alarms; ${JSON.stringify(score.byKind)}`);
  if (list) {
    for (const m of score.missedList) console.log(`  missed ${JSON.stringify(m)}`);
    for (const f of score.falseAlarmList) console.log(`  false  ${JSON.stringify(f)}`);
  }
}
console.log(`all: ${totals.flagged} of ${totals.injected} flagged, ${totals.falseAlarms} false alarms in ${totals.pages} pages`);
