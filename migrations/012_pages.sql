-- Entries that continue on the next page (issue 6). Extraction stores, per page, the top part that holds
-- no entry start (only the last rows of an entry begun at the foot of the previous page); a book-level join
-- (src/extract/continued.ts) adds its fields, with this page and their boxes, to that entry as soon as both
-- pages are read, whichever is read first. The entry then lists both pages in page_ids and region.
create table page_continuation (
  page_id     bigint primary key references page(id) on delete cascade,
  book_id     bigint not null references book(id),
  region      jsonb,                                            -- [x, y, w, h] on this page's cleaned image
  fields      jsonb not null default '[]',                      -- ExtractedField[] (schemas/entries.ts), each on this page
  entry_id    bigint references entry(id) on delete set null,   -- the entry it continues; null while none is known
  updated_at  timestamptz not null default now()
);
create index page_continuation_book on page_continuation (book_id);
create index page_continuation_entry on page_continuation (entry_id);
