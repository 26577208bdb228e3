import type { ApiRecord } from '../../schemas/api.ts';
import type { Sql } from '../db/sql.ts';
import { onPageSetAsideSql } from '../extract/rescans.ts';
import { allows, type ClientScope } from './clients.ts';
import { lookupLogWith, type LookupLogEntry } from './lookup-log.ts';
import { bookNoKey, bookNoKeySql } from '../text/book-no.ts';
import { ageDerivation, entryEra, PARENT_YEARS } from '../review/stated-age.ts';

/**
 * Verified records: the entries the lookup API, certified extracts and exports may serve. The one
 * definition, as an SQL condition on an `entry` row aliased `e`: the entry is not struck, it has fields,
 * none of them is still waiting for a person (status `review`), and the book checks did not set its page aside
 * (onPageSetAsideSql): the same entry read from a rescan would otherwise be served as a second record of the
 * same person, and one on a page of another book or register under this book's number.
 */
export const VERIFIED_ENTRY_SQL = `(not e.struck and e.status <> 'struck'
  and exists (select 1 from entry_field vf where vf.entry_id = e.id)
  and not exists (select 1 from entry_field vf where vf.entry_id = e.id and vf.status = 'review')
  and not ${onPageSetAsideSql('e')})`;

/** SQL condition limiting `b` (book) and `o` (registry_office) to a scope passed as $offices, $types. */
export const scopeSql = (officesParam: number, typesParam: number) =>
  `('*' = any($${officesParam}::text[]) or o.code = any($${officesParam}::text[]))
   and ('*' = any($${typesParam}::text[]) or b.register_type = any($${typesParam}::text[]))`;

export const RECORD_FROM = `from entry e join book b on b.id = e.book_id join registry_office o on o.id = b.office_id`;

/** One person in a register entry: the fields that name them, date their birth, place them and identify them. */
export interface PersonRole {
  name: string;
  birthDate: string;
  places: string[];
  idNumber: string;
}

/**
 * The people a search can find, per register type. Birth and death entries are about one person;
 * a marriage entry about two. Places: where the person was born, or lived when the entry was made.
 */
export const PERSON_ROLES: Record<string, PersonRole[]> = {
  birth: [{ name: 'fullName', birthDate: 'birthDate', places: ['birthPlace'], idNumber: 'idNumber' }],
  death: [{ name: 'fullName', birthDate: 'birthDate', places: ['residence', 'deathPlace'], idNumber: 'idNumber' }],
  marriage: [
    { name: 'husbandName', birthDate: 'husbandBirthDate', places: ['husbandResidence'], idNumber: 'husbandIdNumber' },
    { name: 'wifeName', birthDate: 'wifeBirthDate', places: ['wifeResidence'], idNumber: 'wifeIdNumber' },
  ],
};
export const NAME_FIELDS = [...new Set(Object.values(PERSON_ROLES).flat().map((r) => r.name))];
export const ID_FIELDS = [...new Set(Object.values(PERSON_ROLES).flat().map((r) => r.idNumber))];

/** A constant list of field keys as SQL literals, so the planner can use the partial indexes of 006. */
const sqlList = (keys: string[]) => keys.map((k) => `'${k.replace(/[^A-Za-z]/g, '')}'`).join(', ');

/** The role of a field that names a person: `wifeName` in a marriage entry is the wife. */
export const roleOf = (registerType: string, nameOrIdField: string): PersonRole | undefined =>
  PERSON_ROLES[registerType]?.find((r) => r.name === nameOrIdField || r.idNumber === nameOrIdField);

/** A search hit: one verified entry in scope, with the role it was found by and all its field values. */
export interface Hit {
  entryId: number;
  registerType: string;
  role: PersonRole;
  values: Map<string, string>;
}

/** The columns a candidate query selects: the entry, the field it was found by, and all its field values. */
const CANDIDATE_COLUMNS = `e.id as "entryId", e.register_type as "registerType", f.field,
  (select jsonb_object_agg(v.field, v.value) from entry_field v where v.entry_id = e.id and v.value is not null) as "values"`;

/** Turns candidate rows into hits (one query found them and their values: a lookup is a few round trips). */
function toHits(rows: Array<{ entryId: number; registerType: string; field: string; values: Record<string, string> | null }>): Hit[] {
  return rows.flatMap((c) => {
    const role = roleOf(c.registerType, c.field);
    return role ? [{ entryId: c.entryId, registerType: c.registerType, role, values: new Map(Object.entries(c.values ?? {})) }] : [];
  });
}

/** At most this many candidates are looked at; a query matching more is too broad to name one person. */
export const CANDIDATE_LIMIT = 200;

