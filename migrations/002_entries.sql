-- Register entries and their fields (issue 6), review items, marginal-note events and book issues.
-- An entry is keyed by its first page and its position there, so re-running extraction replaces the
-- machine's values without losing what a person decided.

alter table entry
  add column seq            int not null default 0,              -- position among the entries starting on page_id
  add column entry_no_confidence real not null default 0,         -- how sure the entry number is (book checks use sure ones)
  add column page_ids       bigint[] not null default '{}',      -- every page the entry covers, in order
  add column era            text,
  add column struck         boolean not null default false,
  add column template       text,                                -- extraction template, e.g. 'birth/2016-'
  add column extract_version text;
alter table entry drop constraint entry_status_check;
alter table entry add constraint entry_status_check
  check (status in ('extracted', 'needs_review', 'verified', 'struck'));
create unique index entry_page_seq on entry (page_id, seq);

-- The page number printed on the page ("Trang 103"), read by extraction: a jump between delivered pages is a missing page.
alter table page add column printed_page_no int;

-- One field of one entry. `value` is the normal form of EVALUATION.md; `raw` what was read.
create table entry_field (
  id            bigserial primary key,
  entry_id      bigint not null references entry(id) on delete cascade,
  field         text not null,
  raw           text,
  value         text,
  precision     text check (precision in ('day', 'month', 'year')),
  page_id       bigint references page(id),
  box           jsonb,                                          -- [x, y, w, h] on the cleaned page
  confidence    real not null default 0,
  source        text not null default 'machine' check (source in ('machine', 'verifier', 'existing_record', 'supervisor')),
  status        text not null check (status in ('pending', 'auto_accepted', 'review', 'verified', 'unreadable')),  -- pending: extracted, not routed yet
  reasons       text[] not null default '{}',                   -- why it went to review (schemas/entries.ts)
  audit_sample  boolean not null default false,                 -- auto-accepted but drawn for the random audit
  machine_value text,                                           -- kept when a person replaces the value
  conflict_value text,                                          -- a re-run's machine value that differs from a verified one: shown, not applied
  verified_by   text,
  verified_at   timestamptz,
  updated_at    timestamptz not null default now(),
  unique (entry_id, field)
);
create index entry_field_review on entry_field (status) where status = 'review';

-- Work for people: one field to check, or a candidate match to decide. Claimed by one verifier at a time.
create table review_item (
  id             bigserial primary key,
  kind           text not null check (kind in ('field', 'match')),
  entry_id       bigint not null references entry(id) on delete cascade,
  field          text,
  priority       int not null default 0,                        -- higher first
  status         text not null default 'open' check (status in ('open', 'claimed', 'done', 'arbitration', 'cancelled')),
  claimed_by     text,
  claimed_until  timestamptz,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create unique index review_item_open_field on review_item (entry_id, field) where kind = 'field' and status in ('open', 'claimed', 'arbitration');
create index review_item_queue on review_item (status, priority desc, id);

-- A dated change written in the margin or Ghi chú (correction, change of name, divorce, …).
create table entry_event (
  id          bigserial primary key,
  entry_id    bigint not null references entry(id) on delete cascade,
  kind        text not null,
  field       text,
  old_value   text,
  new_value   text,
  event_date  text,                                             -- ISO with precision
  raw         text not null,
  source      text not null default 'machine',
  created_at  timestamptz not null default now()
);
create index entry_event_entry on entry_event (entry_id);

-- Problems of a whole book found by the book checks, each pointing at a page or entry.
create table book_issue (
  id          bigserial primary key,
  book_id     bigint not null references book(id),
  kind        text not null,                                    -- schemas/entries.ts BOOK_ISSUE_KINDS
  year        int,
  page_id     bigint references page(id),
  entry_id    bigint references entry(id) on delete set null,
  detail      jsonb not null default '{}',
  status      text not null default 'open' check (status in ('open', 'resolved', 'dismissed')),
  created_at  timestamptz not null default now()
);
create index book_issue_book on book_issue (book_id, status);
