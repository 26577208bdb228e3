/**
 * The lookup API measured on the corpus (`lookup` in `civreg eval`): how often a search would return the
 * wrong person. What is served is what the archive holds once review is done, as the report's `accuracy`
 * assumes: every stored entry paired with a truth entry has its fields still waiting for a person settled
 * to the truth (the reviewer is right), machine-accepted fields stay as the machine read them (their errors
 * are what could send the wrong person), and stored entries matching no truth entry are served as far as
 * they are verified. Then every truth entry is asked for, through the real API (token, purpose, lookup
 * log), as a desk would ask for it: by each person's ID number, by name + date of birth + place (the name
 * as written, without diacritics or with the other tone-mark placement; the place as written, without
 * diacritics, by today's unit or by province alone), and by book and entry number.
 *
 * An answer is the wrong person when a record it returns is neither the entry asked about, nor one the truth
 * links to it as the same event, nor one carrying the same person's ID number in the truth.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { createClient } from '../api/clients.ts';
import { PERSON_ROLES, VERIFIED_ENTRY_SQL } from '../api/records.ts';
import { registerApi } from '../api/routes.ts';
import type { Database } from '../db/sql.ts';
import { resolvePlace } from '../places/gazetteer.ts';
import { foldDiacritics, swapTonePlacement } from '../text/normalise.ts';
import type { Corpus } from './corpus.ts';
import { closurePairs } from './metrics/links.ts';
import { settleReviewToTruth } from './settle.ts';
import { bookOfPages, type CorpusRun } from './run.ts';

type Kind = 'idNumber' | 'person' | 'entry';
/** How queries were answered; `wrongPerson` counts answers naming a record of another person (target 0). */
interface Tally {
  queries: number;
  found: number;
  wrongPerson: number;
  /** Answers that said several persons fit (no personal data returned). */
  ambiguous: number;
  none: number;
  /** Queries the API refused (a truth value the API's query shapes cannot carry). */
  refused: number;
}

/** All queries' answers, and by kind of query. */
export interface EvalLookup extends Tally {
  /** Records served (verified once review is settled as above). */
  served: number;
  byKind: Record<Kind, Tally>;
  /** The wrong answers (at most 20), by truth entry key: the corpus is synthetic, so this is no personal data. */
  wrongList: { kind: Kind; asked: string; query: Record<string, unknown>; returned: (string | null)[]; says: Record<string, string | number | null>[] }[];
}

const tally = (): Tally => ({ queries: 0, found: 0, wrongPerson: 0, ambiguous: 0, none: 0, refused: 0 });
const MAX_LISTED = 20;

/** Name as the desk may type it: as written, without diacritics, or with the other tone-mark placement. */
const nameVariant = (name: string, i: number) => [name, foldDiacritics(name), swapTonePlacement(name)][i % 3]!;

/** Place as the desk may type it: as written, without diacritics, by today's unit, or the province alone. */
function placeVariant(place: string, writtenOn: string | undefined, i: number): string {
  const today = resolvePlace(place, writtenOn);
  const variants = [
    place,
    foldDiacritics(place),
    today.commune && today.province ? `${today.commune}, ${today.province}` : place,
    today.province ?? place,
  ];
  return variants[i % 4]!;
}

/**
 * Settles review as described above, then asks the API for every truth entry. Changes the scratch
 * database's review fields: run it after everything else that reads them.
 */
