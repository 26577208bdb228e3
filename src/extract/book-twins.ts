/**
 * A typed name or place held only for OCR's confidence or a mark the parser put right (`low_confidence`,
 * `corrected`), whose very value was read surely elsewhere in its book: the registrar who signs every page, the
 * family's village, the father who declares on another page. src/extract/value-twins.ts confirms such copies within
 * one page while it is extracted; this pass looks across the whole book once all its pages are read (a copy on a page
 * read later would otherwise confirm only if its page came first), from the book checks (src/extract/book-checks.ts).
 *
 * What could make a twin unsafe, and what keeps it out:
 * - the same ink read twice (a page scanned twice, the second scan known or not; a page of another book or register):
 *   the copy must be on a page not set aside, from ink that does not meet its own on the same page, in another entry
 *   that is not the same registration (same year and number, or two dates to the day alike);
 * - a misreading that lands on another person's real name or address one mark away ("Hưng" for Hùng, "138" for 133):
 *   no word of the held value may be one records spell with other marks too (`otherSpelled`), nor the book's decided
 *   values spell its letters otherwise, it must be spelt as records spell it (`attested`), and a place must hold no
 *   figure (a house number one stroke away is another real address; `attested` does not judge figures);
 * - a twin itself accepted on another's word: only values sure from their own reading vouch (a value this pass accepted
 *   carries `twin_in_book`; one a copy on its page, its closed list or a second reading confirmed, `confirmedBy`), so
 *   acceptance never chains; and a twin that no longer vouches takes its copy back to review (`withdrawBookTwins`);
 * - hand-writing, whose readings err alike: both copies typewritten (src/extract/typewriter.ts);
 * - a second reading that read the copy otherwise (`readings_disagree`), lonely figures, any other hold: left held.
 * A value a person claimed, or decided, is not touched.
 *
 * Measured on the stored final runs of seeds 3306, 3346, 3341, 3342, 3343 (test/eval/book-value-twins.ts, BENCHMARKS.md
 * "Sixteenth session").
 */
import type { RouteReason } from '../../schemas/entries.ts';
import { recordAudit } from '../db/audit.ts';
import type { Sql } from '../db/sql.ts';
import { comparable, foldDiacritics } from '../text/normalise.ts';
import { AGREEING_READINGS, inAuditSample, reviewPriority } from './routing.ts';
import { attested } from './second-reading.ts';
import { typewrittenBoxes } from './typewriter.ts';
import { FREE_TEXT, meets } from './value-twins.ts';
import { fieldKind } from './values.ts';
import { otherSpelled, type Vocabulary } from './vocabulary.ts';
import type { OcrWord, PixelBox } from './words.ts';

/** The holds a sure twin may lift: neither says the ink is other than what was read. */
const LIFTED: ReadonlySet<string> = new Set<RouteReason>(['low_confidence', 'corrected']);
/** What a value accepted on its twin's word carries (and why it vouches for no other). */
export const TWIN_MARK: RouteReason = 'twin_in_book';
const DAY_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A field of a standing (not struck) entry of the book, as stored. */
export interface BookValue {
  id: number;
  entryId: number;
  pageId: number;
  field: string;
  value: string | null;
  status: string;
  source: string;
  reasons: readonly string[];
  box: PixelBox | null;
  /** Typewritten: its page told typed and its words fit the page's pitch. */
  typed: boolean;
  /** How its reasons were cleared when its own reading was unsure (migration 069); null or absent when sure from its own reading. */
  confirmedBy?: string | null;
  /** Its review item is in a person's hands (claimed, in arbitration). */
  claimed: boolean;
  /** The entry's year and number as read (null when not read). */
  year: number | null;
  entryNo: number | null;
}

/**
 * The held values of a book a sure twin confirms: each held value's id with the twin's. `setAside`: pages that are
 * another page's second scan or of another book or register (their values are no independent copies).
 *
 * @example
 * bookTwins(values, new Set([rescanPageId]), vocabulary); // [{ id: heldFieldId, twin: sureFieldId }]
 */
