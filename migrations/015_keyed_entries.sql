-- Entries extraction did not find (issue 6/7 "entry not read"). Extraction counts, per form page, the entry
-- blocks its printed labels show (src/extract/unread.ts); a page whose entries fall short of that count is a
-- book issue `entry_not_read`, and a verifier keys the missing entry by hand beside the page image.
alter table page add column entries_expected int;            -- entry blocks the page's printed labels show; null: not counted
alter table entry add column keyed_by text;                  -- account that keyed the entry by hand (not found by extraction)
