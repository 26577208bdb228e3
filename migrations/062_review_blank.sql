-- The review screen's F6 "Sổ để trống" (the book's line is empty), as keying has it: a decision of its own, stored
-- as keying stores it (a verified field without a value).
alter table review_decision drop constraint review_decision_action_check;
alter table review_decision add constraint review_decision_action_check
  check (action in ('accept', 'correct', 'existing', 'rerun', 'unreadable', 'blank', 'skip', 'same', 'different', 'unsure'));
