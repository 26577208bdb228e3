-- The register a page's printed labels say it belongs to, when that is not its book's (src/extract/register-of-page.ts):
-- a page filed into a book of another register, raised by the book checks for staff to move.
alter table page add column register_read text;
