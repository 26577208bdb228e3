-- Registers of recognition of parentage (sổ đăng ký nhận cha, mẹ, con) and of guardianship (sổ đăng ký giám
-- hộ) are books of their own (issue 6): a parent and the child recognised, a guardian and the ward, on
-- printed forms from 2006.
alter table book drop constraint book_register_type_check;
alter table book add constraint book_register_type_check check (register_type in ('birth', 'marriage', 'death', 'recognition', 'guardianship', 'other'));
alter table entry drop constraint entry_register_type_check;
alter table entry add constraint entry_register_type_check check (register_type in ('birth', 'marriage', 'death', 'recognition', 'guardianship', 'other'));
