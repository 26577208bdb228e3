/**
 * Scores the numbering checks of a checkout (findBookIssues with withYearsOfBook and the struck entries filed by
 * struckEntryNumbers, as src/extract/book-checks.ts calls them) on eval runs' stored entries (`civreg eval
 * --entries-out`, entries as read before review) against the corpora's truth, with the eval's own scoring
 * (scoreBookChecks): what a change of src/extract/numbering.ts, struck-numbers.ts or book-years.ts does to the
 * before-review figures without running the pipeline again. Not a test.
 *
 * Approximate, and only for what the entries alone can show: faults of the kinds the numbering names (entry gaps,
 * missing pages, struck entries, wrong book years) and the issues it raises. Printed page numbers and counts of
 * entries not read are not stored, and the pages the pipeline sets aside as second scans (by their pixels) are left
 * out here by the truth's `duplicate_page` faults, so their entries do not count twice. A value stored in review
 * with the reason `book_issue` was accepted when the checks ran and is judged as read (book-checks.ts JUDGED_AS_READ).
 * An entry number stored unparsed is read again by the checkout's entryNumberAlike (src/extract/values.ts), if it has
 * one, as its extraction would store it (never sure).
 *
 * `--after-review`: the review settled to the truth first, as the eval does (src/eval/settle.ts): the fields in review
 * of the entries pairEntries pairs with truth entries take the truth's values, verified; an entry is filed under its
 * settled number and its settled date's year within the book's years (src/review/settle.ts); a book whose years the
 * checks then put in doubt is settled to its true years (src/eval/book-years.ts), its issue kept. Entries keyed on
 * pages raised for keying are not added (the replay has no such notices).
 *
 * Pages the checkout takes for second scans by the names their entries read (src/extract/rescans-named.ts, if it has
 * one), unless their numbers tell them apart (src/extract/rescans.ts numberedApart), leave the numbering as in
 * book-checks.ts; the truth's second scans are left out before, so each such page is a false second scan, counted
 * apart ("named rescans, false").
 *
 *   npx node test/eval/replay-book-score.ts CHECKOUT ENTRIES.json CORPUS_DIR [ENTRIES.json CORPUS_DIR …] [--list] [--after-review]
 */
import { existsSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const list = args.includes('--list');
const afterReview = args.includes('--after-review');
const [checkout, ...pairs] = args.filter((a) => !a.startsWith('--'));
if (!checkout || pairs.length === 0 || pairs.length % 2 !== 0) throw new Error('usage: replay-book-score.ts CHECKOUT ENTRIES CORPUS [ENTRIES CORPUS …] [--list] [--after-review]');
const { findBookIssues } = await import(`${checkout}/src/extract/numbering.ts`);
const { withYearsOfBook } = await import(`${checkout}/src/extract/book-years.ts`);
const { scoreBookChecks } = await import(`${checkout}/src/eval/metrics/book-checks.ts`);
const { pairEntries } = await import(`${checkout}/src/eval/metrics/extraction.ts`);
// an entry number stored unparsed is read again as the checkout reads a figure taken for a letter ("S6"), when it can
const alikeOf: (text: string) => string | null = (await import(`${checkout}/src/extract/values.ts`)).entryNumberAlike ?? (() => null);
const namedModule = `${checkout}/src/extract/rescans-named.ts`;
type Named = { id: number; pageId: number; pageOrder: number; names: Record<string, string | null> };
const pagesNamedAlike: (entries: Named[]) => { pageId: number; of: number }[] = existsSync(namedModule) ? (await import(namedModule)).pagesNamedAlike : () => [];
const { numberedApart } = await import(`${checkout}/src/extract/rescans.ts`);
const struckModule = `${checkout}/src/extract/struck-numbers.ts`;
const struckEntryNumbers: (entries: unknown[]) => Map<number, number | null> = existsSync(struckModule) ? (await import(struckModule)).struckEntryNumbers : () => new Map();

const NUMBERING_FAULTS = new Set(['entry_gap', 'missing_page', 'struck_entry', 'book_years_in_doubt']);
const NUMBERING_ISSUES = new Set([...NUMBERING_FAULTS, 'entry_repeat', 'entry_order', 'date_outside_book']);
interface Field { value: string | null; status: string; reasons?: string[]; raw?: string }
interface Stored { id: number; book: string; page: number; seq: number; year: number | null; entryNo: number | null; struck: boolean; fields: Record<string, Field> }
interface Issue { kind: string; year: number | null; pageId: number; entryId: number | null; detail: Record<string, unknown> }
interface TruthEntry { year: number; entryNo: number; fields: Record<string, { value: string | null } | undefined> }
/** As book-checks.ts JUDGED_AS_READ: accepted, confirmed, or sent to a person by an issue of the book it raised. */
const judged = (f: Field | undefined) => f !== undefined && (['auto_accepted', 'verified', 'corrected'].includes(f.status) || (f.status === 'review' && (f.reasons ?? []).includes('book_issue')));

const totals = { pages: 0, injected: 0, flagged: 0, falseAlarms: 0, namedFalse: 0 };
for (let k = 0; k < pairs.length; k += 2) {
  const [entriesFile, corpus] = [pairs[k]!, pairs[k + 1]!];
  let stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as Stored[];
  const manifest = JSON.parse(readFileSync(`${corpus}/manifest.json`, 'utf8')) as { books: { id: string; years: number[]; statedYears?: number[]; era?: string }[] };
  const truths = new Map(manifest.books.map((b) => [b.id, JSON.parse(readFileSync(`${corpus}/${b.id}/truth.json`, 'utf8'))]));
  if (afterReview) stored = settledToTruth(stored, manifest.books, truths);
  const books: { id: string; truth: { pages: unknown[]; faults: { kind: string; page?: number }[] } }[] = [];
  let namedFalse = 0;
  const issues: { book: string; kind: string; year: number | null; page: number | null; entryNo: number | null; detail: Record<string, unknown> }[] = [];
  for (const book of manifest.books) {
    const truth = truths.get(book.id);
    const secondScans = new Set(truth.faults.filter((f: { kind: string }) => f.kind === 'duplicate_page').map((f: { page: number }) => f.page));
    books.push({ id: book.id, truth: { ...truth, faults: truth.faults.filter((f: { kind: string }) => NUMBERING_FAULTS.has(f.kind)) } });
    totals.pages += truth.pages.length;
    let mine = stored.filter((e) => e.book === book.id && !secondScans.has(e.page)).sort((a, b) => a.page - b.page || a.seq - b.seq);
    const asRead = checkBook(mine, { yearFrom: book.years[0]!, yearTo: book.years.at(-1)!, era: book.era ?? null }).entries;
    const named = pagesNamedAlike(mine.map((e) => ({ id: e.id, pageId: e.page, pageOrder: e.page,
      names: Object.fromEntries(Object.entries(e.fields).filter(([f, v]) => f.endsWith('Name') && v.value !== null).map(([f, v]) => [f, v.value])) })))
      .filter((r) => !numberedApart(asRead, r.pageId, r.of)).map((r) => r.pageId);
    namedFalse += named.length;
    if (list) for (const page of named) console.log(`  named rescan, false: ${book.id} page ${page}`);
    mine = mine.filter((e) => !named.includes(e.page));
    // the years the eval uploaded the book with
    const years = book.statedYears ?? book.years;
    let found = checkBook(mine, { yearFrom: years[0]!, yearTo: years.at(-1)!, era: book.era ?? null });
    // after review the verifier settles years put in doubt to the book's true ones; the issue stays counted
    const doubt = found.issues.find((i) => i.kind === 'book_years_in_doubt');
    if (afterReview && doubt && book.statedYears) {
      const yearsOf = { yearFrom: book.years[0]!, yearTo: book.years.at(-1)!, era: book.era ?? null };
      const refiled = mine.map((e) => {
        const y = e.fields.registrationDate?.value?.match(/^([0-9]{4})-/)?.[1];
        return { ...e, year: y && Number(y) >= yearsOf.yearFrom && Number(y) <= yearsOf.yearTo ? Number(y) : e.year === years[0] && yearsOf.yearFrom === yearsOf.yearTo ? yearsOf.yearFrom : e.year };
      });
      const again = checkBook(refiled, yearsOf);
      found = { ...again, issues: [doubt, ...again.issues.filter((i) => i.kind !== 'book_years_in_doubt')] };
    }
    for (const i of found.issues.filter((f) => NUMBERING_ISSUES.has(f.kind))) {
      const entry = found.entries.find((e) => e.id === i.entryId);
      issues.push({ book: book.id, kind: i.kind, year: i.year, page: i.pageId, entryNo: entry?.entryNo ?? null, detail: i.detail });
    }
  }
  const score = scoreBookChecks(books, issues);
  totals.injected += score.faultsInjected;
  totals.flagged += score.faultsFlagged;
  totals.falseAlarms += score.falseAlarms;
  totals.namedFalse += namedFalse;
  console.log(`${corpus}: ${score.faultsFlagged} of ${score.faultsInjected} flagged, ${score.falseAlarms} false alarms, named rescans, false: ${namedFalse}; ${JSON.stringify(score.byKind)}`);
  if (list) {
    for (const m of score.missedList) console.log(`  missed ${JSON.stringify(m)}`);
    for (const f of score.falseAlarmList) console.log(`  false  ${JSON.stringify(f)}`);
  }
}
console.log(`all: ${totals.flagged} of ${totals.injected} flagged, ${totals.falseAlarms} false alarms, named rescans, false: ${totals.namedFalse} in ${totals.pages} pages${afterReview ? ' (after review)' : ''}`);

/** A book's entries as book-checks.ts reads them, with its struck entries filed, and the issues the numbering finds. */
function checkBook(mine: Stored[], yearsOf: { yearFrom: number; yearTo: number; era: string | null }) {
  const entries = mine.map((e) => {
    const no = e.fields.entryNo?.value ?? (e.fields.entryNo?.raw ? alikeOf(e.fields.entryNo.raw) : null);
    const date = e.fields.registrationDate;
    return {
      id: e.id, pageId: e.page, pageOrder: e.page, printedPageNo: null, year: e.year,
      entryNo: no && /^[0-9]{1,6}$/.test(no) ? Number(no) : e.entryNo, struck: e.struck,
      numberSure: judged(e.fields.entryNo), numberVerified: e.fields.entryNo?.status === 'verified',
      numberDoubted: e.fields.entryNo?.status !== 'verified' && (e.fields.entryNo?.reasons ?? []).includes('digit_doubt'),
      registrationDate: judged(date) ? date!.value : null,
      dateRead: date?.value ?? null,
    };
  });
  const withYears = withYearsOfBook(entries, yearsOf) as typeof entries;
  const numbers = struckEntryNumbers(withYears);
  const filed = withYears.map((e) => (numbers.has(e.id) ? { ...e, entryNo: numbers.get(e.id)! } : e));
  return { entries: filed, issues: findBookIssues(filed, yearsOf) as Issue[] };
}

/** The stored entries once review is settled to the truth (see the module comment). */
function settledToTruth(stored: Stored[], books: { id: string; years: number[]; statedYears?: number[] }[], truths: Map<string, { entries: TruthEntry[] }>): Stored[] {
  const paired = pairEntries(books.map((b) => ({ id: b.id, truth: truths.get(b.id) })), stored) as Map<string, { machine: Stored }>;
  const truthOf = new Map<number, TruthEntry>();
  for (const [key, { machine }] of paired) {
    const [bookId, year, no] = key.split('/');
    const t = truths.get(bookId!)!.entries.find((e) => e.year === Number(year) && e.entryNo === Number(no));
    if (t && machine.id !== undefined) truthOf.set(machine.id, t);
  }
  return stored.map((e) => {
    const t = truthOf.get(e.id);
    if (!t) return e;
    const fields = Object.fromEntries(Object.entries(e.fields).map(([name, f]) => [name, f.status !== 'review' ? f
      : { ...f, status: 'verified', reasons: [], value: name === 'entryNo' ? String(t.entryNo) : (t.fields[name]?.value ?? null) }]));
    const book = books.find((b) => b.id === e.book)!;
    const [from, to] = [(book.statedYears ?? book.years)[0]!, (book.statedYears ?? book.years).at(-1)!];
    const dateYear = fields.registrationDate?.status === 'verified' ? Number(fields.registrationDate.value?.slice(0, 4)) : NaN;
    const entryNo = fields.entryNo?.status === 'verified' && /^[0-9]{1,6}$/.test(fields.entryNo.value ?? '') ? Number(fields.entryNo.value) : e.entryNo;
    return { ...e, fields, entryNo, year: dateYear >= from && dateYear <= to ? dateYear : e.year };
  });
}
