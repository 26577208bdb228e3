-- Matching (issue 7): records of the electronic civil-status database imported for matching, the comparison
-- and blocking keys of scanned entries, candidate pairs with their explanation and decision, and the
-- person's decision on a pair, which survives every re-run of matching.

-- One record of the electronic database, keyed by its id there, so importing a file again changes nothing.
create table existing_record (
  id             bigserial primary key,
  source_id      text not null unique,
  register_type  text not null check (register_type in ('birth', 'marriage', 'death')),
  fields         jsonb not null,                  -- repaired: NFC, legacy encodings converted, single spaces
  original       jsonb,                           -- the fields as the source held them, when repair changed any
  text_repair    text not null default 'unicode' check (text_repair in ('unicode', 'nfd', 'tcvn3', 'vni', 'mixed')),
  registered_at  text,                            -- the registering office as written (repaired)
  source_file    text not null,                   -- file name of the last import that changed the record
  source_row     int not null,
  content_hash   text not null,                   -- of the source row: unchanged rows are skipped on re-import
  -- comparison keys, computed at import (src/match/features.ts)
  name_key       text,                            -- folded subject name, regional surname variants merged
  birth_year     int,
  places         jsonb not null default '{}',     -- field → [today's province, district, commune] (gazetteer)
  block_keys     text[] not null,                 -- blocking keys; candidates share at least one
  imported_at    timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create index existing_record_block_keys on existing_record using gin (block_keys);
-- name_key and birth_year are for people browsing candidates; matching itself only uses block_keys.

-- The comparison and blocking keys of a scanned entry, written by the match stage from its fields.
create table entry_match_key (
  entry_id       bigint primary key references entry(id) on delete cascade,
  register_type  text not null,
  fields         jsonb not null,                  -- the field values compared (entry_field.value)
  places         jsonb not null default '{}',
  block_keys     text[] not null,
  updated_at     timestamptz not null default now()
);
create index entry_match_key_block_keys on entry_match_key using gin (block_keys);

-- A candidate pair: a scanned entry and an existing record, or two scanned entries (entry_id < other_entry_id).
-- The machine's score, explanation and decision are replaced on every run; a person's decision never is.
create table match_candidate (
  id                  bigserial primary key,
  entry_id            bigint not null references entry(id) on delete cascade,
  existing_record_id  bigint references existing_record(id) on delete cascade,
  other_entry_id      bigint references entry(id) on delete cascade,
  score               real not null,             -- match weight: sum of log2(m/u) over the comparisons, plus the prior
  probability         real not null,
  explanation         jsonb not null,            -- [{ comparison, level, weight }]
  decision            text not null check (decision in ('link', 'review', 'new')),
  guard               text,                      -- why a high score was not auto-linked (e.g. 'no_corroboration')
  model               text not null,             -- weights and thresholds that decided
  person_decision     text check (person_decision in ('same', 'different')),
  decided_by          text,
  decided_at          timestamptz,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  check (num_nonnulls(existing_record_id, other_entry_id) = 1),
  check (other_entry_id is null or entry_id < other_entry_id)
);
create unique index match_candidate_existing on match_candidate (entry_id, existing_record_id) where existing_record_id is not null;
create unique index match_candidate_entries on match_candidate (entry_id, other_entry_id) where other_entry_id is not null;
-- Plain (not partial) indexes: re-matching an entry finds its pairs on either side with `entry_id = $1 or other_entry_id = $1`.
create index match_candidate_entry on match_candidate (entry_id);
create index match_candidate_other on match_candidate (other_entry_id);
create index match_candidate_record on match_candidate (existing_record_id) where existing_record_id is not null;

-- A match review item names the pair to decide.
alter table review_item add column match_candidate_id bigint references match_candidate(id) on delete cascade;
create unique index review_item_open_match on review_item (match_candidate_id)
  where kind = 'match' and status in ('open', 'claimed', 'arbitration');
