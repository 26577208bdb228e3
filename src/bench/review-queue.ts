/**
 * The review queues at a district's size: how long a verifier waits for the next entry (field review) and the next
 * pair (match review) when hundreds of thousands of items are open and the audit log holds millions of events. Both
 * claims ask "the highest-priority item this person may take"; migration 064 gives them indexes in that order. The
 * bench measures the claims with those indexes, then drops them in its scratch database and measures again, so the
 * two figures come from one run on one machine.
 */
import { createScratchDatabase } from '../db/scratch.ts';
import type { Database } from '../db/sql.ts';
import { claimMatch } from '../review/matches.ts';
import { claimNextEntry } from '../review/queue.ts';
import { percentile, round } from './lookup.ts';
import type { Account } from '../auth/accounts.ts';

export interface ReviewQueueSize {
  /** Entries in the archive; each has five fields held for review, two in three still open, and one in four a candidate pair. */
  entries: number;
  /** Claims timed per queue and per index layout, each by a verifier of its own (a held lease would be given back). */
  claims: number;
}

interface Latency { p50ms: number; p95ms: number }
/** Claims timed: a verifier's next entry and next pair, and both asked by a verifier whose office has nothing open. */
interface Claims { field: Latency; match: Latency; nothingOpen: { fieldMs: number; matchMs: number } }

export interface ReviewQueueBench {
  entries: number;
  openFieldItems: number;
  openMatchPairs: number;
  auditEvents: number;
  seedSeconds: number;
  claims: number;
  field: Latency;
  match: Latency;
  /** A verifier of an office with nothing open: the claim reads the queue to its end and finds nothing. */
  nothingOpen: { fieldMs: number; matchMs: number };
  /** The same claims after dropping migration 064's indexes: what the queues cost before them. */
  withoutQueueIndexes: Claims;
}

const OFFICES = 10;
const ENTRIES_PER_BOOK = 200;
const ENTRIES_PER_PAGE = 5;
/** Fields a birth entry often holds for review (a name, a date, a place, the parents). */
const REVIEWED_FIELDS = ['fullName', 'birthDate', 'birthPlace', 'fatherName', 'motherName'];
const AUDIT_EVENTS_PER_ENTRY = 10;


export async function benchReviewQueue(serverUrl: string, size: ReviewQueueSize, say: (line: string) => void): Promise<ReviewQueueBench> {
  const scratch = await createScratchDatabase(serverUrl, 'civreg_bench_review');
  try {
    const db = scratch.db;
    const started = performance.now();
    say(`review queue: seeding ${size.entries} entries`);
    await seed(db, size.entries);
    const seedSeconds = Math.round((performance.now() - started) / 100) / 10;
    const [counts] = await db.query<{ field: number; match: number; audit: number }>(
      `select (select count(*)::int from review_item where kind = 'field' and status = 'open') as field,
              (select count(*)::int from review_item where kind = 'match' and status = 'open') as match,
              (select count(*)::int from audit_event) as audit`,
    );
    const verifiers = await createVerifiers(db, size.claims * 2);
    const idle = await createIdleVerifier(db);
    const withIndexes = await timeClaims(db, verifiers.slice(0, size.claims), idle);
    say(`review queue: field claim p50 ${withIndexes.field.p50ms} ms, match claim p50 ${withIndexes.match.p50ms} ms`);
    await db.query('drop index review_item_field_queue, review_item_match_queue, audit_event_match_undo');
    await db.query('analyze review_item, audit_event');
    const withoutQueueIndexes = await timeClaims(db, verifiers.slice(size.claims), idle);
    say(`review queue without its indexes: field claim p50 ${withoutQueueIndexes.field.p50ms} ms, match claim p50 ${withoutQueueIndexes.match.p50ms} ms`);
    return {
      entries: size.entries,
      openFieldItems: counts!.field,
      openMatchPairs: counts!.match,
      auditEvents: counts!.audit,
      seedSeconds,
      claims: size.claims,
      ...withIndexes,
      withoutQueueIndexes,
    };
  } finally {
    await scratch.drop();
  }
}

/**
 * Offices, books, pages and entries, their field items (a third already decided) and candidate pairs against
 * existing records, and an audit log in which one event in a thousand is a taken-back match decision.
 */
