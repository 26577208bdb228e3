/**
 * Replays the numbering checks (findBookIssues, with withYearsOfBook) of two checkouts on an eval's stored entries
 * (`civreg eval --entries-out`), book by book, and prints the books whose issues differ: what a change of
 * src/extract/numbering.ts does to a corpus without running the pipeline again. Not a test. Approximate: entries
 * read before review, no printed page numbers and no entries-not-read counts (book-checks.ts adds those).
 *
 *   npx node test/eval/replay-book-checks.ts ENTRIES.json CORPUS_DIR OLD_CHECKOUT NEW_CHECKOUT [BOOK…]
 */
import { readFileSync } from 'node:fs';

const [entriesFile, corpus, oldCheckout, newCheckout, ...only] = process.argv.slice(2);
if (!entriesFile || !corpus || !oldCheckout || !newCheckout) throw new Error('usage: replay-book-checks.ts ENTRIES CORPUS OLD NEW [BOOK…]');
const SURE = new Set(['auto_accepted', 'verified', 'corrected']);
interface Stored { id: number; book: string; page: number; seq: number; year: number | null; entryNo: number | null; struck: boolean; fields: Record<string, { value: string | null; status: string }> }
const stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as Stored[];
const manifest = JSON.parse(readFileSync(`${corpus}/manifest.json`, 'utf8')) as { books: { id: string; years: number[]; statedYears?: number[]; era?: string }[] };

async function issuesOf(checkout: string, bookId: string, years: number[], era: string | null): Promise<string> {
  const { findBookIssues } = await import(`${checkout}/src/extract/numbering.ts`);
  const { withYearsOfBook } = await import(`${checkout}/src/extract/book-years.ts`);
  const book = { yearFrom: years[0]!, yearTo: years.at(-1)!, era };
  const entries = stored.filter((e) => e.book === bookId).sort((a, b) => a.page - b.page || a.seq - b.seq).map((e) => ({
    id: e.id, pageId: e.page, pageOrder: e.page, printedPageNo: null, year: e.year, entryNo: e.entryNo, struck: e.struck,
    numberSure: SURE.has(e.fields.entryNo?.status ?? ''),
    registrationDate: SURE.has(e.fields.registrationDate?.status ?? '') ? e.fields.registrationDate!.value : null,
    dateRead: e.fields.registrationDate?.value ?? null,
  }));
  return JSON.stringify(findBookIssues(withYearsOfBook(entries, book), book));
}

for (const book of manifest.books) {
  if (only.length > 0 && !only.includes(book.id)) continue;
  // the years the eval uploaded the book with
  const years = book.statedYears ?? book.years;
  const [before, after] = [await issuesOf(oldCheckout, book.id, years, book.era ?? null), await issuesOf(newCheckout, book.id, years, book.era ?? null)];
  if (before !== after) console.log(`${book.id}\n  old ${before}\n  new ${after}`);
}
