-- A decision keeps the field as it stood before it (field_before, migration 065) only while the verifier may take it
-- back (src/review/undo.ts): each new decision drops the person's snapshots older than that. Only the few snapshots
-- still kept are in this index, so dropping them does not read the person's whole history.
create index review_decision_undo_window on review_decision (account_id, at) where field_before is not null;
