/**
 * Matching in `civreg eval`: the corpus's existing records go into the evaluation database before the
 * pipeline runs (as `civreg import-existing` would put them), the pipeline's decided pairs are scored against
 * truth-links.json, and, since extraction is still weak on many eras, the matcher is also run on the truth
 * entries themselves (every field as if perfectly extracted) so its own quality is known.
 */
import { flushBlockingIndex, upsertExistingRecords, type ExistingRecordInput } from '../db/existing.ts';
import { listDecidedPairs, entriesById } from '../db/matches.ts';
import { createScratchDatabase } from '../db/scratch.ts';
import type { Database, Sql } from '../db/sql.ts';
import { checkBook } from '../extract/book-checks.ts';
import { settleBookYearsToTruth } from './book-years.ts';
import { prepareRow } from '../existing/import.ts';
import type { Estimate } from '../match/estimate.ts';
import { matchEntry } from '../match/match.ts';
import { settleReviewToTruth } from './settle.ts';
import { settleEntry } from '../review/settle.ts';
import { DEFAULT_MODEL, fullScore, linkGuard, THRESHOLDS, type MatchModel } from '../match/model.ts';
import { calibrateThresholds, type Calibration } from '../match/calibrate.ts';
import type { Comparison } from '../match/compare.ts';
import { closurePairs } from './metrics/links.ts';
import { pairEntries } from './metrics/extraction.ts';
import { NotEnoughPairsError, trainMatchModel } from '../match/train.ts';
import type { Corpus } from './corpus.ts';
import { SUBJECTS } from '../match/features.ts';
import { lostPairs, matchScores, matchScoresByEra, type LossCounts, type MatchScores, type ScoredPair } from './metrics/match.ts';
import { bookOfPages, type CorpusRun } from './run.ts';

export interface MatchReport extends MatchScores {
  byEra: Record<string, MatchScores>;
}

/** The matcher on the truth entries: with the hand-set model, and again with m/u EM estimated from that run's pairs. */
export type OnTruth = MatchReport & {
  seconds: number;
  model: string;
  em: Estimate | null;
  /** Thresholds calibrated on these pairs (src/match/calibrate.ts), with each model's weights. */
  calibration: Calibration;
  trained: (MatchReport & { model: string; calibration: Calibration }) | null;
};

/** The report's `match` section: through the pipeline, and on the truth entries. */
export interface EvalMatch extends MatchReport {
  onTruth: OnTruth;
  /** Through the pipeline: the true pairs the final links miss, by cause (metrics/match.ts lostPairs). */
  lost?: PipelineLoss;
  /** The same once people have settled the fields sent to them, keying them right (measureAfterReview). */
  afterReview?: PipelineMatch & { entriesSettled: number };
  reviewsBelowThreshold?: PipelineMatch['reviewsBelowThreshold'];
}

export type PipelineLoss = LossCounts & { byEra: Record<string, LossCounts> };

/** Matching through the pipeline (measurePipelineMatch). */
export type PipelineMatch = MatchReport & { lost: PipelineLoss; reviewsBelowThreshold: { pairs: number; true: number } };

const percent = (value: number | null | undefined) => (value === null || value === undefined ? 'n/a' : `${(value * 100).toFixed(2)}%`);

