import type { Sql } from '../db/sql.ts';

/**
 * What the lookup statements read (src/api/records.ts, clients.ts, search.ts), most used first: the small
 * indexes every request touches, the search indexes, the index that finds an entry's fields, then the rows
 * themselves. Names that do not exist (yet) are passed over.
 */
export const LOOKUP_RELATIONS = [
  'api_client_token_sha256_key', 'api_rate_pkey', 'api_client', 'api_rate',
  'registry_office_pkey', 'registry_office', 'book_pkey', 'book', 'page_pkey', 'book_issue_rescan_page',
  'entry_field_id_number', 'entry_field_birth_date', 'entry_field_person_name_fold', 'entry_book',
  'entry_public_id', 'entry_pkey', 'match_candidate_entry', 'match_candidate_other', 'entry_event_entry',
  'entry_field_entry_id_field_key', 'entry', 'entry_field', 'entry_event',
] as const;

export interface Prewarm {
  /** Relations read, and those left out because the cache budget was spent. */
  relations: string[];
  skipped: string[];
  megabytes: number;
  /** PostgreSQL's `effective_cache_size`: how much of the OS cache the database may count on. */
  budgetMegabytes: number;
  seconds: number;
}

/**
 * Reads what the lookup API reads into the OS page cache (pg_prewarm in `read` mode, migration 013), in
 * the order of LOOKUP_RELATIONS, as long as the total stays within `effective_cache_size`: the cache a
 * running service would have filled anyway after its first minutes of requests, filled at start so the
 * first requests after a restart (or after bulk work pushed the pages out) do not wait for the disk. At
 * 10^6 records that is about 2.3 GB (indexes 0.5 GB); at 10^7 the budget keeps the indexes first.
 *
 * @example void prewarmLookupData(db).then((p) => log.info({ mb: p.megabytes, s: p.seconds }, 'lookup data prewarmed'));
 */
export async function prewarmLookupData(sql: Sql): Promise<Prewarm> {
  const started = performance.now();
  const [setting] = await sql.query<{ budget: string }>(`select pg_size_bytes(current_setting('effective_cache_size')) as budget`);
  const budget = Number(setting!.budget);
  const sizes = await sql.query<{ name: string; bytes: string }>(
    `select r.name, pg_relation_size(to_regclass(r.name)) as bytes
       from unnest($1::text[]) with ordinality as r(name, n) where to_regclass(r.name) is not null order by r.n`,
    [[...LOOKUP_RELATIONS]],
  );
  const relations: string[] = [];
  const skipped: string[] = [];
  let bytes = 0;
  for (const { name, bytes: size } of sizes) {
    if (bytes + Number(size) > budget) {
      skipped.push(name);
      continue;
    }
    await sql.query(`select pg_prewarm(to_regclass($1), 'read')`, [name]);
    relations.push(name);
    bytes += Number(size);
  }
  const mb = (n: number) => Math.round(n / 1_048_576);
  return { relations, skipped, megabytes: mb(bytes), budgetMegabytes: mb(budget), seconds: Math.round((performance.now() - started) / 100) / 10 };
}
