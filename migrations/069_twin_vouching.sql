-- How a machine value its own reading left unsure came to be accepted with no reason (src/extract: `twin_on_page`,
-- `closed_list`, `readings_agree`); null when its own reading was sure. Only values sure from their own reading vouch
-- for a copy elsewhere in the book (src/extract/book-twins.ts), so acceptance never chains.
alter table entry_field add column confirmed_by text;
-- The value that vouched for one accepted as its twin in the book (`twin_in_book`), or drawn for the audit sample among
-- them: when the twin no longer stands with the same value, the copy goes back to a person.
alter table entry_field add column twin_field_id bigint references entry_field(id) on delete set null;
create index entry_field_twin on entry_field (twin_field_id) where twin_field_id is not null;
