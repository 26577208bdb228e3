-- Pages uploaded into a book that already has its pages (a rescan, a page delivered late), marked by staff as they
-- upload: like a page moved in from another book (migration 050, page.place_by_numbers), each is placed where its
-- entry numbers go when they fill a gap (src/extract/page-place.ts), not at the end of the book.
alter table upload add column place_by_numbers boolean not null default false;
alter table upload_transfer add column place_by_numbers boolean not null default false;
