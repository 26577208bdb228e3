-- A page the scan quality gate held back that staff had read anyway (src/http/rescan-routes.ts): who, when and why.
-- The gate honours it when the same delivery is ingested again; a new scan of the page is judged afresh.
alter table page add column rescan_waiver jsonb;
