import type { Sql } from '../db/sql.ts';
import { findByPublicId, loadRecords } from '../api/records.ts';
import { canonicalContent, crossCheckRows, extractContent, type ExtractContent } from './content.ts';
import { renderExtractPdf } from './pdf.ts';
import { activeSigningKey, checkSeal, contentHash, sealExtract } from './signing.ts';

const EVERY_FIELD = () => true;
const EVERYWHERE = { offices: ['*'], registerTypes: ['*'], fields: ['*'] };

async function contentOf(sql: Sql, entryId: number): Promise<ExtractContent | null> {
  const [record] = await loadRecords(sql, [entryId], EVERY_FIELD);
  return record ? extractContent(record) : null;
}

/**
 * Issues the certified extract of a verified record: its content, sealed with the active Ed25519 key,
 * as a PDF whose QR code points at `<baseUrl>/verify/<seal>`.
 */
export async function issueExtract(sql: Sql, keyDir: string, entryId: number, baseUrl: string, issuedAt = new Date()): Promise<{ pdf: Uint8Array; seal: string; content: ExtractContent }> {
  const { content, seal, kid } = await sealRecord(sql, keyDir, entryId, issuedAt);
  const pdf = await renderExtractPdf({ content, verifyUrl: `${baseUrl}/verify/${seal}`, kid, issuedAt });
  return { pdf, seal, content };
}

/** The extract's content and its seal (by the active key, whose private file is in `keyDir`), without the PDF. */
export async function sealRecord(sql: Sql, keyDir: string, entryId: number, issuedAt = new Date()): Promise<{ content: ExtractContent; seal: string; kid: string }> {
  const content = await contentOf(sql, entryId);
  if (!content) throw new Error(`entry ${entryId} has no record to extract`);
  const key = await activeSigningKey(sql, keyDir);
  return { content, seal: sealExtract(key, content.recordId, issuedAt, contentHash(canonicalContent(content))), kid: key.kid };
}

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
  const verdict = contentHash(canonicalContent(content)) === seal.contentHash ? 'genuine' : 'changed';
  return { verdict, ...base, content: { title: content.title, source: content.source, office: content.office.name, crossCheck: verdict === 'genuine' ? crossCheckRows(content) : [] } };
}
