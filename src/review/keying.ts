/**
 * Keying an entry extraction did not find (book issues `entry_not_read` and `page_without_entries`): a
 * verifier types the entry's fields beside the page image and it is stored as an entry of that page, every
 * field verified with source `verifier`. The entry is then matched like any other (rematchEntry) and the
 * book checks run again: the page's count is met, and a numbering gap the unread entry explained is judged
 * again. The workbench (src/http/keying-routes.ts) and `civreg eval`'s review simulation both key through
 * keyMissingEntry.
 */
import { FIELD_KEYS, type CorpusRegisterType } from '../../schemas/corpus.ts';
import { eraOfYear, type Era } from '../../schemas/jobs.ts';
import type { Account } from '../auth/accounts.ts';
import { recordAudit } from '../db/audit.ts';
import type { Database, Sql } from '../db/sql.ts';
import { checkBook } from '../extract/book-checks.ts';
import { REQUIRED_FIELDS } from '../extract/fields.ts';
import { fieldKind } from '../extract/values.ts';
import { LAYOUTS } from '../extract/templates.ts';
import { rematchEntry } from '../match/stage.ts';
import { checkFieldValue } from './value-check.ts';

/** Book issues a keyed entry answers: the page holds entries nobody has on record yet. */
export const KEYING_ISSUE_KINDS = ['entry_not_read', 'page_without_entries'] as const;

/** Keyed entries are stored from this position on their page, after any extraction will ever find there. */
const KEYED_SEQ_FROM = 1000;

/** Why keying was refused; the message is what the verifier sees. */
export const KEYING_REFUSALS = {
  page_not_keyable: 'Trang này chưa đọc xong hoặc thuộc loại sổ chưa có mẫu nhập.',
  forbidden_office: 'Sổ này thuộc cơ quan đăng ký bạn không phụ trách.',
  entry_no_required: 'Hãy nhập số thứ tự của mục (chỉ gồm chữ số).',
  year_unknown: 'Sổ ghi nhiều năm: hãy nhập ngày đăng ký để biết mục thuộc năm nào.',
  year_outside_book: 'Ngày đăng ký nằm ngoài các năm của sổ.',
  entry_exists: 'Sổ đã có mục mang số này trong năm này. Hãy kiểm tra lại số thứ tự.',
  bad_value: 'Giá trị không đúng quy cách của trường.',
  unknown_field: 'Trường không thuộc mẫu của loại sổ này.',
  required_field_empty: 'Trường bắt buộc của loại sổ này chưa có giá trị: hãy nhập giá trị, hoặc chọn «Sổ để trống» hay «Không đọc được».',
  mark_with_value: 'Trường đã có giá trị nhưng lại được đánh dấu «Sổ để trống» hay «Không đọc được»: hãy xóa giá trị hoặc bỏ đánh dấu.',
  blank_refused: 'Mục đăng ký nào cũng phải có trường này: không chọn «Sổ để trống» được. Hãy nhập giá trị như sổ ghi, hoặc chọn «Không đọc được».',
  age_needs_birth_date: 'Sổ ghi tuổi của cha mẹ: cần ngày sinh của người được khai để tính năm sinh từ tuổi.',
} as const;
export type KeyingRefusalCode = keyof typeof KEYING_REFUSALS;

export class KeyingRefusal extends Error {
  override name = 'KeyingRefusal';
  readonly code: KeyingRefusalCode;
  /** The field the refusal is about, when one. */
  readonly field: string | null;
  constructor(code: KeyingRefusalCode, field: string | null = null, message?: string) {
    super(message ?? KEYING_REFUSALS[code]);
    this.code = code;
    this.field = field;
  }
}

/**
 * The fields a keyed entry of a register type and era has, in the order its printed form or ruled columns
 * give them (src/extract/templates.ts), limited to the register's field keys (schemas/corpus.ts): what
 * the printed page shows, so the verifier types down the page.
 *
 * @example keyedFields('birth', '2006-2015') // ['fullName', 'sex', 'birthDate', 'birthPlace', …]
 */
export function keyedFields(registerType: CorpusRegisterType, era: Era): string[] {
  const known = new Set<string>(FIELD_KEYS[registerType]);
  // a parent's age is keyed as the book wrote it; keyMissingEntry stores the birth year it gives
  return formItems(registerType, era).filter((item) => known.has(item) || (AGE_LINES[item] !== undefined && known.has(AGE_LINES[item])));
}

