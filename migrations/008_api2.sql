-- Lookup API, second part (issue 9): a per-client rate limit shared by every server process.

-- One token bucket per API client, updated in the statement that authenticates the request
-- (src/api/clients.ts). Unlogged: a counter need not survive a crash, and a transaction that writes
-- only unlogged tables commits without waiting for a WAL flush, so the row lock is held for microseconds.
create unlogged table api_rate (
  client_id  bigint primary key references api_client(id) on delete cascade,
  tokens     double precision not null,
  at         timestamptz not null
);

-- Name + date of birth search starts from the date (about 40 people share a date of birth in 10^6 records,
-- while a common name is shared by hundreds), then checks the name of the same role in the same entry.
create index entry_field_birth_date on entry_field (value, field)
  where field in ('birthDate', 'husbandBirthDate', 'wifeBirthDate');

-- The private key of an extract signing key is a file in the key folder (src/certified/signing.ts); the
-- database keeps only public keys with their ids, so /verify works from any process and after a rotation.
-- A key whose private half was kept here is retired (its extracts still verify); the next extract makes a
-- new key with its file.
update signing_key set retired_at = now() where retired_at is null;
alter table signing_key drop column private_key;
