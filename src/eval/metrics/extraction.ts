/**
 * Entries and fields against the truth (EVALUATION.md "entries", "fields"): pure functions over what the pipeline
 * stored, keyed the way the truth is (`<book>/<year>/<entryNo>`). Book checks: book-checks.ts.
 */
import type { BookTruth } from '../../../schemas/corpus.ts';
import { isCriticalField } from '../../../schemas/corpus.ts';
import { fieldKind, RELATIONS } from '../../extract/values.ts';
import { precisionRecall, ratio, wilson95 } from './counts.ts';

export interface StoredEntry {
  /** The entry's id in the pipeline's database (absent in hand-made test data). */
  id?: number;
  /** Corpus book id the entry's page belongs to. */
  book: string;
  year: number | null;
  entryNo: number | null;
  struck: boolean;
  /** Delivered page index (within the corpus book) and position on it: pairs an entry whose number was misread. */
  page?: number | null;
  seq?: number;
  /** Delivered page indexes (within the corpus book) of every page the entry covers, in order, when known. */
  pages?: number[];
  /** `raw`, `reasons` and `confidence` as extraction and routing left them (for a look at why a field went to a person). */
  fields: Record<string, { value: string | null; raw?: string | null; status: string; reasons?: string[]; confidence?: number }>;
  /** Marginal-note events read on the entry. */
  notes: { kind: string; field: string | null; newValue: string | null; date: string | null }[];
  /** Of an entry of a register of changes: the events it made on the entries it refers to (`target`: their ids). */
  changes?: { target: number; kind: string; field: string | null; newValue: string | null; date: string | null }[];
  /** Of an entry of a register of changes held for a person: why (schemas/entries.ts CHANGE_REASONS). */
  changeReason?: string | null;
}

/** How many wrongly accepted values (or issues) the report lists. */
export const MAX_LISTED = 50;

const sameValue = (machine: string | null | undefined, truth: string) =>
  machine != null && machine.normalize('NFC').replace(/\s+/g, ' ').trim() === truth.normalize('NFC').replace(/\s+/g, ' ').trim();

/**
 * A relation (declarantRelation, parentRelation…) is a closed vocabulary the product stores in one spelling
 * (src/extract/values.ts RELATIONS); registers write it in either case ("cháu", "Cháu"), which says nothing. Only a
 * value stored in that spelling is compared without case: one outside the vocabulary is compared as written.
 */
export const sameFieldValue = (name: string, machine: string | null | undefined, truth: string) =>
  fieldKind(name) === 'relation' && machine != null && [...RELATIONS.values()].includes(machine.normalize('NFC'))
    ? sameValue(machine.toLowerCase(), truth.toLowerCase())
    : sameValue(machine, truth);

interface Tally {
  truth: number;
  correct: number;
  auto: number;
  autoWrong: number;
  review: number;
}
const tally = (): Tally => ({ truth: 0, correct: 0, auto: 0, autoWrong: 0, review: 0 });

function rates(t: Tally) {
  return {
    truth: t.truth,
    machineAccuracy: ratio(t.correct, t.truth),
    autoAcceptRate: ratio(t.auto, t.truth),
    autoAcceptedErrorRate: ratio(t.autoWrong, t.auto),
    autoAcceptedErrorUpper95: t.truth === 0 ? null : wilson95(t.autoWrong, t.auto).high,
  };
}

/**
 * Pairs stored entries with truth entries: by book, year and entry number, and then an entry whose
 * number was misread with the unpaired truth entry at the same place on the same page (between the truth entries
 * of the entries paired by number before and after it on the page), so that its
 * fields (and its wrong number) are still judged instead of vanishing from the error count. When several
 * stored entries carry one number (a page delivered twice is read twice), the one on the page the truth
 * puts the entry on is that entry; the copy read from the second scan pairs with nothing. A number read
 * unsurely on another page than the truth's pairs that entry by its place instead.
 */