/** The items of the printed form or ruled columns of a register type and era, in page order (every field key without a layout). */
function formItems(registerType: CorpusRegisterType, era: Era): string[] {
  const layout = LAYOUTS[registerType][era];
  if (!layout) return [...FIELD_KEYS[registerType]];
  const items = layout.kind === 'form' ? layout.slots.map(([, item]) => item) : layout.columns.flatMap((c) => c.items);
  return [...new Set(items.filter((item): item is string => item !== null))];
}

/** A parent's age at the birth, which old books ask instead of a birth year (src/extract/fields.ts birthYearFromAge). */
const AGE_LINES: Record<string, string> = { motherAge: 'motherBirthYear', fatherAge: 'fatherBirthYear' };

/**
 * Whether the book's form of a register type and era asked a parent's age where `field` (a parent's birth year) is
 * stored: the year is then worked out from the age, a year either way (birthYearsFromAges, extraction's likewise).
 *
 * @example yearFromAge('birth', '1956-1998', 'motherBirthYear') // true
 */
export function yearFromAge(registerType: CorpusRegisterType, era: Era, field: string): boolean {
  return formItems(registerType, era).some((item) => AGE_LINES[item] === field);
}

/**
 * The record fields whose line the book's form of a register type and era had: keyedFields, and a parent's birth
 * year where the form asked the parent's age (the year is derived from it, and the book had the line even when the
 * age is blank or unreadable). What the certified extract tells "Không có trong sổ gốc" by.
 *
 * @example bookLines('birth', '1956-1998').has('motherBirthYear') // true: the form had the mother's age
 */
export function bookLines(registerType: CorpusRegisterType, era: Era): Set<string> {
  const known = new Set<string>(FIELD_KEYS[registerType]);
  return new Set(formItems(registerType, era).map((item) => AGE_LINES[item] ?? item).filter((item) => known.has(item)));
}

/**
 * Fields whose value keying cannot leave out: the register's required fields (src/extract/fields.ts) that
 * the era's printed form has. Each needs a value or an explicit KEYED_MARKS mark.
 */
export function requiredKeyedFields(registerType: CorpusRegisterType, era: Era): string[] {
  const required = new Set<string>(REQUIRED_FIELDS[registerType]);
  return keyedFields(registerType, era).filter((field) => required.has(field));
}

/**
 * Whether «Sổ để trống» is refused on a field: the entry number (keying refuses an entry without one,
 * `entry_no_required`) and the register's required fields (REQUIRED_FIELDS, as requiredKeyedFields) that name the
 * record's people, which no record lacks; a mother's name is left out, as a foundling's birth is registered without it.
 *
 * @example blankRefused('birth', 'fullName') // true; blankRefused('birth', 'birthPlace') // false
 */
export function blankRefused(registerType: string, field: string): boolean {
  if (field === 'entryNo') return true;
  const required: readonly string[] = REQUIRED_FIELDS[registerType as CorpusRegisterType] ?? [];
  return required.includes(field) && fieldKind(field) === 'name' && field !== 'motherName';
}

/**
 * What a verifier may say of a field they leave empty, as the review screen stores it: `blank`, the book's
 * line is empty (a verified field without a value: the extract prints "Sổ gốc không ghi"); `unreadable`, written
 * but illegible (status `unreadable`, as F2 on the review screen).
 */
export const KEYED_MARKS = { blank: 'Sổ để trống', unreadable: 'Không đọc được' } as const;
export type KeyedMark = keyof typeof KEYED_MARKS;

export interface KeyablePage {
  pageId: number;
  bookId: number;
  officeId: number;
  registerType: CorpusRegisterType;
  era: Era;
  bookNo: string;
  office: string;
  label: string;
  yearFrom: number | null;
  yearTo: number | null;
  /** Entries already on the page (found or keyed), by number, for the verifier to see which are missing. */
  entries: { id: number; year: number | null; entryNo: number | null; keyed: boolean }[];
  /** Open issues of the page that keying answers. */
  issues: { id: number; kind: string; detail: Record<string, unknown> }[];
}

/** A page an entry may be keyed on: settled by the pipeline, of a register type with a layout; null otherwise. */
export async function loadKeyablePage(sql: Sql, pageId: number): Promise<KeyablePage | null> {
  const [page] = await sql.query<Omit<KeyablePage, 'entries' | 'issues' | 'era'> & { era: Era | null; status: string }>(
    `select p.id as "pageId", p.book_id as "bookId", b.office_id as "officeId", b.register_type as "registerType", b.era, b.book_no as "bookNo",
            o.name as office, p.label, p.status, b.year_from as "yearFrom", b.year_to as "yearTo"
       from page p join book b on b.id = p.book_id join registry_office o on o.id = b.office_id where p.id = $1`,
    [pageId],
  );
  const era = page?.era ?? (page?.yearFrom != null ? eraOfYear(page.yearFrom) : null);
  if (!page || era === null || page.status !== 'routed' || !(page.registerType in FIELD_KEYS)) return null;
  const entries = await sql.query<KeyablePage['entries'][number]>(
    `select id, year, entry_no as "entryNo", keyed_by is not null as keyed from entry where page_id = $1 order by entry_no nulls last, seq`, [pageId]);
  const issues = await sql.query<KeyablePage['issues'][number]>(
    `select id, kind, detail from book_issue where page_id = $1 and status = 'open' and kind = any($2) order by id`, [pageId, [...KEYING_ISSUE_KINDS]]);
  const { status: _, ...rest } = page;
  return { ...rest, era, entries, issues };
}

