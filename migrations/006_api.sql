-- Lookup API for procedure services (issue 9): clients with hashed tokens and scopes, the lookup log,
-- opaque record ids, the name-search index, and the keys that sign certified extracts.

-- A procedure service (one-stop-shop desk, another agency). Only the SHA-256 of its token is stored;
-- the token itself is shown once when the client is created.
create table api_client (
  id              bigserial primary key,
  name            text not null unique,
  token_sha256    text not null unique check (token_sha256 ~ '^[0-9a-f]{64}$'),
  token_hint      text not null,                                 -- first characters of the token, to tell tokens apart
  offices         text[] not null,                               -- registry_office.code, or '{*}' for every office
  register_types  text[] not null,                               -- birth/marriage/death, or '{*}'
  fields          text[] not null,                               -- field keys the client may see, or '{*}'
  rate_per_minute int not null check (rate_per_minute > 0),
  expires_at      timestamptz not null,
  revoked_at      timestamptz,
  created_by      text not null,
  created_at      timestamptz not null default now()
);

-- Every request to the lookup API, answered or refused: who, for which stated purpose, what was asked,
-- which records were returned. This table holds personal data (the query) on purpose; application logs never do.
create table lookup_log (
  id              bigserial primary key,
  at              timestamptz not null default now(),
  client_id       bigint references api_client(id),              -- null when the token was missing or unknown
  procedure_code  text,
  case_ref        text,
  route           text not null,
  query           jsonb not null default '{}',
  outcome         text not null check (outcome in ('found', 'none', 'ambiguous', 'refused')),
  status          int not null,
  code            text,                                          -- error code when refused (src/api/errors.ts)
  record_ids      uuid[] not null default '{}',
  ms              int
);
create index lookup_log_client on lookup_log (client_id, at);

-- Records are addressed by a random id, never by the sequential entry id, so ids cannot be enumerated.
alter table entry add column public_id uuid not null default gen_random_uuid();
create unique index entry_public_id on entry (public_id);

-- Every diacritic removed (đ becomes d): the blocking key of name search, the same fold as
-- src/text/normalise.ts foldDiacritics (which then decides what counts as equal). unaccent() is only
-- stable, so the dictionary is named explicitly to make this usable in an index.
create function civreg_fold(t text) returns text language sql immutable parallel safe strict as $$
  select lower(public.unaccent('public.unaccent'::regdictionary, normalize(btrim(regexp_replace(t, '\s+', ' ', 'g')), NFC)))
$$;

create index entry_field_person_name_fold on entry_field (civreg_fold(value), field)
  where field in ('fullName', 'husbandName', 'wifeName');
create index entry_field_id_number on entry_field (value, field)
  where field in ('idNumber', 'husbandIdNumber', 'wifeIdNumber');

-- Ed25519 keys that sign certified extracts. A key is retired (no longer signs) but kept, so extracts
-- signed with it still verify after a rotation.
create table signing_key (
  kid          text primary key,
  public_key   text not null,                                    -- SPKI DER, base64
  private_key  text not null,                                    -- PKCS#8 DER, base64
  created_at   timestamptz not null default now(),
  retired_at   timestamptz
);
create unique index signing_key_active on signing_key ((true)) where retired_at is null;
