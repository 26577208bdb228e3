-- A change a supervisor tied to its original by hand (src/review/change-ties.ts): the machine does not judge it again.
alter table change_reference add column manual boolean not null default false;