export function bookTwins(values: readonly BookValue[], setAside: ReadonlySet<number>, vocabulary: Vocabulary | undefined): { id: number; twin: number }[] {
  if (!vocabulary) return [];
  const standing = values.filter((v) => !setAside.has(v.pageId));
  const free = (v: BookValue) => v.value !== null && FREE_TEXT.has(fieldKind(v.field)) && v.typed;
  const sure = standing.filter((v) => free(v) && v.status === 'auto_accepted' && v.source === 'machine' && v.reasons.length === 0 && !v.confirmedBy);
  // the spellings the book's decided values give each string of letters, per kind
  const spellings = new Map<string, Set<string>>();
  for (const v of standing) {
    if (v.value === null || !FREE_TEXT.has(fieldKind(v.field)) || !['auto_accepted', 'verified'].includes(v.status)) continue;
    const key = `${fieldKind(v.field)}|${foldDiacritics(comparable(v.value))}`;
    (spellings.get(key) ?? spellings.set(key, new Set()).get(key)!).add(comparable(v.value));
  }
  const dates = new Map<number, Set<string>>();
  for (const v of standing) if (v.value !== null && fieldKind(v.field) === 'date' && DAY_DATE.test(v.value)) (dates.get(v.entryId) ?? dates.set(v.entryId, new Set()).get(v.entryId)!).add(`${v.field}=${v.value}`);
  const sameRegistration = (a: BookValue, b: BookValue) =>
    (a.entryNo !== null && a.entryNo === b.entryNo && a.year === b.year) || [...(dates.get(a.entryId) ?? [])].filter((d) => dates.get(b.entryId)?.has(d)).length >= 2;
  // the sure values by kind and value: a district's book holds tens of thousands of values, too many to scan per held one
  const sureByValue = new Map<string, BookValue[]>();
  for (const s of sure) {
    const key = `${fieldKind(s.field)}|${s.value}`;
    (sureByValue.get(key) ?? sureByValue.set(key, []).get(key)!).push(s);
  }
  const found: { id: number; twin: number }[] = [];
  for (const held of standing) {
    if (!free(held) || held.status !== 'review' || held.source !== 'machine' || held.claimed) continue;
    if (held.reasons.length === 0 || !held.reasons.every((r) => LIFTED.has(r)) || !attested(held.field, held.value!, vocabulary)) continue;
    if (otherSpelled(held.field, held.value!, vocabulary) || (fieldKind(held.field) === 'place' && /\d/u.test(held.value!))) continue;
    if ((spellings.get(`${fieldKind(held.field)}|${foldDiacritics(comparable(held.value!))}`)?.size ?? 0) > 1) continue;
    const twin = sureByValue.get(`${fieldKind(held.field)}|${held.value}`)?.find((s) => s.entryId !== held.entryId
      && !(s.pageId === held.pageId && meets(s.box, held.box)) && !sameRegistration(s, held));
    if (twin) found.push({ id: held.id, twin: twin.id });
  }
  return found;
}

/**
 * Whether the twin `twin` still vouches for a copy of value `value` (SQL expressions): accepted with that value from its
 * own sure reading, or decided so by a person; its entry standing and its page not set aside (`setAside`, a bigint
 * array) nor scanned twice.
 */
const stillVouches = (twin: string, value: string, setAside: string) => `exists (select 1 from entry_field t join entry te on te.id = t.entry_id join page tp on tp.id = t.page_id
    where t.id = ${twin} and t.value = ${value} and not te.struck and te.status <> 'struck' and not (t.page_id = any(${setAside}::bigint[]))
      and tp.rescan_of is null and not exists (select 1 from page r where r.rescan_of = tp.id)
      and ((t.status = 'auto_accepted' and t.source = 'machine' and t.reasons = '{}' and t.confirmed_by is null) or t.status = 'verified'))`;
