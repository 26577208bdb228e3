import type { Sql } from '../db/sql.ts';
import { findByPublicId, loadRecords } from '../api/records.ts';
import { bookLines } from '../review/keying.ts';
import { entryEra } from '../review/stated-age.ts';
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
  const era = entryEra(book?.era ?? null, book?.year ?? null);
  // the parents' birth years worked out from the ages the book states (src/review/stated-age.ts), each with its age
  const fromAge = Object.fromEntries(Object.entries(record.fields).flatMap(([field, f]) => (f.derivation ? [[field, f.derivation.age]] : [])));
  return extractContent(record, era ? bookLines(record.registerType, era) : null, fromAge);
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
