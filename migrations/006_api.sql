-- Lookup API for procedure services (issue 9): clients with hashed tokens and scopes, the lookup log,
-- opaque record ids, name/place folding for search, and the keys that sign certified extracts.

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

-- Case, whitespace and tone-mark placement folded, diacritics kept: "Hoà" and "hòa" give the same key,
-- "Hà" and "Hạ" do not. NFD puts each tone mark after its vowel; the regexp moves it to the end of the
-- word, so the key no longer depends on which vowel carries it.
create function civreg_name_key(t text) returns text language sql immutable parallel safe strict as $$
  select lower(regexp_replace(
    regexp_replace(normalize(btrim(regexp_replace(t, '\s+', ' ', 'g')), NFD),
                   '([\u0300\u0301\u0303\u0309\u0323])([^\s\u0300\u0301\u0303\u0309\u0323]*)', '\2\1', 'g'),
    '\s+', ' ', 'g'))
$$;

-- Every diacritic removed (đ becomes d), for queries typed without them. unaccent() is only stable,
-- so the dictionary is named explicitly to make this usable in an index.
create function civreg_fold(t text) returns text language sql immutable parallel safe strict as $$
  select lower(public.unaccent('public.unaccent'::regdictionary, normalize(btrim(regexp_replace(t, '\s+', ' ', 'g')), NFC)))
$$;

create index entry_field_person_name_key on entry_field (civreg_name_key(value), field)
  where field in ('fullName', 'husbandName', 'wifeName');
create index entry_field_person_name_fold on entry_field (civreg_fold(value), field)
  where field in ('fullName', 'husbandName', 'wifeName');
create index entry_field_id_number on entry_field (value, field)
  where field in ('idNumber', 'husbandIdNumber', 'wifeIdNumber');

-- Former names of administrative units that today belong to another one (folded, without unit prefix).
-- A small seed; the dated gazetteer replaces it when it lands.
create table place_alias (
  former      text not null,
  current     text not null,
  until_date  date,
  primary key (former, current)
);
insert into place_alias (former, current, until_date) values
  ('ha tay', 'ha noi', '2008-08-01'),
  ('sai gon', 'ho chi minh', '1976-07-02'),
  ('gia dinh', 'ho chi minh', '1976-07-02'),
  ('sai gon - gia dinh', 'ho chi minh', '1976-07-02'),
  ('ha son binh', 'ha tay', '1991-10-01'),
  ('ha son binh', 'hoa binh', '1991-10-01'),
  ('ha nam ninh', 'nam dinh', '1992-04-01'),
  ('ha nam ninh', 'ha nam', '1992-04-01'),
  ('ha nam ninh', 'ninh binh', '1992-04-01'),
  ('nghe tinh', 'nghe an', '1991-10-01'),
  ('nghe tinh', 'ha tinh', '1991-10-01'),
  ('binh tri thien', 'quang binh', '1989-07-01'),
  ('binh tri thien', 'quang tri', '1989-07-01'),
  ('binh tri thien', 'thua thien hue', '1989-07-01'),
  ('thua thien hue', 'hue', '2025-01-01'),
  ('vinh phu', 'vinh phuc', '1997-01-01'),
  ('vinh phu', 'phu tho', '1997-01-01'),
  ('hai hung', 'hai duong', '1997-01-01'),
  ('hai hung', 'hung yen', '1997-01-01'),
  ('ha bac', 'bac giang', '1997-01-01'),
  ('ha bac', 'bac ninh', '1997-01-01'),
  ('bac thai', 'bac kan', '1997-01-01'),
  ('bac thai', 'thai nguyen', '1997-01-01');

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
