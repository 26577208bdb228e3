-- Matching, second part (issue 7): trust of scanned fields, m/u estimated from the data with their version,
-- and candidate family links across registers.

-- The entry's fields matching does not trust (machine-read, not verified, below routing's acceptance):
-- they cannot vouch for a link (src/match/trust.ts).
alter table entry_match_key add column unsure text[] not null default '{}';
