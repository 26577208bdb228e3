/**
 * What a verifier's decision on a field replaces, kept with the decision (review_decision.field_before) so that the
 * verifier can take it back (src/review/undo.ts): the field's value and state, and what settling the entry derives
 * from it (its number, its year, its status). Kept in the table, never in the audit detail (personal values).
 */
export interface FieldBefore {
  value: string | null;
  precision: string | null;
  status: string;
  source: string;
  machineValue: string | null;
  conflictValue: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  entryNo: number | null;
  year: number | null;
  entryStatus: string;
}

/** SQL: the FieldBefore of field `$6` of entry `$5`, as one jsonb value. */
export const FIELD_BEFORE_SQL = `select jsonb_build_object('value', f.value, 'precision', f.precision, 'status', f.status, 'source', f.source,
    'machineValue', f.machine_value, 'conflictValue', f.conflict_value, 'verifiedBy', f.verified_by, 'verifiedAt', f.verified_at,
    'entryNo', e.entry_no, 'year', e.year, 'entryStatus', e.status)
  from entry_field f join entry e on e.id = f.entry_id where f.entry_id = $5 and f.field = $6`;
