/**
 * Import of existing records (the electronic civil-status database's exports) for matching: each row is
 * validated, its Vietnamese text repaired (decomposed Unicode to NFC, TCVN3/VNI converted, the original
 * kept), its comparison and blocking keys computed, and it is upserted by its source id in batches, so a
 * million rows stream through in bounded memory and importing the same file again changes nothing.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { importRowSchema, type ImportRow, type ImportRowReason } from '../../schemas/existing.ts';
import { flushBlockingIndex, upsertExistingRecords, type ExistingRecordInput } from '../db/existing.ts';
import type { Sql } from '../db/sql.ts';
import { familyKeys } from '../match/family.ts';
import { blockingKeys, recordFeatures, resolvedPlaces, subjectKey } from '../match/features.ts';
import { detectEncoding, repairVietnamese } from '../text/legacy-encodings.ts';
import { parsePreciseDate } from '../text/normalise.ts';
import { readRows, type ImportFormat } from './read.ts';

export interface ImportReport {
  file: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: { row: number; reason: ImportRowReason; field?: string }[];
  repaired: { nfd: number; tcvn3: number; vni: number; mixed: number };
}

const BATCH = 2000;

/**
 * Imports one file. `progress(done, total)` is called as the file is read (bytes for JSONL/CSV, rows for
 * Excel). Rejected rows are reported with their reason; everything else goes in.
 * @example await importExisting(db, 'export.jsonl', 'jsonl') // { rows: 1000, inserted: 998, rejected: [{ row: 17, reason: 'bad_date', field: 'birthDate' }, …] }
 */
export async function importExisting(sql: Sql, path: string, format: ImportFormat, progress?: (done: number, total: number) => void): Promise<ImportReport> {
  const report: ImportReport = { file: path, rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: [], repaired: { nfd: 0, tcvn3: 0, vni: 0, mixed: 0 } };
  const seen = new Set<string>();
  const file = basename(path);
  let batch: ExistingRecordInput[] = [];
  // One batch is written while the next is read and keyed: PostgreSQL and this process work side by side.
  let writing: Promise<void> = Promise.resolve();
  let failed: unknown = null;
  const flush = async () => {
    await writing;
    if (failed) throw failed;
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    writing = upsertExistingRecords(sql, rows).then((counts) => {
      report.inserted += counts.inserted;
      report.updated += counts.updated;
      report.unchanged += rows.length - counts.inserted - counts.updated;
    }, (error: unknown) => {
      // Kept until the next flush rethrows it: a rejection nobody awaits yet would end the process.
      failed = error;
    });
  };
  for await (const raw of readRows(path, format, progress)) {
    report.rows++;
    if (format === 'xlsx') progress?.(report.rows, report.rows);
    const prepared = raw.error ? { reason: raw.error } : prepareRow(raw.value);
    if ('reason' in prepared) {
      report.rejected.push({ row: raw.row, reason: prepared.reason, ...(prepared.field ? { field: prepared.field } : {}) });
      continue;
    }
    if (seen.has(prepared.sourceId)) {
      report.rejected.push({ row: raw.row, reason: 'duplicate_id' });
      continue;
    }
    seen.add(prepared.sourceId);
    if (prepared.textRepair !== 'unicode') report.repaired[prepared.textRepair]++;
    batch.push({ ...prepared, sourceFile: file, sourceRow: raw.row });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  await writing;
  if (failed) throw failed;
  await flushBlockingIndex(sql);
  return report;
}

type Prepared = Omit<ExistingRecordInput, 'sourceFile' | 'sourceRow'>;

/** Validates, repairs and keys one row, or says why it cannot be imported. */
export function prepareRow(value: unknown): Prepared | { reason: ImportRowReason; field?: string } {
  const parsed = importRowSchema.safeParse(value);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((issue) => String(issue.path[0] ?? ''));
    return { reason: paths.includes('id') ? 'missing_id' : paths.includes('registerType') ? 'bad_register_type' : 'bad_row' };
  }
  const row = parsed.data;
  if (Object.keys(row.fields).length === 0) return { reason: 'empty_record' };
  const { fields, original, textRepair, registeredAt } = repairRecord(row);
  for (const [key, v] of Object.entries(fields)) {
    if (!/Date$/u.test(key)) continue;
    const iso = isoDate(v);
    if (iso === null || !parsePreciseDate(iso)) return { reason: 'bad_date', field: key };
    fields[key] = iso;
  }
  const features = recordFeatures(row.registerType, fields);
  const subject = subjectKey(features);
  return {
    sourceId: row.id.trim(),
    registerType: row.registerType,
    fields,
    original,
    textRepair,
    registeredAt,
    contentHash: createHash('sha256').update(JSON.stringify([row.registerType, row.fields, row.registeredAt ?? null])).digest('hex'),
    nameKey: subject.nameKey,
    birthYear: subject.birthYear,
    places: resolvedPlaces(features),
    blockKeys: [...blockingKeys(features).stored, ...familyKeys(features).own],
  };
}

/**
 * Repairs every text of a record. An import is usually in one encoding throughout, and one short word can
 * read well in two ("Phó" is TCVN3 for "Phú"), so the encoding is detected over the whole record first;
 * only when that is not clear is each field detected on its own.
 */
function repairRecord(row: ImportRow): { fields: Record<string, string>; original: Record<string, string> | null; textRepair: Prepared['textRepair']; registeredAt: string | null } {
  const texts = [...Object.values(row.fields), row.registeredAt ?? ''];
  const whole = detectEncoding(texts.join(' \n '));
  const known = whole.encoding !== 'unicode' && whole.confidence >= 0.9 ? whole.encoding : undefined;
  const kinds = new Set<string>();
  const repair = (text: string) => {
    const repaired = repairVietnamese(text, known);
    if (repaired.text !== text) kinds.add(repaired.encoding);
    return repaired.text;
  };
  const fields: Record<string, string> = {};
  const original: Record<string, string> = {};
  for (const [key, value] of Object.entries(row.fields)) {
    const repaired = repair(value);
    if (repaired === '') continue;
    fields[key] = repaired;
    if (repaired !== value) original[key] = value;
  }
  const registeredAt = row.registeredAt === undefined ? null : repair(row.registeredAt);
  if (row.registeredAt !== undefined && registeredAt !== row.registeredAt) original.registeredAt = row.registeredAt;
  kinds.delete('unicode');
  const textRepair = kinds.size === 0 ? 'unicode' : kinds.size === 1 ? ([...kinds][0] as 'nfd' | 'tcvn3' | 'vni') : 'mixed';
  return { fields, original: Object.keys(original).length ? original : null, textRepair, registeredAt };
}

/** ISO with precision, or the common "DD/MM/YYYY", "MM/YYYY" spellings of exports; null when neither. */
function isoDate(text: string): string | null {
  const t = text.trim();
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/u.test(t)) return t;
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/u.exec(t);
  if (dmy) return `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`;
  const my = /^(\d{1,2})[/.-](\d{4})$/u.exec(t);
  if (my) return `${my[2]}-${my[1]!.padStart(2, '0')}`;
  return null;
}
