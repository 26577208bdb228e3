-- A book issue a person handled (src/review/book-issues.ts): resolved (the problem was put right, e.g. the missing
-- page scanned) or dismissed (not a problem of the book). Who did it and why are kept; the book checks never raise
-- a handled issue again.
alter table book_issue add column handled_by bigint references account(id);
alter table book_issue add column handled_at timestamptz;
alter table book_issue add column handled_note text;
