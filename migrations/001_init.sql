-- civreg initial schema: offices, books, uploads, pages and their stage results, entries, blobs, audit.
create extension if not exists pg_trgm;
create extension if not exists unaccent;
create extension if not exists fuzzystrmatch;

create table registry_office (
  id          bigserial primary key,
  code        text not null unique,
  name        text not null,
  created_at  timestamptz not null default now()
);

create table book (
  id             bigserial primary key,
  office_id      bigint not null references registry_office(id),
  register_type  text not null check (register_type in ('birth', 'marriage', 'death', 'other')),
  book_no        text not null,
  year_from      int,
  year_to        int,
  era            text check (era in ('1956-1960', '1961-1998', '1999-2005', '2006-2015', '2016-')),
  created_at     timestamptz not null default now(),
  unique nulls not distinct (office_id, register_type, book_no, year_from)
);

-- Every stored byte string, content-addressed. The bytes live in the blob store under their hash.
create table blob (
  sha256          text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  bytes           bigint not null,
  media_type      text not null,
  created_at      timestamptz not null default now(),
  fixity_checked_at timestamptz,
  fixity_status   text not null default 'unchecked' check (fixity_status in ('unchecked', 'ok', 'mismatch', 'missing'))
);

create table upload (
  id            bigserial primary key,
  book_id       bigint not null references book(id),
  seq           int not null,                  -- delivery order within the book
  file_name     text not null,
  sha256        text not null,                 -- its bytes are in the blob store unless rejected before storing (file_too_large)
  bytes         bigint not null,
  kind          text,                          -- detected from content: pdf, tiff, jpeg, png, zip
  uploaded_by   text not null,
  status        text not null default 'received'
                check (status in ('received', 'ingested', 'partial', 'rejected', 'duplicate', 'failed')),
  reason        text,                          -- reason code when rejected/failed (schemas/reasons.ts)
  detail        text,
  warnings      text[] not null default '{}',
  duplicate_of  bigint references upload(id),
  page_count    int,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  unique (book_id, seq)
);
create index upload_sha256 on upload (sha256);

create table page (
  id              bigserial primary key,
  book_id         bigint not null references book(id),
  upload_id       bigint not null references upload(id),
  file_index      int not null,                -- position within the upload
  label           text not null,
  status          text not null
                  check (status in ('ingested', 'cleaned', 'ocr_done', 'extracted', 'matched', 'routed',
                                    'rejected', 'duplicate', 'failed')),
  reason          text,
  detail          text,
  original_sha256 text references blob(sha256),
  format          text check (format in ('jpeg', 'png')),
  width           int,
  height          int,
  dpi             real,
  dpi_estimated   boolean,
  colour_mode     text check (colour_mode in ('bilevel', 'grey', 'colour')),
  extraction      text check (extraction in ('image', 'embedded', 'rendered')),
  pixel_sha256    text,                        -- hash of the decoded greyscale pixels: same page, other file
  duplicate_of    bigint references page(id),
  clean_sha256    text references blob(sha256),
  clean_width     int,
  clean_height    int,
  clean_steps     text[],
  clean_transform jsonb,
  last_error      text,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  unique (upload_id, file_index)
);
create index page_book on page (book_id);
create index page_pixel_sha256 on page (pixel_sha256) where status <> 'duplicate';

-- Machine output of one stage for one page, replaced on every re-run (keyed by page and stage).
create table page_result (
  page_id        bigint not null references page(id),
  stage          text not null check (stage in ('ingest', 'clean', 'ocr', 'extract', 'match', 'route')),
  engine         text not null,                -- what produced it, e.g. 'tesseract.js 7.0.0 vie 4.0.0_best_int psm 3'
  outcome        text not null check (outcome in ('done', 'needs_review', 'rejected')),
  reason         text,
  produced_by    text not null,                -- worker instance (host:pid), for tracing runs
  run_count      int not null default 1,       -- how many committed runs replaced this result
  ms             int,
  updated_at     timestamptz not null default now(),
  primary key (page_id, stage)
);

create table page_ocr (
  page_id          bigint primary key references page(id),
  engine           text not null,
  text             text not null,
  mean_confidence  real not null,
  words            jsonb not null,             -- [{ text, confidence, box: [x, y, w, h], line }]
  lines            jsonb not null,
  updated_at       timestamptz not null default now()
);

create table entry (
  id             bigserial primary key,
  book_id        bigint not null references book(id),
  page_id        bigint not null references page(id),
  year           int,
  entry_no       int,
  register_type  text not null check (register_type in ('birth', 'marriage', 'death', 'other')),
  fields         jsonb not null default '{}',
  region         jsonb,
  status         text not null default 'extracted' check (status in ('extracted', 'needs_review', 'verified', 'struck')),
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create index entry_book on entry (book_id, year, entry_no);

-- Append-only record of who did what to which object (PREMIS-like event types).
create table audit_event (
  id           bigserial primary key,
  at           timestamptz not null default now(),
  actor        text not null,
  action       text not null,
  object_type  text not null,
  object_id    text not null,
  detail       jsonb not null default '{}'
);
create index audit_event_object on audit_event (object_type, object_id);

create function audit_event_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_event is append-only';
end $$;
create trigger audit_event_no_change before update or delete on audit_event
  for each statement execute function audit_event_append_only();
