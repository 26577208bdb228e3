import { access } from 'node:fs/promises';
import type { Config } from '../../schemas/config.ts';
import { registerTypeSchema, type RegisterType } from '../../schemas/jobs.ts';
import { BookAmbiguousError, bookNoAsWritten, findBookFor, type BookKey, type KnownBook } from '../db/books.ts';
import type { Sql } from '../db/sql.ts';
import { REASONS } from '../../schemas/reasons.ts';
import { expandInputs, receiveFiles } from '../ingest/receive.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import { CliError, type Flags } from './errors.ts';
import { createProgress } from './progress.ts';

/**
 * `civreg ingest`: stores and queues files for one book; workers (start/work) process them. The book is named by
 * office, type, number and year (made if new), or by its id (`--book-id`, an existing book). `--late` marks the files
 * as pages of a book already delivered (a rescan, pages found later), as the web upload's "Tải thêm trang vào sổ
 * này" (`/upload?book=ID`) does: each page is placed where its entry numbers go, not at the end of the book
 * (src/extract/page-place.ts); the book must exist. A book is matched by its number as the web upload matches it
 * (bookForFiles: "2" is the office's "02" of that year); a number only nearly matching books is refused naming them,
 * unless `--new-book`.
 */
export async function runIngest(config: Config, paths: string[], flags: Flags): Promise<number> {
  if (paths.length === 0) throw new CliError('no_input', 'Name at least one file or folder to ingest.');
  const bookId = flags['book-id'] === undefined ? null : Number(flags['book-id']);
  if (bookId !== null && !(Number.isSafeInteger(bookId) && bookId > 0)) throw new CliError('bad_arguments', '--book-id must be a book\'s id (a number, as `civreg status` and the web desk show it).');
  if (bookId !== null && [flags.office, flags.type, flags.book, flags.year, flags['office-name']].some((f) => f !== undefined)) {
    throw new CliError('bad_arguments', '--book-id names the book: leave out --office, --type, --book, --year and --office-name.');
  }
  if (flags.late === true && flags['new-book'] === true) throw new CliError('bad_arguments', '--late adds pages to a book already ingested: leave out --new-book.');
  if (flags.late === true && bookId === null && [flags.office, flags.type, flags.book].every((f) => f === undefined)) {
    throw new CliError('bad_arguments', '--late adds pages to a book already ingested: name it with --office/--type/--book or --book-id.');
  }
  const registerType = registerTypeSchema.safeParse(flags.type);
  if (bookId === null && !registerType.success) throw new CliError('bad_arguments', '--type must be one of birth, marriage, death, other.');
  if (bookId === null && (typeof flags.office !== 'string' || typeof flags.book !== 'string' || bookNoAsWritten(flags.book) === '')) throw new CliError('bad_arguments', '--office and --book are required (or --book-id).');
  const year = flags.year === undefined ? null : Number(flags.year);
  if (year !== null && !(Number.isInteger(year) && year >= 1900 && year <= 2100)) throw new CliError('bad_arguments', '--year must be a year such as 1962.');
  for (const path of paths) await access(path).catch(() => {
    throw new CliError('not_found', `${path} does not exist.`);
  });

  const files = await expandInputs(paths);
  const services = await openServices(config, createLogger(config.CIVREG_LOG_LEVEL === 'info' ? 'warn' : config.CIVREG_LOG_LEVEL), { ocr: false });
  try {
    let named: BookKey = bookId === null
      ? { officeCode: flags.office as string, ...(typeof flags['office-name'] === 'string' ? { officeName: flags['office-name'] } : {}), registerType: registerType.data!, bookNo: flags.book as string, yearFrom: year }
      : await bookById(services.db, bookId);
    // a book already chosen (--book-id, or the one --late found) goes by its id, not matched again by its number
    const chosen = flags.late === true && bookId === null ? await lateBookId(services.db, named) : bookId;
    if (chosen !== null && bookId === null) named = await bookById(services.db, chosen);
    const progress = createProgress('Receiving');
    const results = await receiveFiles(
      { ...services, maxUploadBytes: config.CIVREG_MAX_UPLOAD_BYTES },
      chosen === null ? named : { bookId: chosen },
      files,
      typeof flags.by === 'string' ? flags.by : (process.env.USER ?? 'cli'),
      (done, total) => progress.update(done, total, 'files'),
      { placeByNumbers: flags.late === true, newBook: flags['new-book'] === true },
    ).catch((error: unknown) => {
      if (!(error instanceof BookAmbiguousError)) throw error;
      throw new CliError('book_ambiguous', `Book ${named.bookNo}${named.yearFrom ? ` (${named.yearFrom})` : ''} of type ${named.registerType} at office ${named.officeCode} only nearly matches ${error.similar.length} existing book(s); say which, or add --new-book:\n${candidateLines(named.registerType, error.similar)}`);
    });
    progress.finish();
    if (flags.json) console.log(JSON.stringify({ files: results }, null, 2));
    else {
      for (const r of results) {
        if (r.status === 'duplicate') console.log(`${r.file}: duplicate of upload ${r.duplicateOf} (not processed again)`);
        if (r.status === 'rejected' && r.reason) console.log(`${r.file}: ${r.reason}: ${REASONS[r.reason]}`);
      }
      const queued = results.filter((r) => r.status === 'queued').length;
      console.log(`${queued} file(s) queued${flags.late === true ? ` as late pages of book ${named.bookNo}${named.yearFrom ? ` (${named.yearFrom})` : ''}, placed by their entry numbers` : ''}, ${results.length - queued} not queued. Run \`civreg start\` or \`civreg work\` to process them.`);
    }
    return 0;
  } finally {
    await services.close();
  }
}

