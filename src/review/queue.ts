import type { Account } from '../auth/accounts.ts';
import { recordAudit } from '../db/audit.ts';
import type { Database, Sql } from '../db/sql.ts';
import { onPageSetAsideSql } from '../extract/rescans.ts';
import { checkValue } from './field-rules.js';
import { settleEntry } from './settle.ts';
import { FIELD_BEFORE_SQL } from './field-before.ts';
import { UNDO_MINUTES } from './matches.ts';
import { entryEra } from './stated-age.ts';
import type { Era } from '../../schemas/jobs.ts';

/** How long a verifier holds an entry's items; renewed by every decision, released when it lapses. */
export const LEASE_MINUTES = 10;
/** A field the verifier skipped is not offered to them again for this long (others may take it). */
export const SKIP_MINUTES = 30;

/**
 * Reasons that make a field blind double-keyed: hand-writing is a keying problem (OCR cannot read it), so
 * two verifiers type it without seeing the machine's reading or each other's keying.
 */
export const DOUBLE_KEYED_REASONS: readonly string[] = ['handwritten'];
export const isDoubleKeyed = (reasons: readonly string[]): boolean => reasons.some((r) => DOUBLE_KEYED_REASONS.includes(r));

export interface ReviewField {
  itemId: number;
  field: string;
  value: string | null;
  raw: string | null;
  precision: string | null;
  confidence: number;
  reasons: string[];
  auditSample: boolean;
  hasBox: boolean;
  /** Blind double keying: `value` and `raw` are withheld from the screen. */
  blind: boolean;
  /** The linked existing record's value for this field, offered for one-key confirmation (never when blind). */
  suggestion: ExistingSuggestion | null;
  /**
   * A re-run of extraction read something else than the value a person verified (`value`): the re-read
   * is shown beside it, never applied by itself. The item is then never blind (the field was keyed already).
   */
  conflict: { reread: string | null; verifiedBy: string | null } | null;
}

export interface ExistingSuggestion {
  value: string;
  sourceId: string;
}

/**
 * The value an existing electronic record holds for a field of the entry, when the entry is linked to it
 * (by a person, or by matching's automatic link): match-assisted keying offers it for confirmation.
 */
export async function existingSuggestion(sql: Sql, entryId: number, field: string): Promise<ExistingSuggestion | null> {
  const [row] = await sql.query<ExistingSuggestion>(
    `select x.fields->>$2 as value, x.source_id as "sourceId"
       from match_candidate c join existing_record x on x.id = c.existing_record_id
      where c.entry_id = $1 and (c.person_decision = 'same' or (c.person_decision is null and c.decision = 'link'))
        and coalesce(x.fields->>$2, '') <> ''
      order by (c.person_decision = 'same') desc nulls last, c.probability desc limit 1`,
    [entryId, field],
  );
  return row ?? null;
}

export interface ReviewEntry {
  entryId: number;
  bookId: number;
  registerType: string;
  bookNo: string;
  office: string;
  year: number | null;
  entryNo: number | null;
  /** The era of the entry's form (stated-age.ts entryEra): whether a parent's birth year was asked as an age. */
  era: Era | null;
  leaseUntil: string;
  items: ReviewField[];
}

/** The entry whose field items the person holds under a live lease (claimNextEntry gives it back to them), or null. */
export async function heldEntryOf(sql: Sql, name: string): Promise<number | null> {
  const [held] = await sql.query<{ entryId: number }>(
    `select entry_id as "entryId" from review_item where kind = 'field' and status = 'claimed' and claimed_by = $1 and claimed_until > now()
      order by priority desc, id limit 1`,
    [name],
  );
  return held ? held.entryId : null;
}

/**
 * Claims the next entry to review for one verifier: the entry of the highest-priority open field item
 * in their offices, with all its open field items, under a lease. Items whose lease lapsed count as open
 * (an abandoned screen frees its work). `for update skip locked` lets many verifiers claim at once without
 * waiting on or taking each other's items. A verifier who already holds a live lease gets it back.
 *
 * @example const entry = await claimNextEntry(db, account); // null when the queue is empty
 */
