-- The last page number printed on a page image: two facing pages photographed as one image and not split
-- show two ("Trang 110", "Trang 111"); the book checks must not take the jump after them for a missing page.
alter table page add column printed_page_last int;
