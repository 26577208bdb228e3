/**
 * Entries that continue on the next page. Extraction stores the top of a page that holds no entry start
 * (`page_continuation`); this joins it onto the last entry of the page before it in book order: its fields
 * fill the entry's missing ones (each keeping its own page and box, so crops show the right page), and the
 * entry lists both pages in `page_ids` and `region`.
 *
 * Pages are extracted by independent jobs, in any order and at once, so every extract job of a book stores
 * its entries and joins under one lock per book (`lockBookEntries`), for its own page and the page after it:
 * whichever of the two pages is read last makes the join, and a re-run of either redoes it the same way
 * (machine values only; what a person verified stays). A continuation with no entry to join once its book
 * has settled (the page before is missing, unreadable or gave no entry) is raised as a book issue.
 */
import type { ExtractedField } from '../../schemas/entries.ts';
import { upsertMachineField } from '../db/entries.ts';
import type { Sql } from '../db/sql.ts';
import type { PageContinuation } from './extract.ts';
import type { PixelBox } from './words.ts';

/** Advisory lock namespace (with the book id) under which a book's entries are stored and joined. */
const BOOK_ENTRIES_LOCK = 2;
/** How many pages after a page a second scan of it may be delivered (src/samples/faults.ts puts it up to 3 later). */
const RESCAN_REACH = 3;
/** Page statuses whose entries are stored. */
export const READ_STATUSES: ReadonlySet<string> = new Set(['extracted', 'matched', 'routed']);

type Region = { pageId: number; box: PixelBox }[];
interface BookPageRow {
  id: number;
  status: string;
  /** The year and number of its first entry, when read: a page whose first entry repeats an earlier page's is a second scan. */
  firstKey: string | null;
}
interface EntryRow {
  id: number;
  pageIds: number[];
  region: Region | null;
}

/** Serialises storing and joining a book's entries (until the caller's transaction ends). */
export async function lockBookEntries(sql: Sql, bookId: number): Promise<void> {
  await sql.query('select pg_advisory_xact_lock($1, $2::int)', [BOOK_ENTRIES_LOCK, bookId]);
}

/** Stores (or, when the page has none, removes) the continuation read at the top of a page. */
export async function saveContinuation(sql: Sql, page: { id: number; bookId: number }, continuation: PageContinuation | null): Promise<void> {
  if (!continuation) {
    await sql.query('delete from page_continuation where page_id = $1', [page.id]);
    return;
  }
  await sql.query(
    `insert into page_continuation (page_id, book_id, region, fields) values ($1, $2, $3, $4)
     on conflict (page_id) do update set region = excluded.region, fields = excluded.fields, updated_at = now()`,
    [page.id, page.bookId, continuation.region ? JSON.stringify(continuation.region) : null, JSON.stringify(continuation.fields)],
  );
}

/**
 * Joins the continuation at the top of `pageId` and those of the few pages after it (and any joined onto
 * this page's entries before); `pageId` has just been stored in this transaction (its status may not say
 * so yet). Call under `lockBookEntries`.
 */
export async function joinContinuationsAround(sql: Sql, bookId: number, pageId: number): Promise<void> {
  const pages = await sql.query<BookPageRow>(
    `select p.id, p.status,
            (select e.year || '/' || e.entry_no from entry e where e.page_id = p.id and e.entry_no is not null order by e.seq limit 1) as "firstKey"
       from page p join upload u on u.id = p.upload_id where p.book_id = $1 order by page_place(p.id)`,
    [bookId],
  );
  const at = pages.findIndex((p) => p.id === pageId);
  if (at < 0) return;
  const read = (p: BookPageRow) => p.id === pageId || READ_STATUSES.has(p.status);
  // the pages just after it too: a second scan of this page may lie between it and its next page, and only
  // now that this page is read can it be told for one; and any page joined onto this page's entries before
  const after = pages.slice(at + 1, at + 1 + RESCAN_REACH).map((p) => p.id);
  const joinedHere = await sql.query<{ pageId: number }>(
    'select c.page_id as "pageId" from page_continuation c join entry e on e.id = c.entry_id where e.page_id = $1', [pageId]);
  const again = new Set([pageId, ...after, ...joinedHere.map((c) => Number(c.pageId))]);
  for (const id of again) {
    const index = pages.findIndex((p) => p.id === id);
    if (index >= 0) await joinContinuation(sql, pages, index, read);
  }
}

/** A page scanned again: its first entry is the first entry of an earlier page. */
const isRescan = (pages: readonly BookPageRow[], at: number) => pages[at]!.firstKey !== null && pages.slice(0, at).some((p) => p.firstKey === pages[at]!.firstKey);

