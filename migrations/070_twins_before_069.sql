-- The book twins' columns (069) on values stored before them.
-- 1. A machine value accepted with no reason before 069 may have been confirmed by a copy on its page, its closed list or
-- agreeing readings, whose `confirmed_by` was not stored; none can be told from a value sure from its own reading (the
-- confirmers raise its confidence as a sure reading has it). None vouches for a copy elsewhere in its book
-- (src/extract/book-twins.ts) until it is read again (src/db/entries.ts stores confirmed_by afresh).
update entry_field f set confirmed_by = 'unknown'
 where f.confirmed_by is null and f.source = 'machine' and f.status = 'auto_accepted' and f.reasons = '{}'
   and f.updated_at < (select applied_at from schema_migration where version = 69);
-- 2. A copy accepted on its twin's word before 069 has no twin stored: the audit trail named it (field_accepted_by_twin).
update entry_field f set twin_field_id = a.twin
  from (select distinct on (object_id) object_id, (detail->>'twinFieldId')::bigint as twin from audit_event
         where action = 'field_accepted_by_twin' and object_type = 'entry_field' and detail ? 'twinFieldId' order by object_id, id desc) a
 where f.twin_field_id is null and f.source = 'machine' and f.reasons in ('{twin_in_book}', '{audit_sample}')
   and a.object_id = f.entry_id || ':' || f.field and exists (select 1 from entry_field t where t.id = a.twin);
-- 3. One whose twin the trail does not name (or that is gone) goes back to a person, for that reason (`twin_unrecorded`):
-- not `twin_withdrawn`, which says its twin was put right or set aside. Its review item as its field's last one was.
with back as (
  update entry_field f set status = 'review', reasons = '{twin_unrecorded}', updated_at = now()
   where f.status = 'auto_accepted' and f.source = 'machine' and f.reasons = '{twin_in_book}' and f.twin_field_id is null
  returning f.entry_id, f.field
), items as (
  insert into review_item (kind, entry_id, field, priority)
  select 'field', b.entry_id, b.field,
         coalesce((select r.priority from review_item r where r.kind = 'field' and r.entry_id = b.entry_id and r.field = b.field order by r.id desc limit 1), 0)
    from back b
  on conflict do nothing
), entries as (
  update entry e set status = 'needs_review', updated_at = now() where e.id in (select entry_id from back) and e.status = 'verified'
)
insert into audit_event (actor, action, object_type, object_id, detail)
select 'machine', 'field_twin_withdrawn', 'entry_field', b.entry_id || ':' || b.field, '{"twinFieldId": null, "unrecorded": true}'::jsonb from back b;
