-- Registers of changes and corrections (sổ đăng ký thay đổi, cải chính hộ tịch) are books of their own (issue 6):
-- each entry refers to an entry of another book, and becomes an event on that entry once the reference is
-- resolved (src/extract/changes.ts).
alter table book drop constraint book_register_type_check;
alter table book add constraint book_register_type_check check (register_type in ('birth', 'marriage', 'death', 'recognition', 'guardianship', 'change', 'other'));
alter table entry drop constraint entry_register_type_check;
alter table entry add constraint entry_register_type_check check (register_type in ('birth', 'marriage', 'death', 'recognition', 'guardianship', 'change', 'other'));

-- An event made by an entry of a register of changes (not by a note in the entry's own margin).
alter table entry_event add column source_entry_id bigint references entry(id) on delete cascade;
create index entry_event_source on entry_event (source_entry_id) where source_entry_id is not null;

-- How each entry of a register of changes was tied to the entry it changes: resolved (an event on the target) or
-- held for a person with a reason (schemas/entries.ts CHANGE_REASONS). The reference as read is kept folded so
-- that a book arriving later finds the changes waiting for it.
create table change_reference (
  entry_id        bigint primary key references entry(id) on delete cascade,
  ref_type        text,
  ref_office      text,                                         -- folded, without the authority's name
  ref_book_no     text,                                         -- without leading zeros or "/year"
  ref_year        int,
  ref_entry_no    int,
  status          text not null check (status in ('resolved', 'review')),
  reason          text,
  target_entry_id bigint references entry(id) on delete set null,
  confidence      real not null default 0,
  updated_at      timestamptz not null default now()
);
create index change_reference_waiting on change_reference (ref_type, ref_book_no, ref_year, ref_entry_no) where status = 'review';