/** Verified, in-scope entries whose ID-number field holds `idNumber`. */
export async function findByIdNumber(sql: Sql, scope: ClientScope, idNumber: string): Promise<Hit[]> {
  const candidates = await sql.query<{ entryId: number; registerType: string; field: string; values: Record<string, string> | null }>(
    `select ${CANDIDATE_COLUMNS}
       from entry_field f join entry e on e.id = f.entry_id join book b on b.id = e.book_id join registry_office o on o.id = b.office_id
      where f.value = $1 and f.field in (${sqlList(ID_FIELDS)}) and ${VERIFIED_ENTRY_SQL} and ${scopeSql(2, 3)}
      order by e.id limit ${CANDIDATE_LIMIT + 1}`,
    [idNumber, scope.offices, scope.registerTypes],
  );
  return toHits(candidates);
}

export const BIRTH_DATE_FIELDS = [...new Set(Object.values(PERSON_ROLES).flat().map((r) => r.birthDate))];

/**
 * Verified, in-scope entries naming a person whose name folds (no diacritics, src/text/normalise.ts) to
 * `folded` and whose date of birth, in the same role, is `birthDate`: the block the caller then compares
 * spelling and place in. Date and name are both matched in SQL before the cut at the candidate limit, so a
 * common name cannot crowd the person out of the block. The planner can start from the date (index
 * entry_field_birth_date: a few dozen people per date in 10^6 records) or from a rare name.
 */
export async function findByFoldedName(sql: Sql, scope: ClientScope, folded: string, birthDate: string, registerType: string | undefined): Promise<Hit[]> {
  const rolePairs = Object.values(PERSON_ROLES).flat().map((r) => `('${r.name}', '${r.birthDate}')`).join(', ');
  const candidates = await sql.query<{ entryId: number; registerType: string; field: string; values: Record<string, string> | null }>(
    `select ${CANDIDATE_COLUMNS}
       from entry_field d join entry_field f on f.entry_id = d.entry_id
            join entry e on e.id = d.entry_id join book b on b.id = e.book_id join registry_office o on o.id = b.office_id
      where d.value = $5 and d.field in (${sqlList(BIRTH_DATE_FIELDS)})
        and civreg_fold(f.value) = $1 and f.field in (${sqlList(NAME_FIELDS)})
        and (f.field, d.field) in (${rolePairs})
        and ($4::text is null or e.register_type = $4) and ${VERIFIED_ENTRY_SQL} and ${scopeSql(2, 3)}
      order by e.id limit ${CANDIDATE_LIMIT + 1}`,
    [folded, scope.offices, scope.registerTypes, registerType ?? null, birthDate],
  );
  return toHits(candidates);
}

/**
 * Verified, in-scope entries with this book and entry number (normally one). The book number is compared by
 * bookNoKey: a desk typing "1" for quyển "01", or "01" for "01/2008", finds the entry instead of reading "no
 * record". A book written exactly as typed is preferred; otherwise entries of two books with the same key are
 * all returned (the search answers ambiguous).
 */
export async function findByEntry(
  sql: Sql,
  scope: ClientScope,
  key: { office: string; registerType: string; bookNo: string; year: number; entryNo: number },
): Promise<number[]> {
  const rows = await sql.query<{ id: number; exact: boolean }>(
    `select e.id, b.book_no = $3 as exact ${RECORD_FROM}
      where o.code = $1 and b.register_type = $2 and ${bookNoKeySql('b.book_no')} = $4 and e.year = $5 and e.entry_no = $6
        and ${VERIFIED_ENTRY_SQL} and ${scopeSql(7, 8)}
      order by e.id limit ${CANDIDATE_LIMIT + 1}`,
    [key.office, key.registerType, key.bookNo.trim(), bookNoKey(key.bookNo), key.year, key.entryNo, scope.offices, scope.registerTypes],
  );
  const exact = rows.filter((r) => r.exact);
  return (exact.length ? exact : rows).map((r) => r.id);
}

/** The entry id behind a public record id, when it is a verified record within the scope (of a type the API serves). */
export async function findByPublicId(sql: Sql, scope: ClientScope, publicId: string): Promise<number | null> {
  const [row] = await sql.query<{ id: number }>(
    `select e.id ${RECORD_FROM} where e.public_id = $1 and e.register_type in ('birth', 'marriage', 'death') and ${VERIFIED_ENTRY_SQL} and ${scopeSql(2, 3)}`,
    [publicId, scope.offices, scope.registerTypes],
  );
  return row?.id ?? null;
}

interface EntryRow {
  id: number;
  publicId: string;
  registerType: ApiRecord['registerType'];
  year: number | null;
  entryNo: number | null;
  bookNo: string;
  yearFrom: number | null;
  officeCode: string;
  officeName: string;
  /** The book's era (its form) and the year the entry's form is of, for a parent's birth year given as an age. */
  era: string | null;
  formYear: number | null;
}