export function pairEntries(books: readonly { id: string; truth: BookTruth }[], stored: readonly StoredEntry[]) {
  const byKey = new Map<string, StoredEntry[]>();
  for (const e of stored) {
    if (e.struck || e.year === null || e.entryNo === null) continue;
    const key = `${e.book}/${e.year}/${e.entryNo}`;
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }
  const paired = new Map<string, { machine: StoredEntry; byNumber: boolean }>();
  const numberSure = (e: StoredEntry) => e.fields.entryNo?.status === 'auto_accepted' || e.fields.entryNo?.status === 'verified';
  // a number sent to a person is typed again from the entry itself, so an unsure reading names the truth entry it
  // reads only where its place on the page agrees: taken after the sure ones, nearest places first, each only when it
  // keeps the page's order with the pairs made before it (35 then "34" read for 36: the person types 36, not 34)
  const unsure: { key: string; entry: (typeof books)[number]['truth']['entries'][number]; book: string; machine: StoredEntry; distance: number }[] = [];
  const truthPlace = new Map<StoredEntry, number>();
  for (const book of books) for (const entry of book.truth.entries) {
    const key = `${book.id}/${entry.year}/${entry.entryNo}`;
    const candidates = byKey.get(key) ?? [];
    if (entry.struck) continue;
    // of several entries read with this number, the copy on the truth's page (not a rescan's); on it, one whose
    // number was accepted, else the one at the truth entry's place on the page (63 read "65" beside the real 65)
    const onPage = candidates.filter((e) => e.page != null && entry.pages.includes(e.page));
    const place = book.truth.entries.filter((e) => e.pages[0] === entry.pages[0]).indexOf(entry);
    const nearest = [...onPage].sort((a, b) => Math.abs((a.seq ?? 0) - place) - Math.abs((b.seq ?? 0) - place));
    // off the truth's page, only a number nobody looks at (accepted) stands: one sent to a person is typed again
    // from the entry itself (5 read "9" on another page than 9's is entry 5 to them), paired below by its place
    const machine = nearest.find(numberSure) ?? (nearest.length === 0 ? candidates.find((e) => e.page == null || numberSure(e)) : undefined);
    if (machine) {
      paired.set(key, { machine, byNumber: true });
      truthPlace.set(machine, place);
    } else if (nearest[0]) unsure.push({ key, entry, book: book.id, machine: nearest[0], distance: Math.abs((nearest[0].seq ?? 0) - place) });
  }
  unsure.sort((a, b) => a.distance - b.distance);
  for (const u of unsure) {
    const truthEntries = books.find((b) => b.id === u.book)!.truth.entries;
    const place = truthEntries.filter((e) => e.pages[0] === u.entry.pages[0]).indexOf(u.entry);
    const inOrder = [...paired.values()].every(({ machine: m }) =>
      m.book !== u.machine.book || m.page !== u.machine.page || !truthPlace.has(m) || m === u.machine
      || Math.sign((m.seq ?? 0) - (u.machine.seq ?? 0)) === Math.sign(truthPlace.get(m)! - place));
    if (!inOrder || [...paired.values()].some((p) => p.machine === u.machine)) continue;
    paired.set(u.key, { machine: u.machine, byNumber: true });
    truthPlace.set(u.machine, place);
  }
  // the rest by place: an entry left on a page lies between the entries of that page paired by number before and
  // after it (24, one read without a number, 28: it is 25, not 23 which was not found at all)
  const used = new Set([...paired.values()].map((p) => p.machine));
  const onPage = new Map<string, StoredEntry[]>();
  for (const e of stored) {
    if (e.struck || e.page == null) continue;
    onPage.set(`${e.book}#${e.page}`, [...(onPage.get(`${e.book}#${e.page}`) ?? []), e]);
  }
  for (const book of books) {
    const pages = new Set(book.truth.entries.map((e) => e.pages[0]!));
    for (const page of pages) {
      const truthHere = book.truth.entries.filter((e) => e.pages[0] === page && !e.struck);
      const keyOf = (e: (typeof truthHere)[number]) => `${book.id}/${e.year}/${e.entryNo}`;
      const place = new Map<StoredEntry, number>();
      truthHere.forEach((t, i) => { const p = paired.get(keyOf(t)); if (p) place.set(p.machine, i); });
      const found = [...(onPage.get(`${book.id}#${page}`) ?? [])].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
      found.forEach((machine, k) => {
        if (used.has(machine)) return;
        const before = Math.max(-1, ...found.slice(0, k).flatMap((m) => (place.has(m) ? [place.get(m)!] : [])));
        const after = Math.min(truthHere.length, ...found.slice(k + 1).flatMap((m) => (place.has(m) ? [place.get(m)!] : [])));
        const at = truthHere.findIndex((t, i) => i > before && i < after && !paired.has(keyOf(t)));
        if (at < 0) return;
        paired.set(keyOf(truthHere[at]!), { machine, byNumber: false });
        used.add(machine);
        place.set(machine, at);
      });
    }
  }
  return paired;
}

