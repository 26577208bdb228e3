import type { Account } from '../auth/accounts.ts';
import { may } from '../auth/roles.ts';
import { recordAudit } from '../db/audit.ts';
import { decideCandidate } from '../db/matches.ts';
import type { Database } from '../db/sql.ts';
import { LEASE_MINUTES, LeaseLostError, SKIP_MINUTES } from './queue.ts';

export interface MatchReview {
  itemId: number;
  candidateId: number;
  entryId: number;
  registerType: string;
  bookNo: string;
  office: string;
  year: number | null;
  entryNo: number | null;
  /** The scanned entry's current values by field key. */
  entryFields: Record<string, string | null>;
  /** The other side: an existing electronic record, or another scanned entry (a second copy, a re-registration). */
  other: { kind: 'existing'; sourceId: string; registeredAt: string | null; fields: Record<string, string | null> } | { kind: 'entry'; entryId: number; fields: Record<string, string | null> };
  score: number;
  probability: number;
  explanation: { comparison: string; kind: string; level: string; weight: number }[];
  guard: string | null;
  hasRegion: boolean;
  /** The person took back a decision on this pair after seeing the machine's probability (it came back: waitsForOthers). */
  seenBefore: boolean;
}

/** How long a pair a person undid after seeing the machine's probability waits for someone else before it is theirs again. */
export const UNDONE_HOLD_HOURS = 24;

/** Who is counted as someone else to decide a pair: people whose work is review (an admin may, but is not counted on). */
const OTHER_DECIDERS = { open: ['verifier', 'supervisor'], arbitration: ['supervisor'] };

/**
 * SQL: the pair of review item `ri` (its book `b`) waits for someone other than the person named by `$actor`. It
 * does when the person decided it, saw the machine's probability in the decision's answer, and took it back (undoMatch;
 * found by the undo's audit event, audit_event_object index) less than `$hours` ago, and someone else can still take
 * it: an enabled verifier or supervisor of the book's office (a supervisor for a pair sent to arbitration) who has
 * not undone it after seeing its probability too. A decision made knowing the probability is not the independent
 * judgement it is meant to be; but a pair nobody else can take, or that waited a working day, comes back to the
 * person rather than wait for nobody.
 */
function waitsForOthers(actor: string, hours: string, openRoles: string, arbitrationRoles: string): string {
  const undoneBy = (who: string, alias: string) => `select 1 from audit_event ${alias} where ${alias}.object_type = 'match_candidate'
      and ${alias}.object_id = ri.match_candidate_id::text and ${alias}.action = 'match_undo' and ${alias}.actor = ${who} and ${alias}.detail->>'undone' <> 'skip'`;
  return `(exists (${undoneBy(actor, 'a')} and a.at > now() - make_interval(hours => ${hours}))
    and exists (select 1 from account o where o.name <> ${actor} and not o.disabled
                  and o.role = any(case when ri.status = 'arbitration' then ${arbitrationRoles}::text[] else ${openRoles}::text[] end)
                  and (o.all_offices or exists (select 1 from account_office ao where ao.account_id = o.id and ao.office_id = b.office_id))
                  and not exists (${undoneBy('o.name', 'u')})))`;
}

/** The parameters waitsForOthers reads, after the person's name. */
const waitParams = () => [UNDONE_HOLD_HOURS, OTHER_DECIDERS.open, OTHER_DECIDERS.arbitration];

/**
 * How many pairs of the person's offices wait for someone else because the person took their decision back after
 * seeing the machine's probability (waitsForOthers): the match review screen shows it, so nobody wonders where they went.
 */
export async function countWaitingForOthers(db: Database, account: Account): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `select count(*)::int as n from review_item ri join entry e on e.id = ri.entry_id join book b on b.id = e.book_id
      where ri.kind = 'match' and (ri.status in ('open', 'arbitration') or (ri.status = 'claimed' and ri.claimed_until <= now()))
        and ($1 or b.office_id = any($2)) and ${waitsForOthers('$3', '$4', '$5', '$6')}`,
    [account.allOffices, account.officeIds, account.name, ...waitParams()],
  );
  return row!.n;
}

/**
 * Claims the next candidate pair a person must decide (highest priority first, the verifier's offices,
 * `for update skip locked`, under the same lease as field review) and loads both sides. Supervisors get the
 * pairs a verifier was unsure of first.
 */
