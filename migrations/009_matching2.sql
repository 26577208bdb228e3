-- Matching, second part (issue 7): trust of scanned fields, m/u estimated from the data with their version,
-- and candidate family links across registers.

-- The entry's fields matching does not trust (machine-read, not verified, below routing's acceptance):
-- they cannot vouch for a link (src/match/trust.ts).
alter table entry_match_key add column unsure text[] not null default '{}';

-- m/u estimated from the data (EM over candidate pairs, u from random pairs: src/match/train.ts), one row
-- per version. The active one scores new matching; every pair names the version that scored it
-- (match_candidate.model), so an old decision can always be explained with the weights it used.
create table match_model (
  version     text primary key,                  -- 'em-' and a hash of the m/u
  mu          jsonb not null,                    -- comparison → level → [m, u]
  trained     jsonb not null,                    -- what it was estimated from: pair counts, λ, iterations
  active      boolean not null default false,
  created_at  timestamptz not null default now()
);
create unique index match_model_active on match_model (active) where active;

-- Candidate family links across registers (src/match/family.ts): a child's birth ↔ the parents' marriage,
-- a birth ↔ the same person's death. Found by the match stage from a scanned entry, with an existing
-- record or another scanned entry (then entry_id < other_entry_id); replaced on every run of matching.
-- Candidates to look at, never merges.
create table family_link (
  id                  bigserial primary key,
  kind                text not null check (kind in ('parents_marriage', 'same_person_death')),
  entry_id            bigint not null references entry(id) on delete cascade,
  existing_record_id  bigint references existing_record(id) on delete cascade,
  other_entry_id      bigint references entry(id) on delete cascade,
  score               real not null,             -- log2 odds, as match_candidate.score
  explanation         jsonb not null,            -- [{ comparison, level, weight }]
  model               text not null,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  check (num_nonnulls(existing_record_id, other_entry_id) = 1),
  check (other_entry_id is null or entry_id < other_entry_id)
);
create unique index family_link_existing on family_link (entry_id, existing_record_id) where existing_record_id is not null;
create unique index family_link_entries on family_link (entry_id, other_entry_id) where other_entry_id is not null;
create index family_link_other on family_link (other_entry_id) where other_entry_id is not null;
create index family_link_record on family_link (existing_record_id) where existing_record_id is not null;

-- Blocking lookups read a GIN index for every entry matched. With GIN's fast update, new keys wait in a
-- pending list that every lookup scans whole (11 ms per lookup after a bulk import, measured at 3·10^4
-- records): entry keys, written one entry at a time between lookups, go straight into the tree; existing
-- records keep the fast bulk insert and import-existing cleans the list when a file is in.
alter index entry_match_key_block_keys set (fastupdate = off);