export async function claimNextEntry(db: Database, account: Account): Promise<ReviewEntry | null> {
  const entryId = await db.transaction(async (tx) => {
    const held = await heldEntryOf(tx, account.name);
    if (held !== null) return held;
    if (!(await anythingOpenFor(tx, account))) return null;
    const [pick] = await tx.query<{ entryId: number }>(
      `select ri.entry_id as "entryId"
         from review_item ri join entry e on e.id = ri.entry_id join book b on b.id = e.book_id
        where ri.kind = 'field' and (ri.status = 'open' or (ri.status = 'claimed' and ri.claimed_until <= now()))
          and ($1 or b.office_id = any($2))
          and not exists (select 1 from review_decision d where d.review_item_id = ri.id and d.account_id = $3
                            and d.action = 'skip' and d.at > now() - make_interval(mins => $4))
          and not exists (select 1 from review_keying k where k.review_item_id = ri.id and k.account_id = $3)
          -- a second scan's entries repeat the first scan's (checked once, there); another book's page is moved first
          and not ${onPageSetAsideSql('e')}
        order by ri.priority desc, ri.id
        limit 1
        for update of ri skip locked`,
      [account.allOffices, account.officeIds, account.id, SKIP_MINUTES],
    );
    if (!pick) return null;
    const claimed = await tx.query<{ id: number }>(
      `update review_item set status = 'claimed', claimed_by = $1, claimed_until = now() + make_interval(mins => $3), updated_at = now()
        where entry_id = $2 and kind = 'field' and (status = 'open' or (status = 'claimed' and claimed_until <= now()))
          and not exists (select 1 from review_decision d where d.review_item_id = review_item.id and d.account_id = $4
                            and d.action = 'skip' and d.at > now() - make_interval(mins => $5))
          and not exists (select 1 from review_keying k where k.review_item_id = review_item.id and k.account_id = $4)
       returning id`,
      [account.name, pick.entryId, LEASE_MINUTES, account.id, SKIP_MINUTES],
    );
    await recordAudit(tx, { actor: account.name, action: 'review_claim', objectType: 'entry', objectId: pick.entryId, detail: { items: claimed.map((c) => c.id) } });
    return pick.entryId;
  });
  return entryId === null ? null : loadClaimedEntry(db, entryId, account.name);
}

/**
 * Whether the verifier's offices have a field item anyone could take now, asked from the offices' books down. The
 * claim below walks the whole queue's index in priority order (migration 064), which finds a big office's next item
 * at once, but reads to the index's end, seconds at a district's size, for an office with nothing open
 * (`civreg bench --only review`, `nothingOpen`).
 */
async function anythingOpenFor(sql: Sql, account: Account): Promise<boolean> {
  if (account.allOffices) return true;
  const [row] = await sql.query<{ open: boolean }>(
    `select exists (select 1 from book b join entry e on e.book_id = b.id join review_item ri on ri.entry_id = e.id
                     where b.office_id = any($1) and ri.kind = 'field'
                       and (ri.status = 'open' or (ri.status = 'claimed' and ri.claimed_until <= now()))) as open`,
    [account.officeIds],
  );
  return row!.open;
}

