-- When a re-run of extraction undid a supervisor's tie (src/extract/changes.ts): the change held again says so, so
-- that the supervisor knows their tie was taken off and why the machine's reason came back. Cleared by a new tie.
alter table change_reference add column tie_undone_at timestamptz;