/** The terminal lines of the `match` section. */
export function formatMatch(m: Partial<Omit<MatchScores, 'pairsCompared'>> & { truePairs: number; pairsCompared: number | null; onTruth?: EvalMatch['onTruth']; lost?: PipelineLoss; afterReview?: EvalMatch['afterReview']; reviewsBelowThreshold?: EvalMatch['reviewsBelowThreshold'] }): string[] {
  const line = (label: string, s: Partial<Omit<MatchScores, 'pairsCompared'>> & { pairsCompared?: number | null }) =>
    `  ${label.padEnd(13)}precision ${percent(s.precision).padEnd(9)}recall ${percent(s.recall).padEnd(9)}F1 ${percent(s.f1).padEnd(9)}` +
    `auto-link precision ${percent(s.autoLinkPrecision).padEnd(9)}${s.autoLinkPrecisionLow !== undefined && s.autoLinkPrecisionLow !== null ? `(≥ ${percent(s.autoLinkPrecisionLow)}) ` : ''}recall ${percent(s.autoLinkRecall).padEnd(9)}to review ${percent(s.reviewShare)} of ${s.pairsCompared ?? 0} pairs`;
  const causes = (l: LossCounts) => Object.entries(l.lost).filter(([, n]) => n > 0).map(([cause, n]) => `${cause} ${n}`).join(', ') || 'none';
  const lost = (l: PipelineLoss) => [
    `    true pairs missed: ${causes(l)}; recall where extraction found the entries ${percent(l.recallWithEntries)} of ${l.pairsWithEntries}`,
    ...Object.entries(l.byEra).map(([era, e]) => `      ${era.padEnd(11)}${e.truePairs - e.found} of ${e.truePairs} missed: ${causes(e)}; recall where found ${percent(e.recallWithEntries)} of ${e.pairsWithEntries}`),
  ];
  const lines = [`Matching: ${m.truePairs} same-event pairs in the truth`];
  if (m.pairsCompared !== null) lines.push(line('pipeline', m));
  if (m.lost) lines.push(...lost(m.lost));
  const below = (b: PipelineMatch['reviewsBelowThreshold'] | undefined) =>
    b ? [`    sent to a person only because untrusted fields were capped below the review threshold: ${b.pairs} pairs, ${b.true} of them true`] : [];
  lines.push(...below(m.reviewsBelowThreshold));
  if (m.afterReview) {
    lines.push(line('after review', m.afterReview), ...lost(m.afterReview.lost), ...below(m.afterReview.reviewsBelowThreshold),
      `    (${m.afterReview.entriesSettled} entries had fields settled to the truth and were matched again)`);
    for (const [era, s] of Object.entries(m.afterReview.byEra)) lines.push(line(`  ${era}`, s));
  }
  const calibration = (c: Calibration | undefined) =>
    c ? [`  calibrated on these pairs: link ≥ ${c.link}, review ≥ ${c.review} (highest linkable pair of two events ${c.highestWrongLinkable ?? 'none'}, ` +
      `lowest pair of one event ${c.lowestSame ?? 'none'}): ${c.autoLinks} auto-links, ${c.wrongAutoLinks} wrong (precision ≥ ${percent(c.autoLinkPrecisionLow)}), ` +
      `recall ${percent(c.recall)}, to review ${percent(c.reviewShare)} of ${c.pairs} pairs`] : [];
  if (m.onTruth) {
    lines.push(line('truth fields', m.onTruth));
    for (const [era, s] of Object.entries(m.onTruth.byEra)) lines.push(line(`  ${era}`, s));
    lines.push(...calibration(m.onTruth.calibration));
    if (m.onTruth.trained) {
      lines.push(`  with m/u estimated by EM from these pairs (model ${m.onTruth.trained.model}):`, line('truth fields', m.onTruth.trained));
      for (const [era, s] of Object.entries(m.onTruth.trained.byEra)) lines.push(line(`  ${era}`, s));
      lines.push(...calibration(m.onTruth.trained.calibration));
    }
  }
  return lines;
}

/** Puts the corpus's existing records into `sql`; returns how many rows could not be used. */
export async function loadExisting(sql: Sql, corpus: Corpus): Promise<number> {
  let rejected = 0;
  let batch: ExistingRecordInput[] = [];
  for (const [i, record] of corpus.existing.entries()) {
    const prepared = prepareRow(record);
    if ('reason' in prepared) rejected++;
    else batch.push({ ...prepared, sourceFile: 'existing.jsonl', sourceRow: i + 1 });
    if (batch.length >= 2000) {
      await upsertExistingRecords(sql, batch);
      batch = [];
    }
  }
  await upsertExistingRecords(sql, batch);
  await flushBlockingIndex(sql);
  return rejected;
}

/** A reference's era: the era of the scanned entry's book, null for existing records. */
function eraLookup(corpus: Corpus): (ref: string) => string | null {
  const eras = new Map(corpus.books.map(({ book }) => [book.id, book.era]));
  return (ref) => (ref.startsWith('scan:') ? (eras.get(ref.slice(5).split('/')[0] ?? '') ?? null) : null);
}

async function decidedPairs(sql: Sql, refOfEntry: (id: number) => string): Promise<ScoredPair[]> {
  return (await listDecidedPairs(sql)).map((p) => ({
    a: refOfEntry(p.entryId),
    b: p.existingSourceId !== null ? `existing:${p.existingSourceId}` : refOfEntry(p.otherEntryId!),
    decision: p.decision,
  }));
}

function report(corpus: Corpus, pairs: ScoredPair[]): MatchReport {
  return { ...matchScores(corpus.links.sameEvent, pairs), byEra: matchScoresByEra(corpus.links.sameEvent, pairs, eraLookup(corpus)) };
}

