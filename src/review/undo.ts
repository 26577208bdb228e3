/**
 * A verifier takes back their own last decision on a field (Enter or F6 pressed on the wrong field), as the match
 * desk's undo does (src/review/matches.ts undoMatch): within UNDO_MINUTES, and only while nobody has acted on the
 * field since. The field is put back as it stood before the decision (review_decision.field_before), with what
 * settling the entry derived from the decision, and held by the person again under a fresh lease.
 */
import type { Account } from '../auth/accounts.ts';
import { recordAudit } from '../db/audit.ts';
import { insertNoteEvents } from '../db/entries.ts';
import type { Database, Sql } from '../db/sql.ts';
import { resolveChangesAbout } from '../extract/changes.ts';
import { parseNotes } from '../extract/notes.ts';
import { rematchEntry } from '../match/stage.ts';
import type { FieldBefore } from './field-before.ts';
import { UNDO_MINUTES } from './matches.ts';
import { LEASE_MINUTES } from './queue.ts';
import { settleEntry } from './settle.ts';

/**
 * Why a decision cannot be taken back: `undo_nothing` the person made no decision on the field that an undo takes
 * back (none, or a skip, which hands the field back by itself); `undo_expired` older than UNDO_MINUTES;
 * `undo_superseded` someone acted on the field since (a later decision, a second keying, a supervisor's correction
 * or arbitration, another verifier holding a field keyed blind); `undo_compared` the person's keying was the second
 * of a blind pair, already compared with the first.
 */
export type UndoRefusal = 'undo_nothing' | 'undo_expired' | 'undo_superseded' | 'undo_compared';

export type UndoResult = { undone: true; entryId: number; field: string; action: string } | { undone: false; reason: UndoRefusal };

interface LastDecision {
  id: number;
  accountId: number;
  action: string;
  recent: boolean;
  before: FieldBefore | null;
  /** The review item and its field were not changed after the decision (decideItem writes both with the decision's `now()`). */
  untouched: boolean;
}

/**
 * Takes back the verifier's last decision on field item `itemId` (see the module comment). A blind first keying is
 * taken back while the item waits for its second keying and no one holds it. The person's field items of other
 * entries (the entry the screen moved on to) go back to the queue: they are on this entry again.
 *
 * @example const result = await undoFieldDecision(db, account, itemId); // { undone: false, reason: 'undo_expired' }
 */
export async function undoFieldDecision(db: Database, account: Account, itemId: number): Promise<UndoResult> {
  return db.transaction(async (tx) => {
    // decideItem's lock order (the person's items of the entry, by id), so an undo and a decision queue up
    const locked = await tx.query<{ id: number }>(
      `select id from review_item where entry_id = (select entry_id from review_item where id = $1 and kind = 'field') and kind = 'field'
          and (claimed_by = $2 or id = $1) order by id for update`,
      [itemId, account.name],
    );
    if (!locked.some((r) => Number(r.id) === itemId)) return { undone: false, reason: 'undo_nothing' };
    const [item] = await tx.query<{ entryId: number; field: string; status: string; claimedBy: string | null; live: boolean }>(
      `select entry_id as "entryId", field, status, claimed_by as "claimedBy", coalesce(claimed_until > now(), false) as live from review_item where id = $1`, [itemId]);
    const [last] = await tx.query<LastDecision>(
      `select d.id, d.account_id as "accountId", d.action, d.at > now() - make_interval(mins => $2) as recent, d.field_before as before,
              (ri.updated_at <= d.at and f.updated_at <= d.at) as untouched
         from review_decision d join review_item ri on ri.id = d.review_item_id join entry_field f on f.entry_id = ri.entry_id and f.field = ri.field
        where d.review_item_id = $1 order by d.id desc limit 1`,
      [itemId, UNDO_MINUTES],
    );
    const { entryId, field } = item!;
    if (!last) return { undone: false, reason: 'undo_nothing' };
    if (Number(last.accountId) !== account.id) return { undone: false, reason: 'undo_superseded' };
    if (last.action === 'skip') return { undone: false, reason: 'undo_nothing' };
    if (!last.recent || !last.before) return { undone: false, reason: 'undo_expired' };

    // Another verifier deciding a field of this entry at the same time counts the fields left in review after its
    // settleEntry's first write to the entry row (touchEntry): holding that row first, the undo's restore and the
    // other decision's count come one after the other, so a match made on the undone value is not left behind.
    await tx.query('select 1 from entry where id = $1 for update', [entryId]);
    // whether the decision left no field of the entry in review (settleEntry then matched it again)
    const [settledBefore] = await tx.query<{ n: number }>(`select count(*)::int as n from entry_field where entry_id = $1 and status = 'review'`, [entryId]);
    const keyings = await tx.query<{ accountId: number }>('select account_id as "accountId" from review_keying where review_item_id = $1', [itemId]);
    const blind = keyings.some((k) => Number(k.accountId) === account.id);
    if (blind) {
      // a first keying waits for a second verifier: taken back while nobody keyed it again or holds it to key it
      const waiting = keyings.length === 1 && (item!.status === 'open' || (item!.status === 'claimed' && !item!.live));
      // the second keying compared both: nobody acted after this person, but the comparison stands
      if (keyings.length > 1) return { undone: false, reason: 'undo_compared' };
      if (!waiting) return { undone: false, reason: 'undo_superseded' };
      await tx.query('delete from review_keying where review_item_id = $1 and account_id = $2', [itemId, account.id]);
    } else {
      if (item!.status !== 'done' || !last.untouched) return { undone: false, reason: 'undo_superseded' };
      await restoreField(tx, entryId, field, last.before);
    }
    await tx.query('delete from review_decision where id = $1', [last.id]);

    const handedBack = await tx.query<{ id: number }>(
      `update review_item set status = 'open', claimed_by = null, claimed_until = null, updated_at = now()
        where kind = 'field' and status = 'claimed' and claimed_by = $1 and entry_id <> $2 returning id`,
      [account.name, entryId],
    );
    await tx.query(
      `update review_item set status = 'claimed', claimed_by = $2, claimed_until = now() + make_interval(mins => $3), updated_at = now()
        where id = $1 or (entry_id = $4 and kind = 'field' and status = 'claimed' and claimed_by = $2)`,
      [itemId, account.name, LEASE_MINUTES, entryId],
    );
    if (!blind) await unsettleEntry(tx, entryId, field, last.before, settledBefore!.n === 0);
    await recordAudit(tx, {
      actor: account.name,
      action: 'review_undo',
      objectType: 'entry_field',
      objectId: `${entryId}:${field}`,
      detail: { reviewItem: itemId, undone: last.action, ...(blind ? { keyed: 'first' } : {}), ...(handedBack.length ? { handedBack: handedBack.map((h) => Number(h.id)) } : {}) },
    });
    return { undone: true, entryId, field, action: last.action };
  });
}