export async function claimMatch(db: Database, account: Account): Promise<MatchReview | null> {
  const itemId = await db.transaction(async (tx) => {
    const [held] = await tx.query<{ id: number }>(
      `select id from review_item where kind = 'match' and status = 'claimed' and claimed_by = $1 and claimed_until > now() order by id limit 1`,
      [account.name],
    );
    if (held) return held.id;
    const [pick] = await tx.query<{ id: number; entryId: number }>(
      `select ri.id, ri.entry_id as "entryId" from review_item ri join entry e on e.id = ri.entry_id join book b on b.id = e.book_id
        where ri.kind = 'match' and (ri.status = 'open' or (ri.status = 'claimed' and ri.claimed_until <= now()) or ($5 and ri.status = 'arbitration'))
          and ($1 or b.office_id = any($2))
          and not exists (select 1 from review_decision d where d.review_item_id = ri.id and d.account_id = $3
                            and d.action in ('skip', 'unsure') and d.at > now() - make_interval(mins => $4))
          and not ${waitsForOthers('$6', '$7', '$8', '$9')}
        order by (ri.status = 'arbitration') desc, ri.priority desc, ri.id limit 1 for update of ri skip locked`,
      [account.allOffices, account.officeIds, account.id, SKIP_MINUTES, may(account.role, 'arbitrate'), account.name, ...waitParams()],
    );
    if (!pick) return null;
    await tx.query(`update review_item set status = 'claimed', claimed_by = $2, claimed_until = now() + make_interval(mins => $3), updated_at = now() where id = $1`, [pick.id, account.name, LEASE_MINUTES]);
    await recordAudit(tx, { actor: account.name, action: 'match_claim', objectType: 'review_item', objectId: pick.id, detail: { entry: pick.entryId } });
    return pick.id;
  });
  if (itemId === null) return null;
  const [row] = await db.query<Omit<MatchReview, 'entryFields' | 'other'> & { existingId: number | null; otherEntryId: number | null; sourceId: string | null; registeredAt: string | null; existingFields: Record<string, string | null> | null }>(
    `select ri.id as "itemId", c.id as "candidateId", e.id as "entryId", e.register_type as "registerType", b.book_no as "bookNo", o.name as office,
            e.year, e.entry_no as "entryNo", c.score, c.probability, c.explanation, c.guard, (e.region is not null) as "hasRegion",
            exists (select 1 from audit_event a where a.object_type = 'match_candidate' and a.object_id = c.id::text and a.action = 'match_undo'
                      and a.actor = $2 and a.detail->>'undone' <> 'skip') as "seenBefore",
            c.existing_record_id as "existingId", c.other_entry_id as "otherEntryId", x.source_id as "sourceId", x.registered_at as "registeredAt", x.fields as "existingFields"
       from review_item ri join match_candidate c on c.id = ri.match_candidate_id
       join entry e on e.id = ri.entry_id join book b on b.id = e.book_id join registry_office o on o.id = b.office_id
       left join existing_record x on x.id = c.existing_record_id
      where ri.id = $1`,
    [itemId, account.name],
  );
  if (!row) return null;
  const fieldsOf = async (entryId: number) =>
    Object.fromEntries((await db.query<{ field: string; value: string | null }>('select field, value from entry_field where entry_id = $1 order by id', [entryId])).map((f) => [f.field, f.value]));
  // The pair may list the reviewed entry on either side (entry_id < other_entry_id).
  const otherEntry = row.otherEntryId === null ? null : row.otherEntryId === row.entryId ? null : row.otherEntryId;
  const { existingId, otherEntryId, sourceId, registeredAt, existingFields, ...rest } = row;
  void existingId;
  void otherEntryId;
  return {
    ...rest,
    entryFields: await fieldsOf(row.entryId),
    other: existingFields !== null
      ? { kind: 'existing', sourceId: sourceId!, registeredAt, fields: existingFields }
      : { kind: 'entry', entryId: otherEntry ?? row.entryId, fields: await fieldsOf(otherEntry ?? row.entryId) },
  };
}

export type MatchDecision = 'same' | 'different' | 'unsure' | 'skip';

/**
 * A verifier's decision on a pair: same/different is kept by matching across re-runs (decideCandidate);
 * unsure sends the pair to a supervisor (status `arbitration`); skip hands it back to the queue.
 */