/**
 * The entry a continuation at `pages[at]` belongs to: the last entry of the nearest page before it that is
 * not a second scan. Null when that page is not read yet (its own job will join), or never will be, or has
 * no entry; null too for a continuation on a second scan, whose entry already has the first scan's.
 */
async function targetOf(sql: Sql, pages: readonly BookPageRow[], at: number, read: (p: BookPageRow) => boolean): Promise<EntryRow | null> {
  if (isRescan(pages, at)) return null;
  for (let i = at - 1; i >= 0; i--) {
    const page = pages[i]!;
    if (page.status === 'duplicate' || (read(page) && isRescan(pages, i))) continue;
    if (!read(page)) return null;
    // an entry keyed by hand is stored last whatever its place on the page (src/review/keying.ts): never the one continued
    const [last] = await sql.query<EntryRow>(`select id, page_ids as "pageIds", region from entry where page_id = $1 and keyed_by is null order by seq desc limit 1`, [page.id]);
    return last ?? null;
  }
  return null;
}

async function joinContinuation(sql: Sql, pages: readonly BookPageRow[], at: number, read: (p: BookPageRow) => boolean): Promise<void> {
  const pageId = pages[at]!.id;
  const [part] = await sql.query<{ region: PixelBox | null; fields: ExtractedField[] }>('select region, fields from page_continuation where page_id = $1', [pageId]);
  const target = part ? await targetOf(sql, pages, at, read) : null;
  // a join made before onto another entry (the page before was read again and now ends otherwise) is undone
  const stale = await sql.query<EntryRow>(
    `select id, page_ids as "pageIds", region from entry where $1 = any(page_ids) and page_id <> $1 and id is distinct from $2`,
    [pageId, target?.id ?? null],
  );
  for (const entry of stale) await unjoin(sql, entry, pageId);
  if (!part) return;
  await sql.query('update page_continuation set entry_id = $2, updated_at = now() where page_id = $1', [pageId, target?.id ?? null]);
  if (!target) return;
  // the continuation fills what the entry's first page lacks; a value read there stays
  const own = new Set((await sql.query<{ field: string }>(
    `select field from entry_field where entry_id = $1 and value is not null and page_id is distinct from $2`, [target.id, pageId])).map((r) => r.field));
  const fields = part.fields.filter((f) => !own.has(f.field));
  for (const f of fields) await upsertMachineField(sql, target.id, { ...f, pageId });
  await sql.query(
    `delete from entry_field where entry_id = $1 and page_id = $2 and source = 'machine' and status not in ('verified', 'unreadable') and not (field = any($3))`,
    [target.id, pageId, fields.map((f) => f.field)],
  );
  const order = new Map(pages.map((p, i) => [p.id, i]));
  const pageIds = [...new Set([...target.pageIds.map(Number), pageId])].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const region = [...(target.region ?? []).filter((r) => r.pageId !== pageId), ...(part.region ? [{ pageId, box: part.region }] : [])];
  await sql.query('update entry set page_ids = $2, region = $3, updated_at = now() where id = $1', [target.id, pageIds, JSON.stringify(region)]);
}

/** Takes a page's part off an entry it no longer continues: its machine fields there, and the page itself once nothing of it is left. */
async function unjoin(sql: Sql, entry: EntryRow, pageId: number): Promise<void> {
  await sql.query(`delete from entry_field where entry_id = $1 and page_id = $2 and source = 'machine' and status not in ('verified', 'unreadable')`, [entry.id, pageId]);
  const [kept] = await sql.query<{ n: number }>('select count(*)::int as n from entry_field where entry_id = $1 and page_id = $2', [entry.id, pageId]);
  if (kept!.n > 0) return;
  await sql.query('update entry set page_ids = array_remove(page_ids, $2::bigint), region = $3, updated_at = now() where id = $1',
    [entry.id, pageId, JSON.stringify((entry.region ?? []).filter((r) => r.pageId !== pageId))]);
}

/** Continuations of a settled book that joined no entry: for a person to place (book issue `orphan_continuation`). */
export async function orphanContinuations(sql: Sql, bookId: number): Promise<{ pageId: number; fields: number }[]> {
  return sql.query(
    `select c.page_id as "pageId", jsonb_array_length(c.fields)::int as fields from page_continuation c join page p on p.id = c.page_id
      where c.book_id = $1 and c.entry_id is null and p.status <> 'duplicate'`,
    [bookId],
  );
}
