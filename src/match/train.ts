/**
 * `civreg match train`: estimates m/u from the database (src/match/estimate.ts) and stores them as the
 * active model version, which the match stage then scores with. u comes from random pairs of records
 * (existing records and scanned entries, same register type), m and the match share by EM over the
 * candidate pairs matching has scored so far (their explanations hold each comparison's level; levels of
 * untrusted fields are left out, a misread says nothing about how records of one event differ).
 */
import { createHash } from 'node:crypto';
import { CORPUS_REGISTER_TYPES, type CorpusRegisterType } from '../../schemas/corpus.ts';
import { saveActiveMatchModel } from '../db/match-models.ts';
import type { Database, Sql } from '../db/sql.ts';
import { Rng } from '../samples/rng.ts';
import { compareRecords, type Comparison } from './compare.ts';
import { estimateU, estimateWeights, muTable, type Estimate, type Pair } from './estimate.ts';
import { recordFeatures, type Features, type ResolvedPlaces } from './features.ts';
import { createModel, DEFAULT_MODEL, type MatchModel } from './model.ts';

export interface TrainOptions {
  /** Random record pairs for u. */
  randomPairs?: number;
  /** Most candidate pairs EM reads (the newest). */
  candidatePairs?: number;
  seed?: number;
}

export interface TrainReport {
  version: string;
  candidatePairs: number;
  randomPairs: number;
  estimate: Estimate;
  ms: number;
}

/** Fewer candidate pairs than this say too little for EM; the model is not changed. */
export const MIN_CANDIDATE_PAIRS = 50;

export class NotEnoughPairsError extends Error {
  readonly code = 'not_enough_pairs';
}

/** Records drawn for random pairs per register type (enough for every common level to show). */
const SAMPLE_PER_TYPE = 4000;

/**
 * Trains and activates a model (see the module comment). Throws NotEnoughPairsError when matching has
 * scored too few pairs yet.
 */
export async function trainMatchModel(db: Database, options: TrainOptions = {}): Promise<{ model: MatchModel; report: TrainReport }> {
  const started = Date.now();
  const randomPairCount = options.randomPairs ?? 50_000;
  const rng = new Rng(options.seed ?? 1);
  const explained = await db.query<{ explanation: Comparison[] }>(
    'select explanation from match_candidate order by id desc limit $1',
    [options.candidatePairs ?? 200_000],
  );
  const pairs: Pair[] = explained.map((r) => r.explanation.filter((c) => !c.unsure)).filter((p) => p.length > 0);
  if (pairs.length < MIN_CANDIDATE_PAIRS) {
    throw new NotEnoughPairsError(`only ${pairs.length} candidate pairs scored; run matching on at least ${MIN_CANDIDATE_PAIRS} pairs first`);
  }
  const randomPairs: Pair[] = [];
  const byType = await sampleRecords(db, rng.fork('sample'));
  const types = CORPUS_REGISTER_TYPES.filter((t) => (byType.get(t)?.length ?? 0) >= 2);
  const total = types.reduce((sum, t) => sum + byType.get(t)!.length, 0);
  const draw = rng.fork('pairs');
  for (const t of types) {
    const records = byType.get(t)!;
    // pairs per type in proportion to the records sampled, so u is that of the whole database
    const n = Math.round((randomPairCount * records.length) / total);
    for (let i = 0; i < n; i++) {
      const a = draw.int(0, records.length - 1);
      const b = (a + draw.int(1, records.length - 1)) % records.length;
      randomPairs.push(compareRecords(records[a]!, records[b]!).filter((c) => !c.unsure));
    }
  }
  const estimate = estimateWeights(pairs, DEFAULT_MODEL, { u: estimateU(randomPairs), randomPairs: randomPairs.length });
  const mu = muTable(estimate);
  const version = `em-${createHash('sha256').update(JSON.stringify(mu)).digest('hex').slice(0, 10)}`;
  const report: TrainReport = { version, candidatePairs: pairs.length, randomPairs: randomPairs.length, estimate, ms: 0 };
  await saveActiveMatchModel(db, version, mu, { candidatePairs: pairs.length, randomPairs: randomPairs.length, lambda: estimate.lambda, iterations: estimate.iterations });
  return { model: createModel(version, mu), report: { ...report, ms: Date.now() - started } };
}

/** A random sample of records of each type, existing and scanned alike (Bernoulli sampling: no sort of the table). */
async function sampleRecords(sql: Sql, rng: Rng): Promise<Map<CorpusRegisterType, Features[]>> {
  const out = new Map<CorpusRegisterType, Features[]>();
  const seed = rng.int(0, 1_000_000);
  // ordered, so the same rows give the same pairs however the table's rows lie on disk
  for (const [table, unsure, key] of [['existing_record', `'{}'::text[]`, 'id'], ['entry_match_key', 'unsure', 'entry_id']] as const) {
    const [{ n }] = (await sql.query<{ n: number }>(`select count(*)::int as n from ${table}`)) as [{ n: number }];
    if (n === 0) continue;
    const percent = Math.min(100, (100 * SAMPLE_PER_TYPE * CORPUS_REGISTER_TYPES.length) / n);
    const rows = await sql.query<{ registerType: CorpusRegisterType; fields: Record<string, string>; places: ResolvedPlaces; unsure: string[] }>(
      `select register_type as "registerType", fields, places, ${unsure} as unsure from ${table} tablesample bernoulli ($1) repeatable ($2) order by ${key}`,
      [percent, seed],
    );
    for (const r of rows) {
      const list = out.get(r.registerType) ?? out.set(r.registerType, []).get(r.registerType)!;
      list.push(recordFeatures(r.registerType, r.fields, r.places, r.unsure));
    }
  }
  return out;
}
