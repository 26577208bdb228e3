-- A supervisor's tie (src/review/change-ties.ts) names the original as they found it: its register, office, book,
-- year and number (ref_*, the office by id), and the change's own number then. The tie stands while the original
-- is still that entry and the change still that change; a re-run of extraction that moved either undoes it.
alter table change_reference add column ref_office_id bigint references registry_office(id);
alter table change_reference add column change_entry_no int;
-- One change makes one event (the machine's or a supervisor's), whatever runs at the same time.
create unique index entry_event_one_per_change on entry_event (source_entry_id) where source_entry_id is not null;
drop index entry_event_source;