/** An existing book's key, by its id (that it exists, and its number and year for the messages). */
async function bookById(db: Sql, id: number): Promise<BookKey> {
  const [book] = await db.query<{ officeCode: string; registerType: RegisterType; bookNo: string; yearFrom: number | null; yearTo: number | null; era: string | null }>(
    `select o.code as "officeCode", b.register_type as "registerType", b.book_no as "bookNo", b.year_from as "yearFrom", b.year_to as "yearTo", b.era
       from book b join registry_office o on o.id = b.office_id where b.id = $1`, [id]);
  if (!book) throw new CliError('book_not_found', `No book has the id ${id} (\`civreg status\` lists the books).`);
  return book;
}

/**
 * The book late pages go into, matched as the web upload matches a book: by its number as staff write it ("2" is
 * "02"), any year when `--year` is not given. Several books matching is refused, naming each with what picks it.
 */
async function lateBookId(db: Sql, key: BookKey): Promise<number> {
  const year = key.yearFrom ?? null;
  const [office] = await db.query<{ id: number }>('select id from registry_office where code = $1', [key.officeCode]);
  const { exact, similar } = office ? await findBookFor(db, Number(office.id), key.registerType, key.bookNo, year) : { exact: null, similar: [] };
  if (exact) return Number(exact.id);
  if (similar.length === 1) return Number(similar[0]!.id);
  const named = `book ${key.bookNo}${year ? ` (${year})` : ''} of type ${key.registerType} at office ${key.officeCode}`;
  if (similar.length === 0) {
    throw new CliError('book_not_found', `No ${named}: late pages go into a book already ingested. Check the book's number${year ? ' and year' : ''}, or use --book-id (\`civreg status\` lists the books).`);
  }
  throw new CliError('book_ambiguous', `${similar.length} books match ${named}; say which:\n${candidateLines(key.registerType, similar)}`);
}

/** Each candidate book on a line, with the flags that pick it. */
function candidateLines(registerType: string, books: KnownBook[]): string {
  return books.map((b) => `  #${b.id} ${registerType} ${b.bookNo}${b.yearFrom ? ` (${b.yearFrom}${b.yearTo && b.yearTo !== b.yearFrom ? `–${b.yearTo}` : ''})` : ''}: ${b.yearFrom ? `add --year ${b.yearFrom} or ` : ''}--book-id ${b.id}`).join('\n');
}