export interface KeyedEntryInput {
  pageId: number;
  /** The entry number as typed. */
  entryNo: string;
  /** Field key → what the verifier typed; empty values are left out (not on the page, or unreadable). */
  fields: Record<string, string>;
  /** Field key → what the verifier said of a field left empty (KEYED_MARKS); a required field needs a value or a mark. */
  marks?: Record<string, KeyedMark>;
  /** Time spent keying, in milliseconds (audited, like review decisions). */
  ms?: number;
}

/**
 * Stores a keyed entry on its page (see the module comment); every value is checked with the review
 * screen's rules. Throws KeyingRefusal for input a person must fix. Runs in one transaction.
 *
 * @example await keyMissingEntry(db, account, { pageId: 12, entryNo: '16', fields: { fullName: 'Nguyễn Văn An', registrationDate: '20/3/2012' } })
 */
export async function keyMissingEntry(db: Database, account: Account, input: KeyedEntryInput): Promise<{ entryId: number; year: number | null; entryNo: number }> {
  return db.transaction(async (tx) => {
    // one keying of a book at a time: two verifiers keying the same number must not both store it
    const page = await loadKeyablePage(tx, input.pageId);
    if (!page) throw new KeyingRefusal('page_not_keyable');
    if (!account.allOffices && !account.officeIds.includes(page.officeId)) throw new KeyingRefusal('forbidden_office');
    await tx.query('select pg_advisory_xact_lock($1, $2::int)', [KEYING_LOCK, page.bookId]);
    const entryNo = input.entryNo.trim();
    if (!/^\d{1,6}$/.test(entryNo)) throw new KeyingRefusal('entry_no_required', 'entryNo');
    const allowed = new Set(keyedFields(page.registerType, page.era));
    const pivot = page.yearTo ?? page.yearFrom ?? new Date().getFullYear();
    const values: { field: string; raw: string; value: string | null; precision: string | null; status: 'verified' | 'unreadable' }[] = [];
    for (const [field, typed] of Object.entries(input.fields)) {
      if (typed.trim() === '') continue;
      if (!allowed.has(field)) throw new KeyingRefusal('unknown_field', field);
      if (input.marks?.[field]) throw new KeyingRefusal('mark_with_value', field);
      const checked = checkFieldValue(field, typed, { pivot });
      if (!checked.ok) throw new KeyingRefusal('bad_value', field, checked.message ?? undefined);
      values.push({ field, raw: typed.trim(), value: checked.value!, precision: checked.precision, status: 'verified' });
    }
    for (const [field, mark] of Object.entries(input.marks ?? {})) {
      if (!allowed.has(field) || !Object.hasOwn(KEYED_MARKS, mark)) throw new KeyingRefusal('unknown_field', field);
      // as on the review screen: no record lacks its people's names
      if (mark === 'blank' && blankRefused(page.registerType, field)) throw new KeyingRefusal('blank_refused', field);
      values.push({ field, raw: '', value: null, precision: null, status: mark === 'unreadable' ? 'unreadable' : 'verified' });
    }
    birthYearsFromAges(values);
    const year = yearOf(values.find((v) => v.field === 'registrationDate')?.value ?? null, page);
    const number = Number(entryNo);
    const [taken] = await tx.query<{ id: number }>(
      `select id from entry where book_id = $1 and year is not distinct from $2 and entry_no = $3 and not struck limit 1`, [page.bookId, year, number]);
    if (taken) throw new KeyingRefusal('entry_exists', 'entryNo');
    // a required line left out without a word would be stored verified as if the book had nothing there
    const missing = requiredKeyedFields(page.registerType, page.era).find((field) => !values.some((v) => v.field === field));
    if (missing) throw new KeyingRefusal('required_field_empty', missing);
    const [entry] = await tx.query<{ id: number }>(
      `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type, era, template, extract_version, region, status, entry_no_confidence, keyed_by)
       values ($1, $2, greatest($3, (select max(seq) + 1 from entry where page_id = $2)), array[$2]::bigint[], $4, $5, $6, $7, $8, 'keyed', '[]', 'verified', 1, $9)
       returning id`,
      [page.bookId, page.pageId, KEYED_SEQ_FROM, year, number, page.registerType, page.era, LAYOUTS[page.registerType][page.era]?.id ?? `${page.registerType}/keyed`, account.name],
    );
    const entryId = entry!.id;
    const rows = [{ field: 'entryNo', raw: entryNo, value: String(number), precision: null, status: 'verified' }, ...values];
    await tx.query(
      `insert into entry_field (entry_id, field, raw, value, precision, page_id, confidence, source, status, verified_by, verified_at)
       select $1, f.field, f.raw, f.value, f.precision, $2, 1, 'verifier', f.status, $3, now()
         from jsonb_to_recordset($4::jsonb) as f(field text, raw text, value text, precision text, status text)`,
      [entryId, page.pageId, account.name, JSON.stringify(rows)],
    );
    await recordAudit(tx, {
      actor: account.name, action: 'entry_keyed', objectType: 'entry', objectId: entryId,
      // ids and counts only: the values stay in their table
      detail: { pageId: page.pageId, fields: rows.length, ...(values.some((v) => v.value === null) ? { empty: values.filter((v) => v.value === null).length } : {}), ...(input.ms !== undefined ? { ms: Math.max(0, Math.min(Math.round(input.ms), 86_400_000)) } : {}) },
    });
    await rematchEntry(tx, entryId);
    await checkBook(tx, page.bookId);
    return { entryId, year, entryNo: number };
  });
}

