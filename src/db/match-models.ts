import type { MuTable } from '../match/model.ts';
import { recordAudit } from './audit.ts';
import type { Database, Sql } from './sql.ts';

export interface StoredModel {
  version: string;
  mu: MuTable;
  trained: Record<string, unknown>;
  /** Set for this version (`civreg match thresholds`); null: the defaults for estimated weights. */
  thresholds: { link: number; review: number } | null;
  active: boolean;
  createdAt: Date;
}

/** The active estimated model, or null when none was trained (matching then uses the hand-set one). */
export async function activeMatchModel(sql: Sql): Promise<StoredModel | null> {
  const [row] = await sql.query<StoredModel>(`select version, mu, trained, thresholds, active, created_at as "createdAt" from match_model where active`);
  return row ?? null;
}

/**
 * Stores a version (kept if the same m/u was stored before) and makes it the active one, in one
 * transaction: a failure leaves the previous version active (never none), and two trainings at once
 * cannot leave two active (the unique index refuses the second, which rolls back whole).
 */
export async function saveActiveMatchModel(db: Database, version: string, mu: MuTable, trained: Record<string, unknown>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('update match_model set active = false where active and version <> $1', [version]);
    await tx.query(
      `insert into match_model (version, mu, trained, active) values ($1, $2, $3, true)
       on conflict (version) do update set active = true, trained = excluded.trained`,
      [version, JSON.stringify(mu), JSON.stringify(trained)],
    );
  });
}

/** Every stored version, newest first. */
export async function listMatchModels(sql: Sql): Promise<StoredModel[]> {
  return sql.query<StoredModel>(`select version, mu, trained, thresholds, active, created_at as "createdAt" from match_model order by created_at desc, version`);
}

/**
 * Sets the link and review thresholds of a stored version (the active one unless named), audited. Pairs
 * already decided keep their decision until matching runs again (`civreg rerun --stage match`).
 */
export async function setMatchThresholds(db: Database, thresholds: { link: number; review: number }, actor: string, version?: string): Promise<string> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ version: string; previous: { link: number; review: number } | null }>(
      `update match_model m set thresholds = $2 from match_model old where m.version = old.version and (m.version = $1 or ($1::text is null and m.active))
       returning m.version, old.thresholds as previous`,
      [version ?? null, JSON.stringify(thresholds)],
    );
    if (!row) throw new RangeError(version ? `no model version ${version}` : 'no trained model is active: train one first (civreg match train)');
    await recordAudit(tx, { actor, action: 'match_thresholds_set', objectType: 'match_model', objectId: row.version, detail: { thresholds, previous: row.previous } });
    return row.version;
  });
}