/** The entry and the field items this verifier holds on it. */
export async function loadClaimedEntry(sql: Sql, entryId: number, claimedBy: string): Promise<ReviewEntry | null> {
  const [row] = await sql.query<Omit<ReviewEntry, 'items' | 'leaseUntil' | 'era'> & { bookEra: string | null; formYear: number | null }>(
    `select e.id as "entryId", e.book_id as "bookId", e.register_type as "registerType", b.book_no as "bookNo", o.name as office,
            e.year, e.entry_no as "entryNo", b.era as "bookEra", coalesce(e.year, b.year_from) as "formYear"
       from entry e join book b on b.id = e.book_id join registry_office o on o.id = b.office_id where e.id = $1`,
    [entryId],
  );
  if (!row) return null;
  const { bookEra, formYear, ...rest } = row;
  const entry = { ...rest, era: entryEra(bookEra, formYear) };
  const items = await sql.query<Omit<ReviewField, 'blind' | 'suggestion' | 'conflict'> & { claimedUntil: Date; conflictValue: string | null; settled: boolean; verifiedBy: string | null }>(
    `select ri.id as "itemId", ri.field, f.value, f.raw, f.precision, f.confidence, f.reasons, f.audit_sample as "auditSample",
            (f.box is not null) as "hasBox", ri.claimed_until as "claimedUntil", f.conflict_value as "conflictValue",
            f.status in ('verified', 'unreadable') as settled, f.verified_by as "verifiedBy"
       from review_item ri join entry_field f on f.entry_id = ri.entry_id and f.field = ri.field
      where ri.entry_id = $1 and ri.kind = 'field' and ri.status = 'claimed' and ri.claimed_by = $2 and ri.claimed_until > now()
      order by f.id`,
    [entryId, claimedBy],
  );
  if (items.length === 0) return null;
  const leaseUntil = new Date(Math.min(...items.map((i) => i.claimedUntil.getTime()))).toISOString();
  return {
    ...entry,
    leaseUntil,
    items: await Promise.all(
      items.map(async ({ claimedUntil: _, conflictValue, settled, verifiedBy, ...item }): Promise<ReviewField> => {
        const conflict = settled && conflictValue !== null ? { reread: conflictValue, verifiedBy } : null;
        const blind = conflict === null && isDoubleKeyed(item.reasons);
        // Blind double keying stays blind: no machine value and no existing record's value.
        if (blind) return { ...item, blind, value: null, raw: null, confidence: 0, suggestion: null, conflict: null };
        return { ...item, blind, conflict, suggestion: await existingSuggestion(sql, entryId, item.field) };
      }),
    ),
  };
}

/**
 * `rerun`: take a re-run's conflicting reading instead of the verified value (see ReviewField.conflict). `blank`: the
 * book's line is empty, stored as keying stores «Sổ để trống» (src/review/keying.ts KEYED_MARKS): a verified field
 * without a value, which the certified extract prints "Sổ gốc không ghi".
 */
export type ReviewAction = 'accept' | 'correct' | 'existing' | 'rerun' | 'unreadable' | 'blank' | 'skip';

export interface ReviewDecision {
  action: ReviewAction;
  /** The normal form to store when correcting (already checked against the field's rules). */
  value?: string | null;
  precision?: string | null;
  /** Time the field had the focus, in milliseconds. */
  ms: number;
  /** The entry's year, for reading two-digit years of an existing record's value. */
  pivot?: number;
}

/** What each decision on a re-run conflict means, as written to the audit trail. */
const CONFLICT_OUTCOMES: Record<Exclude<ReviewAction, 'skip'>, string> = {
  accept: 'kept_verified',
  rerun: 'took_reread',
  correct: 'typed',
  existing: 'took_existing_record',
  unreadable: 'unreadable',
  blank: 'blank',
};

export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

/** Accepting a field the machine could not read at all: there is nothing to accept. */
export class NothingToAcceptError extends Error {
  override name = 'NothingToAcceptError';
}

/**
 * Records a verifier's decision on a field item they hold. Accept and correct make the field `verified`
 * with source `verifier` (the machine's value kept in `machine_value`); unreadable marks it so; skip
 * hands the item back to the queue. The entry becomes `verified` when none of its fields awaits review.
 * Throws LeaseLostError when the lease lapsed (someone else may hold the item now).
 */
