-- Workbench, second part (issue 8): settling a re-run's conflicting reading of a verified field.

-- `rerun`: the verifier took the re-run's reading instead of the value verified before.
alter table review_decision drop constraint review_decision_action_check;
alter table review_decision add constraint review_decision_action_check
  check (action in ('accept', 'correct', 'existing', 'rerun', 'unreadable', 'skip', 'same', 'different', 'unsure'));
