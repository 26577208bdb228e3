-- A page moved into its book from another (src/review/move-page.ts) is delivered last, but belongs where its entry
-- numbers go: the book checks place it after the page before the gap it fills (src/extract/page-place.ts).
alter table page add column placed_after bigint references page(id) on delete set null;
-- set when staff move the page in: the book checks place it by its numbers once it is read again
alter table page add column place_by_numbers boolean not null default false;

-- A page's place in its book, for `order by`: its delivery (upload sequence, index in the file, part of a spread), or
-- just after the page it was placed after (pages placed after one page keep their ids' order). bigint: page ids
-- outgrow int.
create function page_place(page_id bigint) returns bigint[] language sql stable as $$
  select case when a.id is null then array[u.seq::bigint, p.file_index, p.part, 0, 0]
              else array[au.seq::bigint, a.file_index, a.part, 1, p.id] end
    from page p join upload u on u.id = p.upload_id
    left join page a on a.id = p.placed_after left join upload au on au.id = a.upload_id
   where p.id = page_id
$$;