interface FieldRow {
  entryId: number;
  field: string;
  value: string | null;
  precision: 'day' | 'month' | 'year' | null;
  status: ApiRecord['fields'][string]['status'];
  source: ApiRecord['fields'][string]['provenance']['source'];
  at: Date;
  page: string | null;
  /** Of a parent's birth year only: the line as read or keyed (an age: stated-age.ts). */
  raw: string | null;
}

interface EventRow {
  entryId: number;
  kind: string;
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
  date: string | null;
  source: ApiRecord['events'][number]['source'];
}

/**
 * The records of these entries as the API serves them, in the given order, with only the fields in
 * `visible`: each field's current value, its provenance and the marginal-note events that changed it.
 * With `log`, the same statement writes the request's `lookup_log` row naming these records.
 */
export async function loadRecords(sql: Sql, entryIds: number[], visible: (field: string) => boolean, log?: Omit<LookupLogEntry, 'recordIds'>): Promise<ApiRecord[]> {
  if (!entryIds.length) return [];
  const logged = log ? lookupLogWith(log, 1, 2) : { sql: '', values: [] };
  // One statement per page of records: the entry, its fields and its events, each as JSON.
  const rows = await sql.query<EntryRow & { fields: Array<Omit<FieldRow, 'entryId' | 'at'> & { at: string }>; events: Array<Omit<EventRow, 'entryId'>> }>(
    `${logged.sql}
     select e.id, e.public_id as "publicId", e.register_type as "registerType", e.year, e.entry_no as "entryNo",
            b.book_no as "bookNo", b.year_from as "yearFrom", o.code as "officeCode", o.name as "officeName",
            b.era, coalesce(e.year, b.year_from) as "formYear",
            coalesce((select jsonb_agg(jsonb_build_object('field', f.field, 'value', f.value, 'precision', f.precision, 'status', f.status,
                                                          'source', f.source, 'at', coalesce(f.verified_at, f.updated_at), 'page', p.label,
                                                          'raw', case when f.field in (${sqlList([...PARENT_YEARS])}) then f.raw end) order by f.id)
                        from entry_field f left join page p on p.id = f.page_id where f.entry_id = e.id), '[]') as fields,
            coalesce((select jsonb_agg(jsonb_build_object('kind', ev.kind, 'field', ev.field, 'oldValue', ev.old_value, 'newValue', ev.new_value,
                                                          'date', ev.event_date, 'source', src.source) order by ev.event_date nulls first, ev.id)
                        from entry_event ev
                        left join lateral (select jsonb_build_object('registerType', sb.register_type, 'bookNo', sb.book_no, 'year', se.year, 'entryNo', se.entry_no) as source
                                             from entry se join book sb on sb.id = se.book_id where se.id = ev.source_entry_id) src on true
                       where ev.entry_id = e.id), '[]') as events
       ${RECORD_FROM} where e.id = any($1::bigint[])`,
    [entryIds, ...logged.values],
  );
  const entries = rows;
  const fields: FieldRow[] = rows.flatMap((r) => r.fields.map((f) => ({ ...f, entryId: r.id, at: new Date(f.at) })));
  const events: EventRow[] = rows.flatMap((r) => r.events.map((ev) => ({ ...ev, entryId: r.id })));
  const byId = new Map(entries.map((e) => [e.id, e]));
  return entryIds.flatMap((id) => {
    const entry = byId.get(id);
    if (!entry) return [];
    const entryEvents = events.filter((ev) => ev.entryId === id).map(({ entryId: _, ...ev }) => ev);
    const visibleEvents = entryEvents.filter((ev) => ev.field === null || visible(ev.field));
    const record: ApiRecord = {
      id: entry.publicId,
      registerType: entry.registerType,
      book: { office: { code: entry.officeCode, name: entry.officeName }, bookNo: entry.bookNo, yearFrom: entry.yearFrom },
      year: entry.year,
      entryNo: entry.entryNo,
      fields: {},
      events: visibleEvents,
    };
    const era = entryEra(entry.era, entry.formYear);
    // the age with the year tells the child's birth year: given only to a client that may see the birth date
    const childYear = visible('birthDate') ? Number(fields.find((f) => f.entryId === id && f.field === 'birthDate')?.value?.slice(0, 4)) || null : null;
    for (const f of fields) {
      if (f.entryId !== id || !visible(f.field)) continue;
      record.fields[f.field] = {
        value: f.value,
        precision: f.precision,
        derivation: ageDerivation({ registerType: entry.registerType, era, field: f.field, value: f.value, raw: f.raw, source: f.source, childYear }),
        status: f.status,
        provenance: { page: f.page, source: f.source, at: f.at.toISOString() },
        history: visibleEvents.filter((ev) => ev.field === f.field),
      };
    }
    return [record];
  });
}

/** Which fields a client sees: those its scope allows, narrowed to those it asked for. */
export const fieldFilter = (scope: ClientScope, requested: string[] | undefined) => (field: string) =>
  allows(scope.fields, field) && (!requested || requested.includes(field));
