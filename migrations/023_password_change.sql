-- A password handed out by someone else (a one-time password from an account's creation or reset, or the first
-- admin's printed at start) must be replaced by its owner at the next sign-in: the password page is in
-- src/http/auth-routes.ts, the hold on every other page in src/http/guard.ts.
alter table account add column must_change_password boolean not null default false;