export async function decideItem(db: Database, account: Account, itemId: number, decision: ReviewDecision): Promise<{ entryVerified: boolean; keyed: 'first' | 'agreed' | 'disagreed' | null }> {
  return db.transaction(async (tx) => {
    // Lock the verifier's items of this entry in id order first: decisions on fields of one entry saved at
    // the same time (fast keying) then queue up instead of deadlocking on each other's lease renewals.
    await tx.query(
      `select id from review_item
        where entry_id = (select entry_id from review_item where id = $1) and kind = 'field' and claimed_by = $2
        order by id for update`,
      [itemId, account.name],
    );
    const [item] = await tx.query<{ entryId: number; field: string; value: string | null; reasons: string[]; conflictValue: string | null; settled: boolean }>(
      `select ri.entry_id as "entryId", ri.field, f.value, f.reasons, f.conflict_value as "conflictValue",
              f.status in ('verified', 'unreadable') as settled
         from review_item ri join entry_field f on f.entry_id = ri.entry_id and f.field = ri.field
        where ri.id = $1 and ri.kind = 'field' and ri.status = 'claimed' and ri.claimed_by = $2 and ri.claimed_until > now()
          for update of ri`,
      [itemId, account.name],
    );
    if (!item) throw new LeaseLostError(`review item ${itemId} is not held by this verifier`);
    const conflict = item.settled && item.conflictValue !== null;
    const blind = !conflict && isDoubleKeyed(item.reasons);
    if (decision.action === 'accept' && (item.value === null || blind)) throw new NothingToAcceptError(`review item ${itemId} has nothing to accept`);
    if (decision.action === 'rerun') {
      if (!conflict) throw new NothingToAcceptError(`review item ${itemId} has no conflicting re-read`);
      const checked = checkValue(item.field, item.conflictValue, { pivot: decision.pivot ?? new Date().getFullYear() });
      decision = { ...decision, value: item.conflictValue, precision: checked.ok ? checked.precision : null };
    }
    if (decision.action === 'existing') {
      const suggestion = blind ? null : await existingSuggestion(tx, item.entryId, item.field);
      if (!suggestion) throw new NothingToAcceptError(`review item ${itemId} has no existing record's value`);
      const checked = checkValue(item.field, suggestion.value, { pivot: decision.pivot ?? new Date().getFullYear() });
      decision = { ...decision, value: checked.ok ? checked.value : suggestion.value, precision: checked.ok ? checked.precision : null };
    }
    const ms = Math.max(0, Math.min(Math.round(decision.ms), 3_600_000));
    // the field and its entry as they stand before the decision, for the verifier's undo (src/review/undo.ts); the
    // person's snapshots the undo can no longer use are dropped (they hold personal values to no purpose)
    await tx.query(
      `update review_decision set field_before = null where account_id = $1 and field_before is not null and at < now() - make_interval(mins => $2)`,
      [account.id, UNDO_MINUTES],
    );
    await tx.query(
      `insert into review_decision (review_item_id, account_id, action, ms, field_before)
       values ($1, $2, $3, $4, case when $3 = 'skip' then null else (${FIELD_BEFORE_SQL}) end)`,
      [itemId, account.id, decision.action, ms, item.entryId, item.field],
    );

    let keyed: 'first' | 'agreed' | 'disagreed' | null = null;
    if (decision.action === 'skip') {
      await tx.query(`update review_item set status = 'open', claimed_by = null, claimed_until = null, updated_at = now() where id = $1`, [itemId]);
    } else if (blind) {
      keyed = await recordKeying(tx, account, itemId, item, decision, ms);
    } else {
      const status = decision.action === 'unreadable' ? 'unreadable' : 'verified';
      // machine_value keeps the machine's latest reading (a re-run's conflicting one when there is one); a
      // human value is never its source. Any decision settles a re-run conflict. Keeping a value someone
      // else set (existing record, supervisor) keeps its source.
      await tx.query(
        `update entry_field set
           machine_value = coalesce(conflict_value, case when source = 'machine' then value else machine_value end),
           conflict_value = null,
           value = case when $3 in ('correct', 'existing', 'rerun') then $4 when $3 in ('unreadable', 'blank') then null else value end,
           precision = case when $3 in ('correct', 'existing', 'rerun') then $5 when $3 in ('unreadable', 'blank') then null else precision end,
           status = $6,
           source = case when $3 = 'existing' then 'existing_record' when $3 = 'accept' and source <> 'machine' then source else 'verifier' end,
           verified_by = $7, verified_at = now(), updated_at = now()
         where entry_id = $1 and field = $2`,
        [item.entryId, item.field, decision.action, decision.value ?? null, decision.precision ?? null, status, account.name],
      );
      await tx.query(`update review_item set status = 'done', claimed_until = null, updated_at = now() where id = $1`, [itemId]);
    }
    // Working on an entry keeps the rest of it held.
    await tx.query(
      `update review_item set claimed_until = now() + make_interval(mins => $3)
        where entry_id = $1 and status = 'claimed' and claimed_by = $2`,
      [item.entryId, account.name, LEASE_MINUTES],
    );
    const entryVerified = await settleEntry(tx, item.entryId, item.field);
    await recordAudit(tx, {
      actor: account.name,
      action: `review_${decision.action}`,
      objectType: 'entry_field',
      objectId: `${item.entryId}:${item.field}`,
      detail: {
        reviewItem: itemId,
        ms,
        ...(keyed ? { keyed } : {}),
        ...(entryVerified ? { entryVerified: true } : {}),
        // How a re-run conflict was settled (values stay in their table: no personal data here).
        ...(conflict && decision.action !== 'skip' ? { rerunConflict: CONFLICT_OUTCOMES[decision.action] } : {}),
      },
    });
    return { entryVerified, keyed };
  });
}

