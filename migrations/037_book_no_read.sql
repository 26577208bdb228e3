-- "Quyển số" as read on each entry of a form page: a page whose entries name another book of the register was
-- most likely filed into this book by mistake (src/extract/misfiled.ts).
alter table entry add column book_no_read text;
