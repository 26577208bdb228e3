import { pageJobSchema, type PageJob } from '../../schemas/jobs.ts';
import { entriesById, entriesOfPage } from '../db/matches.ts';
import { getPage, recordPageResult, setPageStatus } from '../db/pages.ts';
import { isSettled } from '../imaging/stage.ts';
import type { RunContext, Stage } from '../pipeline/stage.ts';
import { matchEntries, type MatchResult } from './match.ts';
import { activeMatchModel } from '../db/match-models.ts';
import type { Sql } from '../db/sql.ts';
import { createModel, DEFAULT_MODEL, type MatchModel } from './model.ts';

/** The model `civreg match train` last stored, with the thresholds set for it, else the hand-set one. */
export async function activeModel(sql: Sql): Promise<MatchModel> {
  const stored = await activeMatchModel(sql);
  return stored ? createModel(stored.version, stored.mu, stored.thresholds ?? undefined) : DEFAULT_MODEL;
}

/**
 * Matches one entry again with the active model: once a person has settled its fields, matching trusts
 * them (src/match/trust.ts), so a pair held for review by guard `unsure_fields` can link, and a pair its
 * misread fields hid can be found. A person's decisions on its pairs stay.
 */
export async function rematchEntry(sql: Sql, entryId: number): Promise<MatchResult> {
  return matchEntries(sql, await entriesById(sql, [entryId]), await activeModel(sql));
}

export interface MatchDeps extends RunContext {
  model?: MatchModel;
}

/**
 * The match stage: every entry starting on the page is matched against the existing records and the other
 * scanned entries (src/match/match.ts). Pages pass on to routing; a page with a pair for a person to decide
 * ends `needs_review`.
 */
export const matchStage: Stage<PageJob, MatchDeps> = {
  name: 'match',
  input: pageJobSchema,
  async run({ pageId }, deps) {
    const page = await getPage(deps.sql, pageId);
    if (!page || isSettled(page.status)) return { outcome: 'done', forward: [] };
    const started = Date.now();
    const model = deps.model ?? (await activeModel(deps.sql));
    let reviews = 0;
    reviews += (await matchEntries(deps.sql, await entriesOfPage(deps.sql, pageId), model)).reviews;
    const outcome = reviews > 0 ? 'needs_review' : 'done';
    await setPageStatus(deps.sql, pageId, 'matched');
    await recordPageResult(deps.sql, { pageId, stage: 'match', engine: `civreg match ${model.name}`, outcome, producedBy: deps.instance, ms: Date.now() - started });
    return { outcome, forward: [{ pageId }] };
  },
};