/**
 * A verifier says every entry of the page is on record now (keyed, or the count was wrong): the page's
 * open keying issues are dismissed with that note, and so are not raised again. Audited. Returns how many it closed.
 */
export async function closePageIssues(db: Database, account: Account, pageId: number): Promise<number> {
  return db.transaction(async (tx) => {
    const page = await loadKeyablePage(tx, pageId);
    if (!page) throw new KeyingRefusal('page_not_keyable');
    if (!account.allOffices && !account.officeIds.includes(page.officeId)) throw new KeyingRefusal('forbidden_office');
    const closed = await tx.query<{ id: number; kind: string }>(
      `update book_issue set status = 'dismissed', handled_by = $3, handled_at = now(), handled_note = $4
        where page_id = $1 and status = 'open' and kind = any($2) returning id, kind`,
      [pageId, [...KEYING_ISSUE_KINDS], account.id, 'Người kiểm tra xác nhận mọi mục của trang đã có trong hệ thống.']);
    for (const issue of closed) {
      await recordAudit(tx, { actor: account.name, action: 'book_issue_dismissed', objectType: 'book_issue', objectId: issue.id, detail: { pageId, kind: issue.kind } });
    }
    return closed.length;
  });
}

/**
 * A parent's age keyed as the book wrote it becomes the parent's birth year, as extraction makes it
 * (src/extract/fields.ts birthYearFromAge): the child's birth year minus the age, a year either way, so
 * stored with year precision; the raw text keeps the age. A marked age marks the birth year.
 */
function birthYearsFromAges(values: { field: string; raw: string; value: string | null; precision: string | null }[]): void {
  const childYear = values.find((v) => v.field === 'birthDate')?.value?.slice(0, 4);
  for (const v of values) {
    const yearField = AGE_LINES[v.field];
    if (yearField === undefined) continue;
    v.field = yearField;
    if (v.value === null) continue;
    if (!childYear) throw new KeyingRefusal('age_needs_birth_date', 'birthDate');
    v.raw = `${v.value} tuổi`;
    v.value = String(Number(childYear) - Number(v.value));
    v.precision = 'year';
  }
}

/** Advisory lock class of keying an entry into a book (1–3: uploads, entries, book checks; 5: resolving changes). */
const KEYING_LOCK = 4;

/** The entry's year: its registration date's, within the book's years; else the book's only year. */
function yearOf(registrationDate: string | null, page: Pick<KeyablePage, 'yearFrom' | 'yearTo'>): number | null {
  if (registrationDate) {
    const year = Number(registrationDate.slice(0, 4));
    if (page.yearFrom !== null && (year < page.yearFrom || year > (page.yearTo ?? page.yearFrom))) throw new KeyingRefusal('year_outside_book', 'registrationDate');
    return year;
  }
  if (page.yearFrom !== null && (page.yearTo === null || page.yearTo === page.yearFrom)) return page.yearFrom;
  throw new KeyingRefusal('year_unknown', 'registrationDate');
}
