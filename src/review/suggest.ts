import { DISTRICTS, PROVINCES, type DatedName } from '../places/gazetteer-data.ts';
import { SURNAMES } from '../samples/names.ts';
import type { OfficeScope } from '../db/book-dashboard.ts';
import type { Sql } from '../db/sql.ts';
import { foldDiacritics } from '../text/normalise.ts';
import { fieldKind } from './field-rules.js';

const PLACE_FIELD = /(Place|Residence|^hometown|^residence)$/;
const MAX = 8;

const validAt = (n: DatedName, date: string) => (n.from === undefined || n.from <= date) && (n.to === undefined || date < n.to);

/** Every written unit name of the gazetteer with the span it was in use ("Quận Hai Bà Trưng" from 1981). */
const PLACE_NAMES: { text: string; folded: string; names: DatedName }[] = [
  ...PROVINCES.flatMap((p) => p.names.map((n) => ({ text: `${n.kind} ${n.name}`, names: n }))),
  ...DISTRICTS.flatMap((d) => d.names.map((n) => ({ text: `${n.kind} ${n.name}`, names: n }))),
  ...DISTRICTS.flatMap((d) => d.communes.map(([kind, name]) => ({ text: `${kind} ${name}`, names: { kind, name, ...(d.names.at(-1)?.to ? { to: d.names.at(-1)!.to! } : {}) } }))),
].map((p) => ({ ...p, folded: foldDiacritics(p.text) }));

/**
 * The most frequent verified names of a field beginning with a prefix ($2, lower-cased and LIKE-escaped), in the
 * books of the offices the verifier covers ($4: all offices, or $5 their ids): people's names are personal data,
 * seen only within one's own offices. Runs on every keystroke: the prefix is found through
 * entry_field_verified_prefix (migrations/044), then the few rows it finds are checked for their office.
 */
export const SUGGEST_NAMES_SQL = `select f.value from entry_field f join entry e on e.id = f.entry_id join book b on b.id = e.book_id
  where f.field = $1 and f.status = 'verified' and f.value is not null and lower(f.value) like $2 and ($4::boolean or b.office_id = any($5::bigint[]))
  group by f.value order by count(*) desc, f.value limit $3`;

/**
 * Suggestions while a verifier types: for places, unit names of the dated gazetteer in use in the entry's
 * year (completing the comma-separated part being typed); for names, the most frequent verified names of the
 * verifier's offices that begin with what was typed, and surnames by frequency for the first word. Dates need
 * none (the live check reads them).
 */
export async function suggestValues(sql: Sql, field: string, typed: string, year: number | null, scope: OfficeScope): Promise<string[]> {
  const text = typed.normalize('NFC');
  if (text.trim().length < 1) return [];
  if (PLACE_FIELD.test(field)) {
    const parts = text.split(',');
    const last = foldDiacritics(parts.at(-1) ?? '').trim();
    if (last.length < 2) return [];
    const date = `${year ?? new Date().getFullYear()}-07-01`;
    const head = parts.slice(0, -1).map((p) => p.trim()).filter(Boolean);
    const found = PLACE_NAMES.filter((p) => validAt(p.names, date) && (p.folded.startsWith(last) || p.folded.split(' ').slice(1).join(' ').startsWith(last)));
    return [...new Set(found.map((p) => [...head, p.text].join(', ')))].slice(0, MAX);
  }
  if (fieldKind(field) === 'name') {
    const folded = foldDiacritics(text);
    const rows = await sql.query<{ value: string }>(SUGGEST_NAMES_SQL, [
      field,
      `${text.toLocaleLowerCase('vi').replace(/[%_\\]/g, '\\$&')}%`,
      MAX,
      scope.all,
      scope.all ? [] : scope.officeIds,
    ]);
    const values = rows.map((r) => r.value);
    if (!folded.includes(' ')) {
      for (const [surname] of SURNAMES) if (foldDiacritics(surname).startsWith(folded) && !values.includes(surname)) values.push(surname);
    }
    return values.slice(0, MAX);
  }
  return [];
}
