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
