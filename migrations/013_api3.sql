-- Lookup API, third round (issue 9).
--
-- A page delivered twice (a rescan) is read twice, so its entries exist twice. The book checks name the later
-- copy in a `duplicate_page` issue; the entries of that copy are not served (src/api/records.ts
-- VERIFIED_ENTRY_SQL) unless a person dismisses the issue; that condition finds the issue through this index.
create index book_issue_rescan_page on book_issue (page_id) where kind = 'duplicate_page';

-- pg_prewarm: the lookup API reads its indexes into memory when it starts (src/api/prewarm.ts), so the first
-- requests after a restart, or after other work pushed them out of the cache, do not wait for the disk.
create extension if not exists pg_prewarm;
