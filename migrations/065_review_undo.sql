-- A verifier may take back their own last decision on a field (src/review/undo.ts): the field as it stood before
-- the decision is kept with the decision, so the undo can put it back. Values live here, never in the audit detail.
-- Null for skips (nothing to put back) and for decisions made before this column.
alter table review_decision add column field_before jsonb;
