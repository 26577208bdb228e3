import type { ApiRecord } from '../../schemas/api.ts';
import type { Sql } from '../db/sql.ts';
import { findByPublicId, loadRecords } from '../api/records.ts';
import { eraOfYear, ERAS, type Era } from '../../schemas/jobs.ts';
import { bookLines, yearFromAge } from '../review/keying.ts';
import { crossCheckRows, extractContent, missingSubjectFields, sealedContent, type ExtractContent } from './content.ts';
import { issuerFor, IssuerNotSetError } from './issuer.ts';
import { renderExtractPdf } from './pdf.ts';
import { activeSigningKey, checkSeal, contentHash, sealExtract } from './signing.ts';

const EVERY_FIELD = () => true;
const EVERYWHERE = { offices: ['*'], registerTypes: ['*'], fields: ['*'] };

/**
 * An extract refused because who it is about has no value from the book (content.ts missingSubjectFields):
 * `fields` names them, so that a person completes the entry first.
 */
export class ExtractIncompleteError extends Error {
  override name = 'ExtractIncompleteError';
  readonly fields: string[];
  constructor(fields: string[]) {
    super(`record lacks ${fields.join(', ')}`);
    this.fields = fields;
  }
}

async function contentOf(sql: Sql, entryId: number, options: { complete?: boolean } = {}): Promise<ExtractContent | null> {
  const [record] = await loadRecords(sql, [entryId], EVERY_FIELD);
  if (!record) return null;
  const missing = options.complete ? missingSubjectFields(record) : [];
  if (missing.length) throw new ExtractIncompleteError(missing);
  // the era of the entry's book fixes its form, and so which lines the book never had
  const [book] = await sql.query<{ era: string | null; year: number | null }>(
    'select b.era, coalesce(e.year, b.year_from) as year from entry e join book b on b.id = e.book_id where e.id = $1',
    [entryId],
  );
  const era = (ERAS as readonly string[]).includes(book?.era ?? '') ? (book!.era as Era) : book?.year ? eraOfYear(book.year) : null;
  return extractContent(record, era ? bookLines(record.registerType, era) : null, era ? await statedAges(sql, entryId, record, era) : {});
}

const PARENT_YEARS = ['motherBirthYear', 'fatherBirthYear'] as const;

/**
 * The parents' birth years of an entry whose book's form asked an age (src/review/keying.ts yearFromAge), each with
 * the age the book states: read from the field's raw text ("30 tuổi", as extraction and keying keep it), and only
 * while the stored year still follows from it and the child's birth year (a year a person set otherwise: null). A
 * year written on the age line ("1940") is the book's own, and one taken from an electronic record that record's: left out.
 */
async function statedAges(sql: Sql, entryId: number, record: ApiRecord, era: Era): Promise<Record<string, number | null>> {
  const fields = PARENT_YEARS.filter((field) => record.fields[field]?.value && yearFromAge(record.registerType, era, field));
  if (!fields.length) return {};
  const stored = await sql.query<{ field: string; raw: string | null; source: string }>('select field, raw, source from entry_field where entry_id = $1 and field = any($2)', [entryId, fields]);
  const childYear = Number(record.fields.birthDate?.value?.slice(0, 4));
  return Object.fromEntries(fields.flatMap((field) => {
    const row = stored.find((r) => r.field === field);
    // a year taken from an electronic record is that record's, not one worked out from the book's age
    if (row?.source === 'existing_record') return [];
    const raw = (row?.raw ?? '').normalize('NFC').trim().replace(/[.,]$/, '');
    // a clerk who wrote the year on the age line: the book states the year itself
    if (/^\d{4}$/.test(raw)) return [];
    const age = /^(\d{1,3})(?:\s*tuổi)?$/u.exec(raw);
    const follows = age !== null && childYear - Number(age[1]) === Number(record.fields[field]!.value);
    return [[field, follows ? Number(age[1]) : null]];
  }));
}

/**
 * Issues the certified extract of a verified record: its content, sealed with the active Ed25519 key,
 * as a PDF whose QR code points at `<baseUrl>/verify/<seal>`, headed by the authority that issues it today
 * (issuer.ts; the book's office is named in the source line). Throws IssuerNotSetError when nobody is set to issue it.
 */
export async function issueExtract(sql: Sql, keyDir: string, entryId: number, baseUrl: string, issuedAt = new Date()): Promise<{ pdf: Uint8Array; seal: string; content: ExtractContent }> {
  const { content, seal, kid } = await sealRecord(sql, keyDir, entryId, issuedAt);
  const issuer = await issuerFor(sql, content.office);
  if (!issuer) throw new IssuerNotSetError(content.office);
  const pdf = await renderExtractPdf({ content, verifyUrl: `${baseUrl}/verify/${seal}`, kid, issuedAt, issuer });
  return { pdf, seal, content };
}

/**
 * The extract's content and its seal (by the active key, whose private file is in `keyDir`), without the PDF.
 * Throws ExtractIncompleteError for a record without its subject's name or date.
 */
export async function sealRecord(sql: Sql, keyDir: string, entryId: number, issuedAt = new Date()): Promise<{ content: ExtractContent; seal: string; kid: string }> {
  const content = await contentOf(sql, entryId, { complete: true });
  if (!content) throw new Error(`entry ${entryId} has no record to extract`);
  const key = await activeSigningKey(sql, keyDir);
  return { content, seal: sealExtract(key, content.recordId, issuedAt, sealedHash(content)), kid: key.kid };
}

/** The hash a seal holds: of the record's values only (content.ts sealedContent), never of what empty rows say. */
const sealedHash = (content: ExtractContent): string => contentHash(sealedContent(content));

/**
 * What a seal says about an extract:
 * - `genuine`: signed by civreg and the record still says exactly what the extract says;
 * - `changed`: signed by civreg, but the record has changed since (a correction, a marginal note);
 * - `unavailable`: signed by civreg, but the record is no longer a verified record;
 * - `not_genuine`: the seal is malformed, names an unknown key, or its signature does not hold.
 * `crossCheck` (genuine only): who the extract is about, as the signed content says it, so that a real seal
 * pasted onto a forged paper shows. The seal holds only the content's hash: the current record's values are
 * the signed ones only when the hashes agree, so a changed record shows none.
 */
export type ExtractVerdict =
  | {
      verdict: 'genuine' | 'changed' | 'unavailable';
      kid: string;
      recordId: string;
      issuedAt: string;
      content: (Pick<ExtractContent, 'title' | 'source'> & { office: string; crossCheck: Array<{ label: string; value: string }> }) | null;
    }
  | { verdict: 'not_genuine'; reason: 'malformed' | 'unknown_key' | 'bad_signature' };

export async function verifyExtract(sql: Sql, sealText: string): Promise<ExtractVerdict> {
  const check = await checkSeal(sql, sealText);
  if (!check.ok) return { verdict: 'not_genuine', reason: check.reason };
  const { seal } = check;
  const base = { kid: seal.kid, recordId: seal.recordId, issuedAt: seal.issuedAt.toISOString() };
  const entryId = await findByPublicId(sql, EVERYWHERE, seal.recordId);
  const content = entryId === null ? null : await contentOf(sql, entryId);
  if (!content) return { verdict: 'unavailable', ...base, content: null };
  const verdict = sealedHash(content) === seal.contentHash ? 'genuine' : 'changed';
  return { verdict, ...base, content: { title: content.title, source: content.source, office: content.office.name, crossCheck: verdict === 'genuine' ? crossCheckRows(content) : [] } };
}
