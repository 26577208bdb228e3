-- Pages scanned twice, told by their pixels (issue 6, book checks; src/imaging/fingerprint.ts). The extract
-- stage stores each page's ink at a coarse grid; the book check compares a book's pages once they are all
-- read and keeps what it found here, so that a verifier's decision re-runs the checks without comparing again.
alter table page add column fingerprint bytea;
alter table page add column rescan_of bigint references page(id) on delete set null;
alter table page add column rescan_similarity real;