async function seed(db: Database, entries: number): Promise<void> {
  const books = Math.ceil(entries / ENTRIES_PER_BOOK);
  const pages = Math.ceil(entries / ENTRIES_PER_PAGE);
  const pairs = Math.floor(entries / 4);
  await db.transaction(async (tx) => {
    await tx.query(`insert into registry_office (code, name) select 'bench-' || g, 'Bench office ' || g from generate_series(1, $1) g`, [OFFICES]);
    await tx.query(
      `insert into book (office_id, register_type, book_no, year_from, year_to)
       select (select min(id) from registry_office) + g % $2, 'birth', g::text, 1990 + g % 30, 1990 + g % 30 from generate_series(1, $1) g`,
      [books, OFFICES],
    );
    await tx.query(
      `insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by, status)
       select id, 1, 'bench.tif', repeat('0', 64), 0, 'bench', 'ingested' from book`,
    );
    await tx.query(
      `insert into page (book_id, upload_id, file_index, label, status)
       select u.book_id, u.id, g, 'p' || g, 'routed'
         from upload u cross join generate_series(1, $1) g`,
      [ENTRIES_PER_BOOK / ENTRIES_PER_PAGE],
    );
    await tx.query(
      `insert into entry (book_id, page_id, seq, year, entry_no, register_type, status)
       select p.book_id, p.id, s, b.year_from, p.file_index * $1 + s, 'birth', 'needs_review'
         from page p join book b on b.id = p.book_id cross join generate_series(1, $1) s
        order by p.id, s limit $2`,
      [ENTRIES_PER_PAGE, Math.min(entries, pages * ENTRIES_PER_PAGE)],
    );
    await tx.query(
      `insert into entry_field (entry_id, field, raw, value, page_id, confidence, status, reasons)
       select e.id, f, 'x', 'x', e.page_id, 0.5, 'review', '{low_confidence}' from entry e cross join unnest($1::text[]) f`,
      [REVIEWED_FIELDS],
    );
    await tx.query(
      `insert into review_item (kind, entry_id, field, status, priority)
       select 'field', entry_id, field, case when (id % 3) = 0 then 'done' else 'open' end, (entry_id * 7 + id) % 10 from entry_field`,
    );
    await tx.query(
      `insert into existing_record (source_id, register_type, fields, source_file, source_row, content_hash, block_keys)
       select 'bench-' || g, 'birth', '{}', 'bench.csv', g, md5(g::text), '{}' from generate_series(1, $1) g`,
      [pairs],
    );
    await tx.query(
      `insert into match_candidate (entry_id, existing_record_id, score, probability, explanation, decision, model)
       select e.id, r.id, 5, 0.6, '[]', 'review', 'bench'
         from (select id, row_number() over (order by id) n from entry) e join (select id, row_number() over (order by id) n from existing_record) r on r.n = e.n`,
    );
    await tx.query(
      `insert into review_item (kind, entry_id, match_candidate_id, status, priority)
       select 'match', entry_id, id, 'open', id % 10 from match_candidate`,
    );
    await tx.query(
      `insert into audit_event (actor, action, object_type, object_id, detail)
       select 'clerk' || g % 50, case when g % 1000 = 0 then 'match_undo' else 'review_claim' end,
              case when g % 1000 = 0 then 'match_candidate' else 'entry' end, (g % $2)::text, '{"undone": "same"}'
         from generate_series(1, $1) g`,
      [entries * AUDIT_EVENTS_PER_ENTRY, pairs],
    );
  });
  await db.query('analyze');
}

/** Verifiers of one office each (a tenth of the archive), as a district's office would have. */
async function createVerifiers(db: Database, count: number): Promise<Account[]> {
  const offices = await db.query<{ id: number }>('select distinct office_id as id from book order by 1');
  const accounts: Account[] = [];
  for (let i = 0; i < count; i++) {
    const officeId = offices[i % offices.length]!.id;
    const [row] = await db.query<{ id: number }>(
      `insert into account (name, role, password_hash) values ($1, 'verifier', 'bench-no-login') returning id`, [`bench-verifier-${i}`]);
    await db.query('insert into account_office (account_id, office_id) values ($1, $2)', [row!.id, officeId]);
    accounts.push({ id: row!.id, name: `bench-verifier-${i}`, role: 'verifier', allOffices: false, officeIds: [officeId] } as Account);
  }
  return accounts;
}

/** A verifier of an office of its own, with no books yet. */
async function createIdleVerifier(db: Database): Promise<Account> {
  const [office] = await db.query<{ id: number }>(`insert into registry_office (code, name) values ('bench-idle', 'Bench office with nothing open') returning id`);
  const [row] = await db.query<{ id: number }>(`insert into account (name, role, password_hash) values ('bench-idle-verifier', 'verifier', 'bench-no-login') returning id`);
  await db.query('insert into account_office (account_id, office_id) values ($1, $2)', [row!.id, office!.id]);
  return { id: row!.id, name: 'bench-idle-verifier', role: 'verifier', allOffices: false, officeIds: [office!.id] } as Account;
}

async function timeClaims(db: Database, verifiers: Account[], idle: Account): Promise<Claims> {
  const field: number[] = [];
  const match: number[] = [];
  for (const verifier of verifiers) {
    let t = performance.now();
    if (!(await claimNextEntry(db, verifier))) throw new Error('review queue bench: a field claim found nothing');
    field.push(performance.now() - t);
    t = performance.now();
    if (!(await claimMatch(db, verifier))) throw new Error('review queue bench: a match claim found nothing');
    match.push(performance.now() - t);
  }
  const latency = (ms: number[]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return { p50ms: round(percentile(sorted, 50)), p95ms: round(percentile(sorted, 95)) };
  };
  let t = performance.now();
  if (await claimNextEntry(db, idle)) throw new Error('review queue bench: an office with nothing open gave an entry');
  const fieldMs = round(performance.now() - t);
  t = performance.now();
  if (await claimMatch(db, idle)) throw new Error('review queue bench: an office with nothing open gave a pair');
  const matchMs = round(performance.now() - t);
  return { field: latency(field), match: latency(match), nothingOpen: { fieldMs, matchMs } };
}
