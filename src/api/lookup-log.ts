import type { Sql } from '../db/sql.ts';

export interface LookupLogEntry {
  clientId: number | null;
  procedureCode: string | null;
  caseRef: string | null;
  route: string;
  query: unknown;
  outcome: 'found' | 'none' | 'ambiguous' | 'refused';
  status: number;
  code: string | null;
  recordIds: string[];
  ms: number;
}

const valuesOf = (entry: Omit<LookupLogEntry, 'recordIds'>) => [
  entry.clientId, entry.procedureCode, entry.caseRef, entry.route, JSON.stringify(entry.query ?? {}), entry.outcome, entry.status, entry.code, Math.round(entry.ms),
];

/** Records one request, answered or refused. The query is kept here (the audit trail), never in application logs. */
export async function recordLookup(sql: Sql, entry: LookupLogEntry): Promise<void> {
  await sql.query(
    `insert into lookup_log (client_id, procedure_code, case_ref, route, query, outcome, status, code, ms, record_ids)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [...valuesOf(entry), entry.recordIds],
  );
}

/**
 * The same insert as a `with` clause to put in front of the statement that reads the records served
 * (parameters `$<first>` on), their public ids taken from the entries in `$<entryIdsParam>`: the answer and
 * its log row are one statement, so a lookup costs no extra round trip and no record leaves unlogged.
 */
export function lookupLogWith(entry: Omit<LookupLogEntry, 'recordIds'>, entryIdsParam: number, first: number): { sql: string; values: unknown[] } {
  const p = (i: number) => `$${first + i}`;
  return {
    sql: `with logged as (
      insert into lookup_log (client_id, procedure_code, case_ref, route, query, outcome, status, code, ms, record_ids)
      values (${[0, 1, 2, 3, 4, 5, 6, 7, 8].map(p).join(', ')},
              (select coalesce(array_agg(l.public_id), '{}') from entry l where l.id = any($${entryIdsParam}::bigint[]))))`,
    values: valuesOf(entry),
  };
}