export async function decideMatch(db: Database, account: Account, itemId: number, decision: MatchDecision, ms: number): Promise<{ probability: number }> {
  return db.transaction(async (tx) => {
    const [item] = await tx.query<{ candidateId: number; entryId: number; probability: number }>(
      `select ri.match_candidate_id as "candidateId", ri.entry_id as "entryId", c.probability from review_item ri join match_candidate c on c.id = ri.match_candidate_id
        where ri.id = $1 and ri.kind = 'match' and ri.status = 'claimed' and ri.claimed_by = $2 and ri.claimed_until > now() for update of ri`,
      [itemId, account.name],
    );
    if (!item) throw new LeaseLostError(`match item ${itemId} is not held by this verifier`);
    const time = Math.max(0, Math.min(Math.round(ms), 3_600_000));
    await tx.query('insert into review_decision (review_item_id, account_id, action, ms) values ($1, $2, $3, $4)', [itemId, account.id, decision, time]);
    if (decision === 'same' || decision === 'different') await decideCandidate(tx, item.candidateId, decision, account.name);
    else {
      await tx.query(`update review_item set status = $2, claimed_by = null, claimed_until = null, updated_at = now() where id = $1`, [itemId, decision === 'unsure' ? 'arbitration' : 'open']);
    }
    await recordAudit(tx, { actor: account.name, action: `match_${decision}`, objectType: 'match_candidate', objectId: item.candidateId, detail: { reviewItem: itemId, entry: item.entryId, ms: time } });
    return { probability: item.probability };
  });
}

/** How long a verifier may take back a decision on a pair. */
export const UNDO_MINUTES = 10;

/** Where a decision leaves its review item: an undo finds it there, or someone has acted on it since. */
const LEFT_AS: Record<MatchDecision, string> = { same: 'done', different: 'done', unsure: 'arbitration', skip: 'open' };

/**
 * Takes back the verifier's own last decision on a pair, within UNDO_MINUTES and while nobody has acted on the pair
 * since (a supervisor deciding what was sent to them, another verifier claiming what was skipped): the person's
 * decision is removed and the undo audited. Who decides the pair then: the answer to a link, "not the same" or
 * "unsure" showed the person the machine's probability, so the pair goes back to the queue for someone else (to the
 * supervisors when a verifier had sent it to them) while someone else can take it, for UNDONE_HOLD_HOURS at most
 * (claimMatch, waitsForOthers); a skip showed nothing, and a pair nobody else can take would wait for nobody, so those
 * are held by the person again (the pair they were shown next handed back). Returns null when it can no longer be
 * taken back, else whether the pair was handed on to someone else and whether the person had seen its probability.
 */
export async function undoMatch(db: Database, account: Account, itemId: number): Promise<{ handedOn: boolean; seen: boolean } | null> {
  return db.transaction(async (tx) => {
    const [item] = await tx.query<{ status: string; candidateId: number }>(
      `select status, match_candidate_id as "candidateId" from review_item where id = $1 and kind = 'match' for update`, [itemId]);
    const [last] = await tx.query<{ id: number; accountId: number; action: MatchDecision; recent: boolean }>(
      `select id, account_id as "accountId", action, at > now() - make_interval(mins => $2) as recent from review_decision where review_item_id = $1 order by id desc limit 1`,
      [itemId, UNDO_MINUTES]);
    if (!item || !last || Number(last.accountId) !== account.id || !last.recent || item.status !== LEFT_AS[last.action]) return null;
    if (last.action === 'same' || last.action === 'different') {
      const undone = await tx.query(
        `update match_candidate set person_decision = null, decided_by = null, decided_at = null, updated_at = now() where id = $1 and person_decision = $2 and decided_by = $3 returning id`,
        [item.candidateId, last.action, account.name]);
      if (!undone.length) return null;
    }
    await tx.query('delete from review_decision where id = $1', [last.id]);
    await recordAudit(tx, { actor: account.name, action: 'match_undo', objectType: 'match_candidate', objectId: item.candidateId, detail: { reviewItem: itemId, undone: last.action } });
    const seen = last.action !== 'skip';
    if (seen) {
      await tx.query(
        `update review_item set status = case when exists (select 1 from review_decision d where d.review_item_id = $1 and d.action = 'unsure') then 'arbitration' else 'open' end,
           claimed_by = null, claimed_until = null, updated_at = now() where id = $1`, [itemId]);
      const [handed] = await tx.query<{ waits: boolean; status: string }>(
        `select ${waitsForOthers('$2', '$3', '$4', '$5')} as waits, ri.status from review_item ri join entry e on e.id = ri.entry_id join book b on b.id = e.book_id where ri.id = $1`,
        [itemId, account.name, ...waitParams()]);
      // a pair still sent to the supervisors is theirs, never a verifier's to hold
      if (handed!.waits || (handed!.status === 'arbitration' && !may(account.role, 'arbitrate'))) return { handedOn: true, seen };
    }
    await tx.query(`update review_item set status = 'open', claimed_by = null, claimed_until = null, updated_at = now() where kind = 'match' and status = 'claimed' and claimed_by = $1 and id <> $2`, [account.name, itemId]);
    await tx.query(`update review_item set status = 'claimed', claimed_by = $2, claimed_until = now() + make_interval(mins => $3), updated_at = now() where id = $1`, [itemId, account.name, LEASE_MINUTES]);
    return { handedOn: false, seen };
  });
}
