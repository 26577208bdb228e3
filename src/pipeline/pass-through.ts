import { pageJobSchema, type PageJob, type StageName } from '../../schemas/jobs.ts';
import { getPage, recordPageResult, setPageStatus, type PageStatus } from '../db/pages.ts';
import { isSettled } from '../imaging/stage.ts';
import { nextStage } from './order.ts';
import type { RunContext, Stage } from './stage.ts';

/**
 * A stage that only records that the page passed through it. extract, match and route are this
 * until their real implementations land; keeping them as queues now fixes the pipeline's shape.
 */
export function passThroughStage(name: StageName, status: PageStatus): Stage<PageJob, RunContext> {
  return {
    name,
    input: pageJobSchema,
    async run({ pageId }, deps) {
      const page = await getPage(deps.sql, pageId);
      if (!page || isSettled(page.status)) return { outcome: 'done', forward: [] };
      await setPageStatus(deps.sql, pageId, status);
      await recordPageResult(deps.sql, { pageId, stage: name, engine: 'pass-through', outcome: 'done', producedBy: deps.instance, ms: 0 });
      return { outcome: 'done', forward: nextStage(name) ? [{ pageId }] : [] };
    },
  };
}
