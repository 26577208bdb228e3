import type { Sql } from '../db/sql.ts';
import type { Account } from './accounts.ts';
import type { Role } from './roles.ts';

/**
 * Who may manage whom. An admin for every office manages everyone. Otherwise a manager manages only
 * accounts whose offices all lie within their own (never an every-office account), and a supervisor only
 * staff and verifiers: nobody can hand out more than they hold.
 */
export function rolesAssignableBy(manager: Account): readonly Role[] {
  return manager.role === 'admin' ? ['staff', 'verifier', 'supervisor', 'admin'] : manager.role === 'supervisor' ? ['staff', 'verifier'] : [];
}

export interface ManagedAccount {
  id: number;
  name: string;
  role: Role;
  allOffices: boolean;
  officeIds: number[];
  officeCodes: string[];
  disabled: boolean;
  createdAt: Date;
}

export function mayManage(manager: Account, target: Pick<ManagedAccount, 'id' | 'role' | 'allOffices' | 'officeIds'>): boolean {
  if (!rolesAssignableBy(manager).includes(target.role)) return false;
  if (manager.role === 'admin' && manager.allOffices) return true;
  if (target.allOffices || target.officeIds.length === 0) return false;
  return manager.allOffices || target.officeIds.every((id) => manager.officeIds.includes(id));
}

/** Every account with its offices, by name (an office has tens of people, not thousands). */
export async function listAccounts(sql: Sql): Promise<ManagedAccount[]> {
  const rows = await sql.query<ManagedAccount>(
    `select a.id, a.name, a.role, a.all_offices as "allOffices", a.disabled, a.created_at as "createdAt",
            coalesce(array_agg(o.id order by o.code) filter (where o.id is not null), '{}') as "officeIds",
            coalesce(array_agg(o.code order by o.code) filter (where o.id is not null), '{}') as "officeCodes"
       from account a left join account_office ao on ao.account_id = a.id left join registry_office o on o.id = ao.office_id
      group by a.id order by a.name`,
  );
  return rows.map((r) => ({ ...r, officeIds: r.officeIds.map(Number) }));
}

/** The offices a manager may give accounts (all of them for an every-office manager). */
export async function officesOf(sql: Sql, manager: Account): Promise<{ id: number; code: string; name: string }[]> {
  return sql.query(`select id, code, name from registry_office where $1 or id = any($2) order by code`, [manager.allOffices, manager.officeIds]);
}

/** Disables or enables an account; disabling also ends its open sessions at once. */
export async function setAccountDisabled(sql: Sql, accountId: number, disabled: boolean): Promise<void> {
  await sql.query('update account set disabled = $2 where id = $1', [accountId, disabled]);
  if (disabled) await sql.query('delete from account_session where account_id = $1', [accountId]);
}

/** Replaces an account's password hash and ends its sessions (whoever held the old password is out). */
export async function setAccountPassword(sql: Sql, accountId: number, passwordHash: string): Promise<void> {
  // A reset hands out a one-time password: its owner replaces it at the next sign-in.
  await sql.query('update account set password_hash = $2, must_change_password = true where id = $1', [accountId, passwordHash]);
  await sql.query('delete from account_session where account_id = $1', [accountId]);
}
