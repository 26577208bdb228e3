-- Two facing pages photographed as one image (a spread) are two page rows (issue 5): the clean stage that
-- finds the gutter keeps the left page on the image's row (part 0) and makes a row for the right page
-- (part 1) with the same original blob, its own clean image and a transform whose crop is its half, so
-- OCR, extraction, book checks, review and exports see two pages, and boxes map back onto the one scan.
-- Pages are ordered by (upload seq, file_index, part).
alter table page add column part smallint not null default 0 check (part in (0, 1));
alter table page drop constraint page_upload_id_file_index_key;
alter table page add constraint page_upload_file_part_key unique (upload_id, file_index, part);
