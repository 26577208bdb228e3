-- A file refused whole at ingest stays among its book's problems until it is delivered again or staff mark it
-- handled (dismissed): who and when, so that the book page lists it as settled and stops counting it.
alter table upload add column dismissed_by text, add column dismissed_at timestamptz;
