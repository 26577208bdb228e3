import type { z } from 'zod';
import type { StageName } from '../../schemas/jobs.ts';
import type { ReasonCode } from '../../schemas/reasons.ts';
import type { Sql } from '../db/sql.ts';

/** What a stage run ended in. Expected outcomes are returned; only transient faults throw. */
export interface StageResult<Forward> {
  outcome: 'done' | 'needs_review' | 'rejected';
  reason?: ReasonCode;
  /** Payloads for the next stage, sent in the same transaction that stored this result. */
  forward: Forward[];
}

/**
 * One pipeline stage: its name (also its queue), the zod schema of its job payload and `run`.
 * `Deps` lists exactly what the stage uses; `sql` is the transaction the result is written in.
 */
export interface Stage<Input, Deps, Forward = { pageId: number }> {
  name: StageName;
  input: z.ZodType<Input>;
  run(input: Input, deps: Deps & { sql: Sql }): Promise<StageResult<Forward>>;
}

/** Who ran a stage: `host:pid`, stored beside each result so runs can be traced across machines. */
export interface RunContext {
  instance: string;
}
