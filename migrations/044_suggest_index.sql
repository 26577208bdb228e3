-- Suggestions while a verifier types a name (src/review/suggest.ts SUGGEST_NAMES_SQL) look verified values up by
-- their lower-cased beginning on every keystroke: without this index each keystroke read every verified field.
-- text_pattern_ops: the cluster's collation (C.UTF-8) is not "C", so a plain index would not serve LIKE 'abc%'.
create index entry_field_verified_prefix on entry_field (field, lower(value) text_pattern_ops)
  where status = 'verified' and value is not null;