/**
 * Entries of registers of changes against the truth's `change` (src/extract/changes.ts): a change whose original
 * is in the corpus is `right` when exactly its event (kind, field, new value, date) is on the entry found for the
 * original, `wrong` when it made any other event (on another entry, or other values), `unresolved` when it made
 * none (held for a person); a change whose original is not in the corpus must make none (`absentHeld`).
 */
export function scoreChanges(books: readonly { id: string; truth: BookTruth }[], stored: readonly StoredEntry[]) {
  const paired = pairEntries(books, stored);
  const score = { truth: 0, withOriginal: 0, right: 0, wrong: 0, unresolved: 0, originalAbsent: 0, absentHeld: 0, changeNotFound: 0 };
  const wrongList: { entry: string; refersTo: string | null; made: NonNullable<StoredEntry['changes']> }[] = [];
  /** Changes with their original in the corpus that made no event, by the reason they were held (`original_not_read`: extraction did not find the original). */
  const unresolvedBy: Record<string, number> = {};
  for (const book of books) for (const entry of book.truth.entries) {
    const change = entry.change;
    if (!change || entry.struck) continue;
    score.truth++;
    const key = `${book.id}/${entry.year}/${entry.entryNo}`;
    const machine = paired.get(key)?.machine;
    const made = machine?.changes ?? [];
    if (!machine) score.changeNotFound++;
    if (change.refersTo === null) {
      score.originalAbsent++;
      if (made.length === 0) score.absentHeld++;
      else score.wrong++;
      if (made.length > 0 && wrongList.length < MAX_LISTED) wrongList.push({ entry: key, refersTo: null, made });
      continue;
    }
    score.withOriginal++;
    const target = paired.get(change.refersTo)?.machine;
    const right = made.length === 1 && target?.id !== undefined && made[0]!.target === target.id && made[0]!.kind === change.kind &&
      made[0]!.field === change.field && sameValue(made[0]!.newValue, change.new) && made[0]!.date === change.date;
    if (right) score.right++;
    else if (made.length > 0) {
      score.wrong++;
      if (wrongList.length < MAX_LISTED) wrongList.push({ entry: key, refersTo: change.refersTo, made });
    } else {
      score.unresolved++;
      const reason = !target ? 'original_not_read' : !machine ? 'change_not_read' : (machine.changeReason ?? 'none');
      unresolvedBy[reason] = (unresolvedBy[reason] ?? 0) + 1;
    }
  }
  return { ...score, precision: ratio(score.right, score.right + score.wrong), recall: ratio(score.right, score.withOriginal), unresolvedBy, wrongList };
}

/**
 * The critical kinds of EVALUATION.md, whose auto-accepted error budget holds for each on its own:
 * names, dates (with parents' birth years), places, ID numbers, and the entry number that files the record.
 */
export function criticalKind(field: string): string | null {
  if (field === 'entryNo') return 'entryNumbers';
  if (!isCriticalField(field)) return null;
  const kind = fieldKind(field);
  return kind === 'name' ? 'names' : kind === 'date' || kind === 'year' ? 'dates' : kind === 'place' ? 'places' : kind === 'idNumber' ? 'idNumbers' : null;
}

