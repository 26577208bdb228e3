import { STAGES, type StageName } from '../../schemas/jobs.ts';

/** The stage after `stage`, or null after the last one. The order itself is `STAGES` in schemas/jobs.ts. */
export function nextStage(stage: StageName): StageName | null {
  return STAGES[STAGES.indexOf(stage) + 1] ?? null;
}

export function deadLetterQueue(stage: StageName): string {
  return `${stage}-failed`;
}
