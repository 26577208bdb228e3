import type { MuTable } from '../match/model.ts';
import type { Sql } from './sql.ts';

export interface StoredModel {
  version: string;
  mu: MuTable;
  trained: Record<string, unknown>;
  active: boolean;
  createdAt: Date;
}

/** The active estimated model, or null when none was trained (matching then uses the hand-set one). */
export async function activeMatchModel(sql: Sql): Promise<StoredModel | null> {
  const [row] = await sql.query<StoredModel>(`select version, mu, trained, active, created_at as "createdAt" from match_model where active`);
  return row ?? null;
}

/**
 * Stores a version (kept if the same m/u was stored before) and makes it the active one. Two statements:
 * run it in a transaction where two trainings could race (the unique index refuses a second active one).
 */
export async function saveActiveMatchModel(sql: Sql, version: string, mu: MuTable, trained: Record<string, unknown>): Promise<void> {
  await sql.query('update match_model set active = false where active and version <> $1', [version]);
  await sql.query(
    `insert into match_model (version, mu, trained, active) values ($1, $2, $3, true)
     on conflict (version) do update set active = true, trained = excluded.trained`,
    [version, JSON.stringify(mu), JSON.stringify(trained)],
  );
}

/** Every stored version, newest first. */
export async function listMatchModels(sql: Sql): Promise<StoredModel[]> {
  return sql.query<StoredModel>(`select version, mu, trained, active, created_at as "createdAt" from match_model order by created_at desc, version`);
}
