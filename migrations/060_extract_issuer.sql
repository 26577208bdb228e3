-- Who issues the certified extracts of an office's books, as the extract's heading and place line print it. A book's
-- office is where the entry was registered; since the 2025 reform districts are abolished and registration is done by
-- communes, so the authority that issues an extract today is often not the book's office ("Quận Hai Bà Trưng" no
-- longer exists). Set per office, or once for the deployment (office_id null); the book's office stays in the
-- extract's "Trích từ … sổ …" line. Without a row the heading is worked out from the office's name (a commune's
-- own books).
create table extract_issuer (
  id          bigserial primary key,
  office_id   bigint references registry_office(id),
  superior    text check (superior is null or superior <> ''),
  heading     text[] not null check (cardinality(heading) between 1 and 4),
  place       text not null check (place <> ''),
  updated_by  text not null,
  updated_at  timestamptz not null default now(),
  unique nulls not distinct (office_id)
);