/** What `bookTwins` read of the held value `$1` of `f` still holds: the same value, held only for what a twin lifts, no person on it. */
const STILL_HELD = `f.id = $1 and f.status = 'review' and f.source = 'machine' and f.value = $3 and f.reasons <> '{}' and f.reasons <@ $5::text[]
    and not exists (select 1 from review_item r where r.kind = 'field' and r.entry_id = f.entry_id and r.field = f.field and r.status in ('claimed', 'arbitration'))`;

/**
 * Accepts the held values of a book that a sure twin confirms (`bookTwins`), once all its pages are read: each leaves
 * review marked `twin_in_book` (its open review item cancelled, its twin stored and named in the audit trail), unless
 * the audit sample draws it, as it would any value accepted (src/extract/routing.ts): then it stays in review as an
 * audit item like any other, its twin stored and the trail naming it too, so audits measure this rule's error. First,
 * values accepted so whose twin no longer vouches go back to a person (`withdrawBookTwins`). Values a person claimed or
 * decided stay as they are; run again, it finds nothing more to do. Returns how many it accepted.
 */
export async function acceptBookTwins(sql: Sql, bookId: number, setAside: ReadonlySet<number>, auditRate: number, vocabulary: Vocabulary | undefined): Promise<number> {
  await withdrawBookTwins(sql, bookId, setAside);
  if (!vocabulary) return 0;
  const rows = await sql.query<Omit<BookValue, 'typed'>>(
    `select f.id, f.entry_id as "entryId", f.page_id as "pageId", f.field, f.value, f.status, f.source, f.reasons, f.box, f.confirmed_by as "confirmedBy",
            e.year, e.entry_no as "entryNo",
            exists (select 1 from review_item r where r.kind = 'field' and r.entry_id = f.entry_id and r.field = f.field and r.status in ('claimed', 'arbitration')) as claimed
       from entry_field f join entry e on e.id = f.entry_id
      where e.book_id = $1 and not e.struck and e.status <> 'struck' and f.page_id is not null and f.value is not null`,
    [bookId],
  );
  // every value taken as typed first: only the pages of the values that could then pair have their words read (a
  // book's words are large, and the checks run for every page routed again)
  const possible = bookTwins(rows.map((r) => ({ ...r, typed: true })), setAside, vocabulary);
  if (possible.length === 0) return 0;
  const heldValues = new Set(possible.map((p) => rows.find((r) => r.id === p.id)!.value));
  const involved = new Set(rows.filter((r) => heldValues.has(r.value) && (r.status === 'review' || r.reasons.length === 0)).map((r) => r.pageId));
  const pages = await sql.query<{ pageId: number; words: OcrWord[] }>(`select page_id as "pageId", words from page_ocr where page_id = any($1::bigint[])`, [[...involved]]);
  const typed = new Set<number>();
  for (const { pageId, words } of pages) {
    const own = rows.filter((r) => r.pageId === pageId);
    typewrittenBoxes(words, own.map((r) => r.box)).forEach((yes, i) => yes && typed.add(own[i]!.id));
  }
  const found = bookTwins(rows.map((r) => ({ ...r, typed: typed.has(r.id) })), setAside, vocabulary);
  let accepted = 0;
  for (const { id, twin } of found) {
    const claim = [id, twin, rows.find((r) => r.id === id)!.value, [...setAside], [...LIFTED]];
    const drawn = inAuditSample(id, auditRate);
    // the claim re-checked as it is written: a person may have claimed the value, or its twin changed, since it was read
    // the confidence it had before is kept in the trail (confidenceBefore): a withdrawal gives it back
    const [done] = await sql.query<{ entryId: number; field: string; confidenceBefore: number }>(
      drawn
        ? `update entry_field f set reasons = '{audit_sample}', audit_sample = true, twin_field_id = $2, updated_at = now()
            where ${STILL_HELD} and ${stillVouches('$2', '$3', '$4')} returning f.entry_id as "entryId", f.field, f.confidence as "confidenceBefore"`
        : `update entry_field f set status = 'auto_accepted', reasons = array['${TWIN_MARK}'], confidence = greatest(f.confidence, ${AGREEING_READINGS}),
                  twin_field_id = $2, updated_at = now()
             from entry_field before
            where before.id = f.id and ${STILL_HELD} and ${stillVouches('$2', '$3', '$4')} returning f.entry_id as "entryId", f.field, before.confidence as "confidenceBefore"`,
      claim,
    );
    if (!done) continue;
    await recordAudit(sql, {
      actor: 'machine', action: 'field_accepted_by_twin', objectType: 'entry_field', objectId: `${done.entryId}:${done.field}`,
      detail: { twinFieldId: twin, ...(drawn ? { auditSample: true } : { confidenceBefore: done.confidenceBefore }) },
    });
    if (drawn) continue;
    accepted++;
    await sql.query(`update review_item set status = 'cancelled', updated_at = now() where kind = 'field' and entry_id = $1 and field = $2 and status = 'open'`, [done.entryId, done.field]);
    await sql.query(
      `update entry e set status = 'verified', updated_at = now()
        where e.id = $1 and e.status = 'needs_review' and not exists (select 1 from entry_field f where f.entry_id = e.id and f.status = 'review')`, [done.entryId]);
  }
  return accepted;
}

