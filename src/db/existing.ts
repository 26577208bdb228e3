import type { CorpusRegisterType } from '../../schemas/corpus.ts';
import type { ResolvedPlaces } from '../match/features.ts';
import type { Sql } from './sql.ts';

/** One existing record ready to store: repaired fields, the original where repair changed it, its keys. */
export interface ExistingRecordInput {
  sourceId: string;
  registerType: CorpusRegisterType;
  fields: Record<string, string>;
  original: Record<string, string> | null;
  textRepair: 'unicode' | 'nfd' | 'tcvn3' | 'vni' | 'mixed';
  registeredAt: string | null;
  sourceFile: string;
  sourceRow: number;
  contentHash: string;
  nameKey: string | null;
  birthYear: number | null;
  places: ResolvedPlaces;
  blockKeys: string[];
}

// Blocking keys travel as one string per row (unnest cannot take a ragged text[][]); never inside a key.
const KEY_SEPARATOR = '\u001f';

/**
 * Upserts a batch by source id in one statement. A row whose source content is unchanged is not touched
 * (no new version, no updated_at), so importing the same file twice changes nothing.
 * Returns how many rows were inserted and how many changed.
 */
export async function upsertExistingRecords(sql: Sql, rows: ExistingRecordInput[]): Promise<{ inserted: number; updated: number }> {
  if (!rows.length) return { inserted: 0, updated: 0 };
  const col = <T>(f: (r: ExistingRecordInput) => T) => rows.map(f);
  const result = await sql.query<{ inserted: boolean }>(
    `insert into existing_record (source_id, register_type, fields, original, text_repair, registered_at, source_file, source_row,
                                  content_hash, name_key, birth_year, places, block_keys)
     select s, t, f, o, tr, ra, sf, sr, h, nk, by, p, string_to_array(bk, E'\\x1f')
       from unnest($1::text[], $2::text[], $3::jsonb[], $4::jsonb[], $5::text[], $6::text[], $7::text[], $8::int[],
                   $9::text[], $10::text[], $11::int[], $12::jsonb[], $13::text[]) as u(s, t, f, o, tr, ra, sf, sr, h, nk, by, p, bk)
     on conflict (source_id) do update set
       register_type = excluded.register_type, fields = excluded.fields, original = excluded.original,
       text_repair = excluded.text_repair, registered_at = excluded.registered_at, source_file = excluded.source_file,
       source_row = excluded.source_row, content_hash = excluded.content_hash, name_key = excluded.name_key,
       birth_year = excluded.birth_year, places = excluded.places, block_keys = excluded.block_keys, updated_at = now()
     where existing_record.content_hash is distinct from excluded.content_hash
     returning (xmax = 0) as inserted`,
    [
      col((r) => r.sourceId),
      col((r) => r.registerType),
      col((r) => JSON.stringify(r.fields)),
      col((r) => (r.original ? JSON.stringify(r.original) : null)),
      col((r) => r.textRepair),
      col((r) => r.registeredAt),
      col((r) => r.sourceFile),
      col((r) => r.sourceRow),
      col((r) => r.contentHash),
      col((r) => r.nameKey),
      col((r) => r.birthYear),
      col((r) => JSON.stringify(r.places)),
      col((r) => r.blockKeys.join(KEY_SEPARATOR)),
    ],
  );
  const inserted = result.filter((r) => r.inserted).length;
  return { inserted, updated: result.length - inserted };
}

/**
 * Moves the keys GIN's fast update left in its pending list into the blocking index: every blocking
 * lookup would otherwise scan that list whole (migrations/009). Call after writing many records.
 */
export async function flushBlockingIndex(sql: Sql): Promise<void> {
  await sql.query(`select gin_clean_pending_list('existing_record_block_keys'::regclass)`);
}