/** The field as it stood before the decision: value, state, who verified it, a re-run's reading it settled. */
async function restoreField(tx: Sql, entryId: number, field: string, before: FieldBefore): Promise<void> {
  await tx.query(
    `update entry_field set value = $3, precision = $4, status = $5, source = $6, machine_value = $7, conflict_value = $8,
        verified_by = $9, verified_at = $10, updated_at = now()
      where entry_id = $1 and field = $2`,
    [entryId, field, before.value, before.precision, before.status, before.source, before.machineValue, before.conflictValue, before.verifiedBy, before.verifiedAt],
  );
}

/**
 * Takes back what settling the entry derived from the decision (src/review/settle.ts settleEntry):
 * - the entry is no longer verified (the field is someone's to decide again);
 * - the number or year it was filed under by the decided entry number or registration date is the one before;
 * - the events of a note: the machine's reading of the note again, as extraction made them (a note still verified,
 *   a re-run conflict's, keeps its events from the verified value: settleEntry below);
 * - the book checks run again on the values as they stand (settleEntry: recheckBookAfterDecision);
 * - when the decision had settled the entry's last field in review: matching again, now with the field unsure, so a
 *   link it carried goes back to a person; and the changes of other registers tied to the entry judged again.
 * Left as it is: a person's decision on a pair, made meanwhile, stays (as a re-run of matching keeps it).
 */
async function unsettleEntry(tx: Sql, entryId: number, field: string, before: FieldBefore, hadSettled: boolean): Promise<void> {
  await tx.query(`update entry set status = $2, updated_at = now() where id = $1 and status = 'verified' and $2 <> 'verified'`, [entryId, before.entryStatus]);
  if (field === 'entryNo') await tx.query('update entry set entry_no = $2, updated_at = now() where id = $1', [entryId, before.entryNo]);
  if (field === 'registrationDate') await tx.query('update entry set year = $2, updated_at = now() where id = $1', [entryId, before.year]);
  if (field === 'notes' && before.status !== 'verified') {
    const fields = await tx.query<{ field: string; value: string | null; raw: string | null }>('select field, value, raw from entry_field where entry_id = $1', [entryId]);
    await tx.query(`delete from entry_event where entry_id = $1 and source = 'machine' and source_entry_id is null`, [entryId]);
    await insertNoteEvents(tx, entryId, parseNotes(fields.find((f) => f.field === 'notes')?.raw ?? '', fields), true);
  }
  await settleEntry(tx, entryId, field);
  const [inReview] = await tx.query<{ n: number }>(`select count(*)::int as n from entry_field where entry_id = $1 and status = 'review'`, [entryId]);
  if (hadSettled && inReview!.n > 0) {
    await rematchEntry(tx, entryId);
    await resolveChangesAbout(tx, entryId, 'all');
  }
}
