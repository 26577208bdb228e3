-- A page held for a rescan (`needs_rescan`) whose rescan is in the book: `replaced`, so that it leaves the book's
-- problems, keeping its reasons, quality and image as history. `replaced_by` is the page that took its place, set when
-- a page uploaded late is placed where the held page lies (src/extract/page-place.ts); `replacement` who marked it
-- and when ({ by, at, note }: by hand on the held page's screen, or 'civreg' when placed).
alter table page drop constraint page_status_check;
alter table page add constraint page_status_check
  check (status in ('ingested', 'cleaned', 'ocr_done', 'extracted', 'matched', 'routed',
                    'rejected', 'duplicate', 'failed', 'blank', 'needs_rescan', 'replaced'));
alter table page add column replaced_by bigint references page(id) on delete set null;
alter table page add column replacement jsonb;
