import { cachedVocabulary } from '../src/extract/vocabulary.ts';
import { extractStage } from '../src/extract/stage.ts';
import { readLineWith } from '../src/extract/second-reading.ts';
import { readFiguresWith } from '../src/extract/id-reading.ts';
import { routeStage } from '../src/extract/route-stage.ts';
import { matchStage } from '../src/match/stage.ts';
import type { Services } from '../src/services.ts';
import type { WorkerBinding } from '../src/pipeline/workers.ts';

export const extractWorker = (s: Services): WorkerBinding => ({
  stage: extractStage, concurrency: 1,
  deps: {
    blobs: s.blobs, instance: s.instance, vocabulary: cachedVocabulary(s.db),
    readLine: s.ocr && s.config.CIVREG_SECOND_READING !== 'off' ? readLineWith(s.ocr) : undefined,
    readFigures: s.ocr && s.config.CIVREG_SECOND_READING !== 'off' ? readFiguresWith(s.ocr) : undefined,
    readAgain: s.config.CIVREG_SECOND_READING === 'on' ? 'every_form' : 'typed',
    readTables: s.config.CIVREG_SECOND_READING === 'typed_tables',
  },
});
export const matchWorker = (s: Services): WorkerBinding => ({ stage: matchStage, concurrency: 1, deps: { instance: s.instance } });
export const routeWorker = (s: Services): WorkerBinding => ({ stage: routeStage, concurrency: 1, deps: { instance: s.instance, auditRate: s.config.CIVREG_AUDIT_RATE, vocabulary: cachedVocabulary(s.db) } });
