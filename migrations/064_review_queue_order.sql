-- The review queues are read "next item, highest priority first" on every claim. Without an index in that order
-- PostgreSQL read and sorted every open item: at 10^6 open field items a claim took seconds. These partial indexes
-- hold only the items a claim can take, in the claim's order, so it stops at the first one that passes the filters.
create index review_item_field_queue on review_item (priority desc, id) where kind = 'field' and status in ('open', 'claimed');
create index review_item_match_queue on review_item ((status = 'arbitration') desc, priority desc, id)
  where kind = 'match' and status in ('open', 'claimed', 'arbitration');
-- "Pairs this person took back" is asked on every match claim; the audit log itself grows without bound.
create index audit_event_match_undo on audit_event (actor, at) where action = 'match_undo';