/** A stored candidate pair as a canonical truth pair (`a|b`, a < b), as closurePairs writes them. */
function pairKey(p: { entryId: number; otherEntryId: number | null; sourceId: string | null }, refOf: (id: number) => string): string {
  const [a, b] = [refOf(p.entryId), p.sourceId !== null ? `existing:${p.sourceId}` : refOf(p.otherEntryId!)];
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

interface ScoredCandidate { entryId: number; otherEntryId: number | null; sourceId: string | null; score: number; explanation: Comparison[]; decision: string; guard: string | null }

/** Every candidate pair the machine scored, with its own decision (not a person's), for the figures below. */
async function scoredPairs(sql: Sql): Promise<ScoredCandidate[]> {
  return sql.query<ScoredCandidate>(
    `select c.entry_id as "entryId", c.other_entry_id as "otherEntryId", r.source_id as "sourceId", c.score, c.explanation, c.decision, c.guard
       from match_candidate c left join existing_record r on r.id = c.existing_record_id where c.person_decision is null`,
  );
}

interface PipelineEntry { id: number; page_id: number; year: number | null; entry_no: number | null; register_type: string; unsure: string[] | null }

/**
 * The pipeline's entries and their truth references: an entry is the truth entry the extraction scores pair it with
 * (pairEntries: by book, year and number, or by its place on the page when its number was misread), so that a link
 * is judged on who it joins; an entry filed under a wrong or unread year (a book whose stated years are wrong, a year
 * misread) is that error in the field and book-check figures, not a wrong link as well. An entry paired with none is
 * known by its book, year and number as read, or by nothing (no truth).
 */
async function pipelineEntries(sql: Sql, corpus: Corpus, run: CorpusRun): Promise<{ entries: PipelineEntry[]; refOf: (id: number) => string }> {
  const bookOfPage = bookOfPages(corpus, run.pages);
  const entries = await sql.query<PipelineEntry>(
    'select e.id, e.page_id, e.year, e.entry_no, e.register_type, k.unsure from entry e left join entry_match_key k on k.entry_id = e.id order by e.id',
  );
  const truthOf = new Map<number, string>();
  for (const [key, { machine }] of pairEntries(corpus.books.map(({ book, truth }) => ({ id: book.id, truth })), run.entries)) {
    if (machine.id !== undefined) truthOf.set(machine.id, `scan:${key}`);
  }
  const readRef = (e: PipelineEntry) => (e.year !== null && e.entry_no !== null ? `scan:${bookOfPage.get(e.page_id) ?? '?'}/${e.year}/${e.entry_no}` : `scan:?entry${e.id}`);
  const refs = new Map(entries.map((e) => [e.id, truthOf.get(Number(e.id)) ?? readRef(e)]));
  return { entries, refOf: (id) => refs.get(id) ?? `scan:?entry${id}` };
}

/** Scores the pairs the pipeline decided, with the true pairs missed by cause. */
export async function measurePipelineMatch(sql: Sql, corpus: Corpus, run: CorpusRun): Promise<PipelineMatch> {
  const { entries, refOf } = await pipelineEntries(sql, corpus, run);
  const pairs = await decidedPairs(sql, refOf);
  // Identifying fields: the subjects' names and dates and the parents' names (what blocking keys are made of).
  const identifying = (type: string) => new Set([...(SUBJECTS[type as keyof typeof SUBJECTS] ?? []).flatMap((s) => [s.name, s.birth, s.event ?? '']), 'motherName', 'fatherName']);
  const unsure = new Set(entries.filter((e) => (e.unsure ?? []).some((f) => identifying(e.register_type).has(f))).map((e) => refOf(e.id)));
  const scored = await scoredPairs(sql);
  const truth = closurePairs(corpus.links.sameEvent);
  // Decided new, but weighing the untrusted comparisons in full would reach the review threshold.
  const cappedBelowReview = new Set(scored.filter((p) => p.decision === 'new' && fullScore(p.score, p.explanation) >= THRESHOLDS.review).map((p) => pairKey(p, refOf)));
  // Pairs a person sees only because capped untrusted fields would otherwise have made them new records
  // (src/match/model.ts decide), and how many of them are true: what that rule adds to recall and to review.
  const belowThreshold = scored.filter((p) => p.decision === 'review' && p.guard === 'unsure_fields' && p.score < THRESHOLDS.review);
  const trueBelow = belowThreshold.filter((p) => truth.has(pairKey(p, refOf))).length;
  const found = new Set(entries.map((e) => refOf(e.id)));
  return {
    ...report(corpus, pairs),
    lost: lostPairs(corpus.links.sameEvent, pairs, { found, unsure, cappedBelowReview }, eraLookup(corpus)),
    reviewsBelowThreshold: { pairs: belowThreshold.length, true: trueBelow },
  };
}

/**
 * What matching ends with once people have settled the fields sent to them, keying them right: review is
 * settled to the truth (src/eval/settle.ts, as for `fields.accuracy` and the lookup section) and every entry
 * with fields settled is settled as the review screen settles it (settleEntry, which matches it again).
 * Fields the machine accepted keep their reading, right or wrong (a number misread and accepted files the
 * entry under the wrong number: an error of that field, its links judged on the truth entry it pairs with); entries
 * extraction did not find stay
 * missing unless a page raised for keying holds them (src/eval/keying.ts). Pairs sent to a person still count
 * as decided right. Changes the evaluation database: run it after everything that reads the pipeline's own
 * result.
 */
export async function measureAfterReview(sql: Database, corpus: Corpus, run: CorpusRun): Promise<PipelineMatch & { entriesSettled: number }> {
  const { settled } = await settleReviewToTruth(sql, corpus, run);
  for (const id of settled) await settleEntry(sql, id);
  // dates a person settled may put a book's stated years in doubt (hand-written dates were not read before): the
  // checks run again on those books, as a decision on a date makes them, and the verifier settles the years, so the
  // entries are filed under their own year before their links are named
  const books = await sql.query<{ id: number }>('select distinct book_id as id from entry where id = any($1)', [settled]);
  for (const { id } of books) await sql.transaction((tx) => checkBook(tx, id));
  await settleBookYearsToTruth(sql, corpus, run);
  return { ...(await measurePipelineMatch(sql, corpus, run)), entriesSettled: settled.length };
}

/**
 * The matcher on the truth entries: a database of its own holds the existing records and every non-struck
 * truth entry with its true field values; each entry is matched in book order, as pages would arrive.
 */
export async function measureMatchOnTruth(serverUrl: string, corpus: Corpus, model: MatchModel = DEFAULT_MODEL, progress?: (done: number, total: number) => void): Promise<OnTruth> {
  const scratch = await createScratchDatabase(serverUrl, 'civreg_evalmatch');
  try {
    const { db } = scratch;
    await loadExisting(db, corpus);
    const refs = new Map<number, string>();
    const [office] = await db.query<{ id: number }>(`insert into registry_office (code, name) values ('eval', 'eval') returning id`);
    for (const [b, { book, truth }] of corpus.books.entries()) {
      const [bookRow] = await db.query<{ id: number }>(
        `insert into book (office_id, register_type, book_no, year_from) values ($1, $2, $3, $4) returning id`,
        [office!.id, book.registerType, `${book.bookNo} (${book.id})`, book.years[0] ?? null],
      );
      const [upload] = await db.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, $2, 'truth', 'truth', 0, 'eval') returning id`, [bookRow!.id, b]);
      const [page] = await db.query<{ id: number }>(`insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, 0, 'truth', 'extracted') returning id`, [bookRow!.id, upload!.id]);
      for (const [seq, entry] of truth.entries.filter((e) => !e.struck).entries()) {
        const [row] = await db.query<{ id: number }>(
          `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
          [bookRow!.id, page!.id, seq, [page!.id], entry.year, entry.entryNo, book.registerType],
        );
        const fields = Object.entries(entry.fields);
        await db.query(
          `insert into entry_field (entry_id, field, raw, value, confidence, status)
           select $1, f, v, v, 1, 'verified' from unnest($2::text[], $3::text[]) as u(f, v)`,
          [row!.id, fields.map(([k]) => k), fields.map(([, f]) => f.value)],
        );
        refs.set(row!.id, `scan:${entry.key}`);
      }
    }
    const started = Date.now();
    const ids = [...refs.keys()];
    const entries = await entriesById(db, ids);
    const matchAll = async (with_: MatchModel) => {
      for (const [i, entry] of entries.entries()) {
        await matchEntry(db, entry, with_);
        progress?.(i + 1, ids.length);
      }
      return { ...report(corpus, await decidedPairs(db, (id) => refs.get(id) ?? `scan:?entry${id}`)), calibration: await calibrate() };
    };
    const truth = closurePairs(corpus.links.sameEvent);
    const calibrate = async () => {
      const scored = await scoredPairs(db);
      return calibrateThresholds(scored.map((p) => ({ score: p.score, guard: linkGuard(p.explanation), same: truth.has(pairKey(p, (id) => refs.get(id)!)) })));
    };
    const first = await matchAll(model);
    const seconds = (Date.now() - started) / 1000;
    // m/u as EM estimates them from this run's candidate pairs (u from random pairs), then the same
    // entries matched again with them: what `civreg match train` would give on this data.
    const trained = await trainMatchModel(db).catch((error: unknown) => {
      if (error instanceof NotEnoughPairsError) return null;
      throw error;
    });
    const again = trained ? { ...(await matchAll(trained.model)), model: trained.report.version } : null;
    return { ...first, seconds, model: model.name, em: trained?.report.estimate ?? null, trained: again };
  } finally {
    await scratch.drop();
  }
}
