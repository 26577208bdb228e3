-- Scan quality gate and viewing images (issue 5).
-- A page the gate finds blank is `blank` (not read, not an error); one that cannot be read well is
-- `needs_rescan` with its reason code (low_resolution, blurred, too_dark, low_contrast, cut_off).
alter table page drop constraint page_status_check;
alter table page add constraint page_status_check
  check (status in ('ingested', 'cleaned', 'ocr_done', 'extracted', 'matched', 'routed',
                    'rejected', 'duplicate', 'failed', 'blank', 'needs_rescan'));

alter table page
  add column quality        jsonb,                        -- the gate's measurements: { dpi, paper, contrast, letterInk, blurMm, cutSides, verdict }
  add column rescan_reasons text[],                       -- every reason found; `reason` holds the first
  add column view_sha256    text references blob(sha256), -- JPEG, long side at most 2000 px, of the delivered image
  add column view_width     int,
  add column view_height    int;

create index page_needs_rescan on page (book_id) where status = 'needs_rescan';
