-- Family links from a birth to the recognition of that child's parent and to the guardianship of that child
-- (registers of their own from 2006, migration 017; src/match/family.ts).
alter table family_link drop constraint family_link_kind_check;
alter table family_link add constraint family_link_kind_check check (kind in ('parents_marriage', 'same_person_death', 'recognised_child', 'ward'));
