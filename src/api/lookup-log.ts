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

/** Records one request, answered or refused. The query is kept here (the audit trail), never in application logs. */
export async function recordLookup(sql: Sql, entry: LookupLogEntry): Promise<void> {
  await sql.query(
    `insert into lookup_log (client_id, procedure_code, case_ref, route, query, outcome, status, code, record_ids, ms)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [entry.clientId, entry.procedureCode, entry.caseRef, entry.route, JSON.stringify(entry.query ?? {}), entry.outcome, entry.status, entry.code, entry.recordIds, Math.round(entry.ms)],
  );
}