export async function measureLookup(db: Database, corpus: Corpus, run: Pick<CorpusRun, 'entries' | 'pages'>): Promise<EvalLookup> {
  const { keyOfEntry } = await settleReviewToTruth(db, corpus, run);
  // entries a person keyed on pages raised for keying (src/eval/keying.ts) carry the truth's number as typed
  const bookOfPage = bookOfPages(corpus, run.pages);
  const keyed = await db.query<{ id: string; pageId: number; year: number | null; entryNo: number | null }>(
    `select id, page_id as "pageId", year, entry_no as "entryNo" from entry where keyed_by is not null`);
  for (const e of keyed) {
    const book = bookOfPage.get(Number(e.pageId));
    if (book && e.year !== null && e.entryNo !== null) keyOfEntry.set(Number(e.id), `${book}/${e.year}/${e.entryNo}`);
  }
  const truthByKey = new Map(corpus.books.flatMap(({ book, truth }) => truth.entries.map((e) => [`${book.id}/${e.year}/${e.entryNo}` as string, { book, entry: e }] as const)));

  const publicIds = await db.query<{ id: string; publicId: string; served: boolean }>(
    `select e.id, e.public_id as "publicId", ${VERIFIED_ENTRY_SQL} as served from entry e`,
  );
  const keyOfRecord = new Map(publicIds.map((r) => [r.publicId, keyOfEntry.get(Number(r.id)) ?? null]));

  // Who is the same person as whom, in the truth: the same entry, a same-event link, the same ID number.
  const sameEvent = closurePairs(corpus.links.sameEvent.filter(([a, b]) => a.startsWith('scan:') && b.startsWith('scan:')).map(([a, b]) => [a.slice(5), b.slice(5)]));
  const linked = (a: string, b: string) => a === b || sameEvent.has(a < b ? `${a}|${b}` : `${b}|${a}`);
  const keysById = new Map<string, Set<string>>();
  for (const [key, { book, entry }] of truthByKey) {
    for (const role of PERSON_ROLES[book.registerType] ?? []) {
      const id = entry.fields[role.idNumber]?.value;
      if (id) keysById.set(id, (keysById.get(id) ?? new Set()).add(key));
    }
  }

  const app = Fastify({ logger: false });
  registerApi(app, { db });
  await app.ready();
  const { token } = await createClient(db, { name: `eval-lookup-${randomUUID().slice(0, 8)}`, offices: ['*'], registerTypes: ['*'], fields: ['*'], ratePerMinute: 1_000_000, expiresAt: new Date(Date.now() + 86_400_000), createdBy: 'eval' });
  const headers = { authorization: `Bearer ${token}`, 'x-purpose-procedure': 'EVAL', 'x-purpose-case': 'EVAL-1' };

  const report: EvalLookup = { served: publicIds.filter((r) => r.served).length, queries: 0, found: 0, wrongPerson: 0, ambiguous: 0, none: 0, refused: 0, byKind: { idNumber: tally(), person: tally(), entry: tally() }, wrongList: [] };
  const ask = async (kind: Kind, asked: string, query: Record<string, unknown>, isRight: (key: string) => boolean) => {
    const counts = report.byKind[kind];
    counts.queries++;
    const response = await app.inject({ method: 'POST', url: '/api/v1/records/search', headers, payload: { ...query, pageSize: 50 } });
    if (response.statusCode !== 200) return void counts.refused++;
    const answer = response.json<{ status: 'found' | 'none' | 'ambiguous'; records: { id: string; entryNo: number | null; fields: Record<string, { value: string | null }> }[] }>();
    if (answer.status !== 'found') return void counts[answer.status]++;
    counts.found++;
    const returned = answer.records.map((r) => keyOfRecord.get(r.id) ?? null);
    if (returned.every((key) => key !== null && isRight(key))) return;
    counts.wrongPerson++;
    // What each returned record says of its people, to tell a misread value from a misfiled entry.
    const says = answer.records.map((r) => ({
      entryNo: r.entryNo,
      ...Object.fromEntries(Object.entries(r.fields).filter(([field]) => /Name$|BirthDate$|IdNumber$/.test(field)).map(([field, f]) => [field, f.value])),
    }));
    if (report.wrongList.length < MAX_LISTED) report.wrongList.push({ kind, asked, query, returned, says });
  };

  let variant = 0;
  for (const [key, { book, entry }] of truthByKey) {
    if (entry.struck) continue;
    await ask('entry', key, { by: 'entry', office: book.office, registerType: book.registerType, bookNo: book.bookNo, year: entry.year, entryNo: entry.entryNo }, (k) => linked(k, key));
    for (const role of PERSON_ROLES[book.registerType] ?? []) {
      const id = entry.fields[role.idNumber]?.value;
      const samePerson = (k: string) => linked(k, key) || (id !== undefined && (keysById.get(id)?.has(k) ?? false));
      if (id) await ask('idNumber', key, { by: 'idNumber', idNumber: id }, samePerson);
      const name = entry.fields[role.name]?.value;
      const birthDate = entry.fields[role.birthDate]?.value;
      const place = role.places.map((f) => entry.fields[f]?.value).find(Boolean);
      if (!name || !birthDate || !place) continue;
      const writtenOn = entry.fields.registrationDate?.value ?? birthDate;
      await ask('person', key, { by: 'person', fullName: nameVariant(name, variant), birthDate, place: placeVariant(place, writtenOn, variant) }, samePerson);
      variant++;
    }
  }
  await app.close();
  for (const counts of Object.values(report.byKind)) {
    for (const k of ['queries', 'found', 'wrongPerson', 'ambiguous', 'none', 'refused'] as const) report[k] += counts[k];
  }
  return report;
}
