-- Workbench (issue 8): accounts, sessions, login throttling, review decisions with timings, and chunked
-- uploads in progress.

-- A person who signs in. One role each; scoped to the registry offices they work for.
create table account (
  id             bigserial primary key,
  name           text not null unique,                   -- login name
  role           text not null check (role in ('staff', 'verifier', 'supervisor', 'admin')),
  password_hash  text not null,                          -- 'scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>'
  all_offices    boolean not null default false,         -- works for every office (e.g. the first admin)
  disabled       boolean not null default false,
  created_at     timestamptz not null default now()
);

create table account_office (
  account_id  bigint not null references account(id) on delete cascade,
  office_id   bigint not null references registry_office(id),
  primary key (account_id, office_id)
);

-- A signed-in browser. Only the SHA-256 of the cookie's token is stored, so a leaked table signs no one in.
create table account_session (
  token_hash    text primary key check (token_hash ~ '^[0-9a-f]{64}$'),
  account_id    bigint not null references account(id) on delete cascade,
  created_at    timestamptz not null default now(),
  last_seen_at  timestamptz not null default now(),
  expires_at    timestamptz not null
);
create index account_session_account on account_session (account_id);

-- Every sign-in attempt, for the rate limit (per name and per address) and for the record.
create table login_attempt (
  id     bigserial primary key,
  name   text not null,
  ip     text not null,
  ok     boolean not null,
  at     timestamptz not null default now()
);
create index login_attempt_name on login_attempt (name, at) where not ok;
create index login_attempt_ip on login_attempt (ip, at) where not ok;

-- What a person did with a review item, and how long it took them (time per field, items per hour).
create table review_decision (
  id              bigserial primary key,
  review_item_id  bigint not null references review_item(id) on delete cascade,
  account_id      bigint not null references account(id),
  action          text not null check (action in ('accept', 'correct', 'existing', 'unreadable', 'skip', 'same', 'different', 'unsure')),
  ms              int check (ms >= 0),                     -- time the field had the focus
  at              timestamptz not null default now()
);
create index review_decision_account on review_decision (account_id, at);
create index review_decision_item on review_decision (review_item_id);

-- A large file arriving in chunks from the browser; resumable from `received` bytes.
create table upload_transfer (
  id          uuid primary key,
  account_id  bigint not null references account(id),
  book_id     bigint not null references book(id),
  file_name   text not null,
  bytes       bigint not null check (bytes >= 0),
  received    bigint not null default 0,
  status      text not null default 'receiving' check (status in ('receiving', 'done', 'failed')),
  upload_id   bigint references upload(id),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

-- Blind double keying: each of two verifiers types a hand-written field without seeing the machine's
-- reading or the other's keying. Agreement verifies the field; disagreement goes to a supervisor.
create table review_keying (
  id              bigserial primary key,
  review_item_id  bigint not null references review_item(id) on delete cascade,
  account_id      bigint not null references account(id),
  value           text,                                     -- normal form; null when keyed unreadable
  precision       text check (precision in ('day', 'month', 'year')),
  unreadable      boolean not null default false,
  ms              int check (ms >= 0),
  at              timestamptz not null default now(),
  unique (review_item_id, account_id)
);

-- A supervisor's correction of a value a person already verified: never silent, always with a reason.
create table field_correction (
  id           bigserial primary key,
  entry_id     bigint not null references entry(id) on delete cascade,
  field        text not null,
  old_value    text,
  new_value    text,
  reason       text not null check (length(reason) >= 5),
  account_id   bigint not null references account(id),
  at           timestamptz not null default now()
);
create index field_correction_entry on field_correction (entry_id);
