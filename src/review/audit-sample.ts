import { isCriticalField } from '../../schemas/corpus.ts';
import type { Sql } from '../db/sql.ts';
import { wilson95 } from '../eval/metrics/counts.ts';

/** Error budget of auto-accepted critical fields (EVALUATION.md): at most 0.3 % wrong. */
export const AUTO_ACCEPT_ERROR_BUDGET = 0.003;

export interface AuditSampleRow {
  era: string | null;
  field: string;
  /** Audit-sample fields a person has decided. */
  checked: number;
  /** Of those, how many the person changed: the machine would have let an error through. */
  errors: number;
  rate: number;
  upper95: number;
  critical: boolean;
  overBudget: boolean;
}

/**
 * Results of the random audit of auto-accepted fields: a sampled field is reviewed like any other, and
 * when the person's value differs from the machine's the auto-accept would have been an error. Per era and
 * field, with the Wilson upper bound; a critical field whose error rate exceeds the budget is flagged.
 */
export async function auditSampleResults(sql: Sql, scope: { all: boolean; officeIds: number[] }): Promise<AuditSampleRow[]> {
  const rows = await sql.query<{ era: string | null; field: string; checked: number; errors: number }>(
    `select e.era, f.field, count(*)::int as checked,
            count(*) filter (where f.status = 'unreadable' or f.value is distinct from f.machine_value)::int as errors
       from entry_field f join entry e on e.id = f.entry_id join book b on b.id = e.book_id
      where f.audit_sample and f.status in ('verified', 'unreadable') and f.source <> 'machine' and ($1 or b.office_id = any($2))
      group by e.era, f.field order by e.era nulls first, f.field`,
    [scope.all, scope.officeIds],
  );
  return rows.map((r) => {
    const rate = r.checked ? r.errors / r.checked : 0;
    const critical = isCriticalField(r.field);
    return { ...r, rate, upper95: wilson95(r.errors, r.checked).high, critical, overBudget: critical && rate > AUTO_ACCEPT_ERROR_BUDGET };
  });
}
