import { ensureBook } from '../../src/db/books.ts';
import type { Sql } from '../../src/db/sql.ts';

/**
 * Test data as the extraction and review stages will leave it (migrations/002): a book with one page,
 * and entries with fields whose status and source say whether a person has checked them.
 */
export async function seedBook(
  sql: Sql,
  book: { officeCode: string; officeName?: string; registerType: 'birth' | 'marriage' | 'death' | 'change'; bookNo: string; yearFrom: number },
): Promise<{ bookId: number; pageId: number }> {
  const bookId = await ensureBook(sql, { ...book, yearTo: book.yearFrom });
  const [upload] = await sql.query<{ id: number }>(
    `insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by, status)
     values ($1, (select count(*) from upload where book_id = $1), 'scan.pdf', repeat('a', 64), 1, 'test', 'ingested') returning id`,
    [bookId],
  );
  const [page] = await sql.query<{ id: number }>(
    `insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, 0, 'trang 12', 'routed') returning id`,
    [bookId, upload!.id],
  );
  return { bookId, pageId: page!.id };
}

export interface SeedField {
  value: string | null;
  status?: 'auto_accepted' | 'review' | 'verified' | 'unreadable';
  source?: 'machine' | 'verifier' | 'existing_record' | 'supervisor';
  precision?: 'day' | 'month' | 'year';
}

export async function seedEntry(
  sql: Sql,
  at: { bookId: number; pageId: number },
  entry: {
    year: number;
    entryNo: number;
    registerType: 'birth' | 'marriage' | 'death' | 'change';
    fields: Record<string, string | SeedField>;
    struck?: boolean;
    events?: Array<{ kind: string; field: string | null; oldValue: string | null; newValue: string | null; date: string; raw: string }>;
  },
): Promise<{ id: number; publicId: string }> {
  const [row] = await sql.query<{ id: number; publicId: string }>(
    `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type, struck, status)
     values ($1, $2, (select count(*) from entry where page_id = $2), array[$2::bigint], $3, $4, $5, $6, $7)
     returning id, public_id as "publicId"`,
    [at.bookId, at.pageId, entry.year, entry.entryNo, entry.registerType, entry.struck ?? false, entry.struck ? 'struck' : 'verified'],
  );
  for (const [field, spec] of Object.entries(entry.fields)) {
    const f: SeedField = typeof spec === 'string' || spec === null ? { value: spec } : spec;
    const status = f.status ?? 'verified';
    const source = f.source ?? (status === 'verified' ? 'verifier' : 'machine');
    await sql.query(
      `insert into entry_field (entry_id, field, raw, value, precision, page_id, confidence, source, status, verified_by, verified_at)
       values ($1, $2, $3, $3, $4, $5, 0.99, $6, $7, $8, $9)`,
      [row!.id, field, f.value, f.precision ?? null, at.pageId, source, status, status === 'verified' ? 'verifier-1' : null, status === 'verified' ? new Date('2026-11-20T08:00:00Z') : null],
    );
  }
  for (const ev of entry.events ?? []) {
    await sql.query(
      `insert into entry_event (entry_id, kind, field, old_value, new_value, event_date, raw, source) values ($1, $2, $3, $4, $5, $6, $7, 'verifier')`,
      [row!.id, ev.kind, ev.field, ev.oldValue, ev.newValue, ev.date, ev.raw],
    );
  }
  return row!;
}
