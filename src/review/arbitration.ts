import type { Account } from '../auth/accounts.ts';
import { recordAudit } from '../db/audit.ts';
import type { Database, Sql } from '../db/sql.ts';
import { existingSuggestion, LEASE_MINUTES, LeaseLostError, type ExistingSuggestion } from './queue.ts';
import { settleEntry } from './settle.ts';

export interface ArbitrationItem {
  itemId: number;
  entryId: number;
  registerType: string;
  bookNo: string;
  office: string;
  year: number | null;
  entryNo: number | null;
  field: string;
  hasBox: boolean;
  /** The machine's reading: shown only now, as a third opinion after both blind keyings. */
  machineValue: string | null;
  keyings: { verifier: string; value: string | null; unreadable: boolean }[];
  /** A linked existing record's value: after both blind keyings it may be shown, as another opinion. */
  existing: ExistingSuggestion | null;
}

/**
 * Claims the next double-keying disagreement for a supervisor (oldest first, their offices only). The
 * item stays in status `arbitration`; the lease only keeps two supervisors off the same item.
 */
export async function claimArbitration(db: Database, account: Account): Promise<ArbitrationItem | null> {
  const itemId = await db.transaction(async (tx) => {
    const [pick] = await tx.query<{ id: number }>(
      `select ri.id from review_item ri join entry e on e.id = ri.entry_id join book b on b.id = e.book_id
        where ri.kind = 'field' and ri.status = 'arbitration'
          and (ri.claimed_by is null or ri.claimed_until <= now() or ri.claimed_by = $1)
          and ($2 or b.office_id = any($3))
        order by (ri.claimed_by = $1) desc nulls last, ri.priority desc, ri.id
        limit 1 for update of ri skip locked`,
      [account.name, account.allOffices, account.officeIds],
    );
    if (!pick) return null;
    await tx.query(`update review_item set claimed_by = $2, claimed_until = now() + make_interval(mins => $3), updated_at = now() where id = $1`, [pick.id, account.name, LEASE_MINUTES]);
    return pick.id;
  });
  if (itemId === null) return null;
  const [item] = await db.query<Omit<ArbitrationItem, 'keyings' | 'existing'>>(
    `select ri.id as "itemId", e.id as "entryId", e.register_type as "registerType", b.book_no as "bookNo", o.name as office, e.year,
            e.entry_no as "entryNo", ri.field, (f.box is not null) as "hasBox", coalesce(f.machine_value, f.value) as "machineValue"
       from review_item ri join entry e on e.id = ri.entry_id join book b on b.id = e.book_id join registry_office o on o.id = b.office_id
       join entry_field f on f.entry_id = ri.entry_id and f.field = ri.field
      where ri.id = $1`,
    [itemId],
  );
  const keyings = await db.query<ArbitrationItem['keyings'][number]>(
    `select a.name as verifier, k.value, k.unreadable from review_keying k join account a on a.id = k.account_id where k.review_item_id = $1 order by k.id`,
    [itemId],
  );
  return { ...item!, keyings, existing: await existingSuggestion(db, item!.entryId, item!.field) };
}

/**
 * The supervisor's decision: the value (or unreadable) becomes the field's, with source `supervisor`;
 * `chose` records which opinion it followed, for the per-verifier figures and the audit trail.
 */
export async function resolveArbitration(
  db: Database,
  account: Account,
  itemId: number,
  decision: { value: string | null; precision: string | null; unreadable: boolean; chose: string },
): Promise<{ entryVerified: boolean }> {
  return db.transaction(async (tx) => {
    const [item] = await tx.query<{ entryId: number; field: string }>(
      `select entry_id as "entryId", field from review_item
        where id = $1 and status = 'arbitration' and claimed_by = $2 and claimed_until > now() for update`,
      [itemId, account.name],
    );
    if (!item) throw new LeaseLostError(`arbitration item ${itemId} is not held by this supervisor`);
    await tx.query(
      `update entry_field set
         machine_value = case when source = 'machine' then value else machine_value end,
         value = $3, precision = $4, status = $5, source = 'supervisor', verified_by = $6, verified_at = now(), updated_at = now()
       where entry_id = $1 and field = $2`,
      [item.entryId, item.field, decision.unreadable ? null : decision.value, decision.unreadable ? null : decision.precision, decision.unreadable ? 'unreadable' : 'verified', account.name],
    );
    await tx.query(`update review_item set status = 'done', claimed_until = null, updated_at = now() where id = $1`, [itemId]);
    const entryVerified = await settleEntry(tx, item.entryId, item.field);
    await recordAudit(tx, { actor: account.name, action: 'arbitration_resolved', objectType: 'entry_field', objectId: `${item.entryId}:${item.field}`, detail: { reviewItem: itemId, chose: decision.chose } });
    return { entryVerified };
  });
}

export interface VerifierFigures {
  verifier: string;
  /** Blind keyings of fields that are now decided. */
  keyings: number;
  /** Of those, how many equal the final value (agreement with the outcome). */
  agreed: number;
  /** Fields this verifier decided (accepted, corrected, unreadable) and how many a supervisor later overruled. */
  decided: number;
  medianMs: number | null;
}

/** Per verifier: agreement of their blind keyings with the final value, and their decision counts and pace. */
export async function verifierFigures(sql: Sql, scope: { all: boolean; officeIds: number[] }): Promise<VerifierFigures[]> {
  return sql.query<VerifierFigures>(
    `with scoped as (
       select ri.id, f.value, f.status from review_item ri
         join entry e on e.id = ri.entry_id join book b on b.id = e.book_id
         join entry_field f on f.entry_id = ri.entry_id and f.field = ri.field
        where ri.kind = 'field' and ($1 or b.office_id = any($2)))
     select a.name as verifier,
            (select count(*)::int from review_keying k join scoped s on s.id = k.review_item_id where k.account_id = a.id and s.status in ('verified', 'unreadable')) as keyings,
            (select count(*)::int from review_keying k join scoped s on s.id = k.review_item_id where k.account_id = a.id and s.status in ('verified', 'unreadable')
                and ((k.unreadable and s.status = 'unreadable') or (not k.unreadable and k.value is not distinct from s.value))) as agreed,
            (select count(*)::int from review_decision d join scoped s on s.id = d.review_item_id where d.account_id = a.id and d.action <> 'skip') as decided,
            (select (percentile_cont(0.5) within group (order by d.ms))::int from review_decision d join scoped s on s.id = d.review_item_id where d.account_id = a.id and d.action <> 'skip') as "medianMs"
       from account a where a.role in ('verifier', 'supervisor') order by a.name`,
    [scope.all, scope.officeIds],
  );
}
