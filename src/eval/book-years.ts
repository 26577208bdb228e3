/**
 * Review settled to the truth, for a book's years: on every open `book_years_in_doubt` the simulated verifier
 * gives the years the book's entries hold (its truth `years`, what its cover and pages show a careful reader)
 * through settleBookYears, the code path of the issue page. Other years than the stated ones become the book's
 * and its entries take their dates' years; the stated years dismiss the issue (it was raised on nothing). Run
 * before the other review steps, which pair stored entries with the truth by their year.
 */
import { createAccount, findAccountForLogin, type Account } from '../auth/accounts.ts';
import { BookYearsRefusedError, settleBookYears } from '../review/book-issues.ts';
import type { Database } from '../db/sql.ts';
import type { Corpus } from './corpus.ts';
import { truthPageKeys, type CorpusRun } from './run.ts';

const EVAL_ACCOUNT = 'eval-book-years';

export interface BookYearsSettled {
  /** Issues settled: years given that were not the book's stated ones, and the stated ones given back. */
  resolved: number;
  dismissed: number;
  /** Settlements the product refused, by reason code. */
  refused: Record<string, number>;
}

export async function settleBookYearsToTruth(db: Database, corpus: Corpus, run: Pick<CorpusRun, 'pages'>): Promise<BookYearsSettled> {
  const bookOfPage = new Map<number, Corpus['books'][number]['book']>();
  for (const { book, truth } of corpus.books) {
    const keys = truthPageKeys(truth.pages, run.pages);
    for (const page of truth.pages) {
      const processed = run.pages.get(keys.get(page)!);
      if (processed) bookOfPage.set(processed.pageId, book);
    }
  }
  const open = await db.query<{ id: number; pageId: number }>(
    `select id, page_id as "pageId" from book_issue where kind = 'book_years_in_doubt' and status = 'open' and page_id = any($1) order by id`,
    [[...bookOfPage.keys()]],
  );
  const result: BookYearsSettled = { resolved: 0, dismissed: 0, refused: {} };
  if (open.length === 0) return result;
  // settling a book issue records who did it: an account of the scratch database, named for the audit trail
  const account: Account = (await findAccountForLogin(db, EVAL_ACCOUNT)) ?? (await createAccount(db, { name: EVAL_ACCOUNT, role: 'supervisor', officeCodes: 'all', passwordHash: '!' }));
  for (const issue of open) {
    const years = bookOfPage.get(issue.pageId)!.years;
    try {
      const outcome = await settleBookYears(db, account, { issueId: Number(issue.id), yearFrom: years[0]!, yearTo: years.at(-1)!, note: 'eval: the years the book holds' });
      result[outcome]++;
    } catch (error) {
      if (!(error instanceof BookYearsRefusedError)) throw error;
      result.refused[error.code] = (result.refused[error.code] ?? 0) + 1;
    }
  }
  return result;
}
