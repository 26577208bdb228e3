import { passThroughStage } from '../src/pipeline/pass-through.ts';
import type { Services } from '../src/services.ts';
import type { WorkerBinding } from '../src/pipeline/workers.ts';

// extract, match and route pass pages through until their stages are built (issues 6 and 7).
export const extractWorker = (s: Services): WorkerBinding => ({ stage: passThroughStage('extract', 'extracted'), concurrency: 1, deps: { instance: s.instance } });
export const matchWorker = (s: Services): WorkerBinding => ({ stage: passThroughStage('match', 'matched'), concurrency: 1, deps: { instance: s.instance } });
export const routeWorker = (s: Services): WorkerBinding => ({ stage: passThroughStage('route', 'routed'), concurrency: 1, deps: { instance: s.instance } });