export function scoreExtraction(books: readonly { id: string; era: string; fill?: string; truth: BookTruth }[], stored: readonly StoredEntry[]) {
  const paired = pairEntries(books, stored);
  const all = tally();
  const byField = new Map<string, Tally>();
  const byEra = new Map<string, Tally>();
  /** Printed, typed or hand-filled values: the targets differ (auto-accept on print, no error on hand). */
  const byFill = new Map<string, Tally>();
  const byCriticalKind = new Map<string, Tally>();
  let truthEntries = 0;
  let found = 0;
  /** The wrong values that were accepted without a person: what a threshold change must fix. */
  const acceptedWrong: { entry: string; field: string; machine: string | null; truth: string }[] = [];
  let truthNotes = 0;
  let notesRead = 0;
  /** Entries running over a page break, and those found with both their pages (their fields count like any entry's). */
  const continued = { truth: 0, joined: 0 };
  for (const book of books) {
    for (const entry of book.truth.entries) {
      if (entry.struck) continue;
      truthEntries++;
      const key = `${book.id}/${entry.year}/${entry.entryNo}`;
      const pair = paired.get(key);
      const machine = pair?.machine;
      if (pair?.byNumber) found++;
      if (entry.pages.length > 1) {
        continued.truth++;
        if (pair?.byNumber && machine?.pages?.join() === entry.pages.join()) continued.joined++;
      }
      for (const note of entry.notes) {
        truthNotes++;
        // read when an event of the same kind names the same field, new value and date as the truth gives
        if (machine?.notes.some((n) => n.kind === note.kind && (note.field ?? null) === n.field && (note.new === undefined || sameValue(n.newValue, note.new)) && (note.date === undefined || n.date === note.date))) notesRead++;
      }
      // the entry number is judged like any field: accepted wrong, it files the record under another number
      const truthFields: [string, string][] = [['entryNo', String(entry.entryNo)], ...Object.entries(entry.fields).map(([name, t]): [string, string] => [name, t.value])];
      for (const [name, truth] of truthFields) {
        const field = machine?.fields[name];
        const correct = sameFieldValue(name, field?.value, truth);
        const auto = field?.status === 'auto_accepted';
        const critical = criticalKind(name);
        const groups = [all, getOr(byField, name), getOr(byEra, book.era), ...(critical ? [getOr(byCriticalKind, critical)] : []), ...(book.fill ? [getOr(byFill, book.fill)] : [])];
        for (const t of groups) {
          t.truth++;
          if (correct) t.correct++;
          if (auto) {
            t.auto++;
            if (!correct) t.autoWrong++;
          } else if (field) t.review++;
        }
        if (auto && !correct && acceptedWrong.length < MAX_LISTED) acceptedWrong.push({ entry: key, field: name, machine: field?.value ?? null, truth });
      }
    }
  }
  const matchedEntries = new Set([...paired.values()].map((p) => p.machine));
  const extracted = stored.filter((e) => !e.struck);
  const invented = extracted.filter((e) => !matchedEntries.has(e)).reduce((sum, e) => sum + Object.keys(e.fields).length, 0);
  const pr = precisionRecall(found, Math.max(found, extracted.length), truthEntries);
  return {
    entries: { truth: truthEntries, found, precision: pr.precision, recall: pr.recall, continued },
    notes: { truth: truthNotes, read: notesRead, recall: ratio(notesRead, truthNotes) },
    fields: {
      // what the archive ends with if reviewers are right: machine values where accepted, truth where reviewed
      accuracy: ratio(all.auto - all.autoWrong + all.review, all.truth),
      machineAccuracy: ratio(all.correct, all.truth),
      reviewRate: ratio(all.review, all.truth),
      autoAcceptRate: ratio(all.auto, all.truth),
      autoAcceptedErrorRate: ratio(all.autoWrong, all.auto),
      autoAcceptedErrorUpper95: all.truth === 0 ? null : wilson95(all.autoWrong, all.auto).high,
      invented,
      acceptedWrong,
      byField: Object.fromEntries([...byField].sort(([a], [b]) => a.localeCompare(b)).map(([name, t]) => [name, rates(t)])),
      byCriticalKind: Object.fromEntries([...byCriticalKind].sort(([a], [b]) => a.localeCompare(b)).map(([kind, t]) => [kind, rates(t)])),
      byFill: Object.fromEntries([...byFill].sort(([a], [b]) => a.localeCompare(b)).map(([fill, t]) => [fill, rates(t)])),
      byEra: Object.fromEntries([...byEra].map(([era, t]) => [era, { machineAccuracy: ratio(t.correct, t.truth), autoAcceptRate: ratio(t.auto, t.truth), autoAcceptedErrorRate: ratio(t.autoWrong, t.auto) }])),
    },
  };
}

function getOr(map: Map<string, Tally>, key: string): Tally {
  let t = map.get(key);
  if (!t) map.set(key, (t = tally()));
  return t;
}
