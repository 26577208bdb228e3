-- The changes tied to an entry (src/extract/changes.ts): found by the checks of the entry's book and when a person
-- settles the entry, and set to null when a re-run of extraction removes it (without an index, each entry removed
-- would read every change).
create index change_reference_target on change_reference (target_entry_id);