/**
 * Sends back to a person (`twin_withdrawn`; `twin_unrecorded` when its twin is a value accepted before migration 069,
 * which vouches no more since 070 as how it was confirmed is unknown) the values of a book accepted on a twin's word whose twin no longer vouches
 * (`stillVouches`; one accepted before its twin was stored, migration 069, has none): a verifier put it right, a new reading read it otherwise or holds it, its entry was struck, its
 * page is set aside (`setAside`) or found scanned twice, or it is gone. A value a person accepted or typed is not
 * touched (only the machine's `twin_in_book` acceptance is undone, with the confidence it had before it, kept in the
 * trail: calibration would count it sure); its entry, if served as verified, needs review
 * again. Run with each twins pass and after a person decides a value (src/extract/book-checks.ts). Returns how many.
 */
export async function withdrawBookTwins(sql: Sql, bookId: number, setAside: ReadonlySet<number>): Promise<number> {
  const back = await sql.query<{ entryId: number; field: string; twin: number | null }>(
    `update entry_field f set status = 'review', twin_field_id = null, updated_at = now(),
            reasons = case when exists (select 1 from entry_field t where t.id = before.twin_field_id and t.confirmed_by = 'unknown'
                                         and t.status = 'auto_accepted' and t.value = f.value) then '{twin_unrecorded}'::text[] else '{twin_withdrawn}' end,
            confidence = coalesce((select (a.detail->>'confidenceBefore')::real from audit_event a where a.object_type = 'entry_field'
                                     and a.object_id = f.entry_id || ':' || f.field and a.action = 'field_accepted_by_twin' order by a.id desc limit 1), f.confidence)
       from entry_field before join entry e on e.id = before.entry_id
      where before.id = f.id and e.book_id = $1 and f.status = 'auto_accepted' and f.source = 'machine' and f.reasons = array['${TWIN_MARK}']
        and not (f.twin_field_id is not null and ${stillVouches('f.twin_field_id', 'f.value', '$2')})
      returning f.entry_id as "entryId", f.field, before.twin_field_id as twin`,
    [bookId, [...setAside]],
  );
  for (const { entryId, field, twin } of back) {
    await sql.query(`insert into review_item (kind, entry_id, field, priority) values ('field', $1, $2, $3) on conflict do nothing`, [entryId, field, reviewPriority(field)]);
    await sql.query(`update entry set status = 'needs_review', updated_at = now() where id = $1 and status = 'verified'`, [entryId]);
    await recordAudit(sql, { actor: 'machine', action: 'field_twin_withdrawn', objectType: 'entry_field', objectId: `${entryId}:${field}`, detail: { twinFieldId: twin } });
  }
  return back.length;
}