/**
 * One blind keying. The first hands the item back to the queue for a second verifier; the second
 * compares: the same value (or both unreadable) verifies the field, different values send it to a
 * supervisor (status `arbitration`).
 */
async function recordKeying(
  tx: Sql,
  account: Account,
  itemId: number,
  item: { entryId: number; field: string },
  decision: ReviewDecision,
  ms: number,
): Promise<'first' | 'agreed' | 'disagreed'> {
  const unreadable = decision.action === 'unreadable';
  // a keying of the book's empty line (blank) is one without a value: two of them agree, as two equal values do
  const empty = unreadable || decision.action === 'blank';
  await tx.query(
    `insert into review_keying (review_item_id, account_id, value, precision, unreadable, ms) values ($1, $2, $3, $4, $5, $6)`,
    [itemId, account.id, empty ? null : (decision.value ?? null), empty ? null : (decision.precision ?? null), unreadable, ms],
  );
  const keyings = await tx.query<{ value: string | null; precision: string | null; unreadable: boolean }>(
    'select value, precision, unreadable from review_keying where review_item_id = $1 order by id',
    [itemId],
  );
  if (keyings.length < 2) {
    await tx.query(`update review_item set status = 'open', claimed_by = null, claimed_until = null, updated_at = now() where id = $1`, [itemId]);
    return 'first';
  }
  const [a, b] = keyings as [(typeof keyings)[0], (typeof keyings)[0]];
  if (a.unreadable !== b.unreadable || a.value !== b.value) {
    await tx.query(`update review_item set status = 'arbitration', claimed_by = null, claimed_until = null, updated_at = now() where id = $1`, [itemId]);
    return 'disagreed';
  }
  await tx.query(
    `update entry_field set
       machine_value = case when source = 'machine' then value else machine_value end,
       value = $3, precision = $4, status = $5, source = 'verifier', verified_by = $6, verified_at = now(), updated_at = now()
     where entry_id = $1 and field = $2`,
    [item.entryId, item.field, a.value, a.precision, a.unreadable ? 'unreadable' : 'verified', account.name],
  );
  await tx.query(`update review_item set status = 'done', claimed_until = null, updated_at = now() where id = $1`, [itemId]);
  return 'agreed';
}

/** The page a field is read on and where on its cleaned image the field and its entry lie. */
export interface FieldImagePlace {
  pageId: number;
  cleanSha256: string | null;
  originalSha256: string | null;
  box: number[] | null;
  entryBox: number[] | null;
}

/** Where a field lies on its cleaned page, for its crop; null when the item is not held by `claimedBy`. */
export async function fieldImageOf(sql: Sql, itemId: number, claimedBy: string): Promise<FieldImagePlace | null> {
  const [row] = await sql.query<FieldImagePlace>(
    `select p.id as "pageId", p.clean_sha256 as "cleanSha256", p.original_sha256 as "originalSha256", f.box,
            (select r->'box' from jsonb_array_elements(case when jsonb_typeof(e.region) = 'array' then e.region else '[]'::jsonb end) r
              where (r->>'pageId')::bigint = p.id limit 1) as "entryBox"
       from review_item ri
       join entry e on e.id = ri.entry_id
       join entry_field f on f.entry_id = ri.entry_id and f.field = ri.field
       join page p on p.id = coalesce(f.page_id, e.page_id)
      where ri.id = $1 and ri.status in ('claimed', 'arbitration') and ri.claimed_by = $2 and ri.claimed_until > now()`,
    [itemId, claimedBy],
  );
  return row ?? null;
}
