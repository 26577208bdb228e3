import { availableParallelism } from 'node:os';
import type { Config } from '../../schemas/config.ts';
import { SILENT_PROGRESS, waitUntilSettled } from '../pipeline/settle.ts';
import { cleanPage, cleanStepsFrom } from '../imaging/clean.ts';
import { expandInputs, receiveFiles } from '../ingest/receive.ts';
import type { Logger } from '../log.ts';
import { readFigures } from '../ocr/face-ones.ts';
import { createOcrPool } from '../ocr/pool.ts';
import { startScratchPipeline } from '../pipeline/scratch.ts';
import { benchLookup, type LookupBench } from './lookup.ts';
import { benchMatch, type MatchBench } from './match.ts';
import { benchReviewQueue, type ReviewQueueBench, type ReviewQueueSize } from './review-queue.ts';
import { timeCleanup } from './clean-time.ts';
import { openNativeTesseract } from './native.ts';
import { denseA4Page, loadBenchPages } from './pages.ts';

/** The speed report of EVALUATION.md; keys are a contract, sections of stages not built yet are null. */
export interface BenchReport {
  machine: { cpus: number; node: string; nativeTesseract: string | null };
  /**
   * `msPerPage`: tesseract.js recognition, the figure compared with native Tesseract. `stageMsPerPage`: the
   * OCR stage's work on a page, recognition plus the digit glyph check (which decodes the clean PNG again).
   */
  ocr: { msPerPage: number; stageMsPerPage: number; nativeMsPerPage: number | null; ratioToNative: number | null; pages: number; model: string };
  /**
   * `msPerPage` per delivered image, in a warm process of its own (`src/bench/clean-time.ts`); `coldMsPerPage`
   * the same pages on that process's first pass; `shareOfOcr` against recognition alone, `shareOfOcrStage`
   * against the OCR stage.
   */
  clean: { msPerPage: number; coldMsPerPage: number; shareOfOcr: number; shareOfOcrStage: number };
  pipeline: { msPerPage: number; overheadRatio: number; pagesPerMinute: number; workers: number; scaling: number; pages: number };
  memory: { perOcrWorkerMb: number; workers: number };
  match: MatchBench;
  lookup: LookupBench;
  review: ReviewQueueBench;
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Measures every figure side by side in one run, so ratios hold on a noisy machine: cleanup, OCR
 * with tesseract.js and with native Tesseract interleaved page by page on the same cleaned pages,
 * the whole pipeline through the queue with one OCR worker and with one per core, and the
 * resident memory each OCR worker adds.
 */
export async function runBench(
  serverUrl: string,
  config: Config,
  log: Logger,
  corpusDir: string,
  say: (line: string) => void,
  matchSize: { existing: number; incoming: number },
  lookupSize: { records: number; rps: number; seconds: number },
  reviewSize: ReviewQueueSize,
): Promise<BenchReport> {
  const cores = availableParallelism();
  // First, so the process's peak resident memory is the matcher's, before any OCR worker exists.
  const match = await benchMatch(serverUrl, { ...matchSize, workers: cores }, say);
  const lookup = await benchLookup(serverUrl, lookupSize, say);
  const review = await benchReviewQueue(serverUrl, reviewSize, say);
  const memory = await measureWorkerMemory(config, cores);
  say(`memory: ${memory.perOcrWorkerMb} MB per OCR worker (${cores} workers)`);

  const { files, pages } = await loadBenchPages(corpusDir);
  const cleanOptions = { maxPixels: config.CIVREG_MAX_PAGE_PIXELS, steps: cleanStepsFrom(config.CIVREG_CLEAN_STEPS) };
  // Cleanup is timed in a process of its own (src/bench/clean-time.ts), warm, as a pipeline worker runs it.
  const cleanTiming = await timeCleanup(corpusDir, config.CIVREG_MAX_PAGE_PIXELS, config.CIVREG_CLEAN_STEPS);
  const cleanMs = cleanTiming.warmMs;
  const cleaned: Buffer[] = [];
  // A spread is two clean pages, both read.
  for (const page of pages) cleaned.push(...(await cleanPage(page, cleanOptions)).pages.map((part) => part.image));

  const pool = await createOcrPool({ size: 1, pageTimeoutMs: config.CIVREG_OCR_TIMEOUT_MS, recycleAfterPages: config.CIVREG_OCR_RECYCLE_AFTER, model: config.CIVREG_OCR_MODEL });
  const native = await openNativeTesseract(config.CIVREG_OCR_MODEL, pool.info.psm);
  const jsMs: number[] = [];
  const glyphMs: number[] = [];
  const nativeMs: number[] = [];
  try {
    // Likewise the OCR worker: one untimed page, so neither side is timed cold.
    if (cleaned[0]) await pool.recognize(cleaned[0]);
    for (const [i, image] of cleaned.entries()) {
      // Alternate which engine goes first so neither always gets the warmer cache.
      const runJs = async () => {
        const started = performance.now();
        const read = await pool.recognize(image);
        jsMs.push(performance.now() - started);
        const checked = performance.now();
        await readFigures(image, read);
        glyphMs.push(performance.now() - checked);
      };
      const runNative = async () => {
        if (native) nativeMs.push(await native.read(image));
      };
      if (i % 2 === 0) await runJs().then(runNative);
      else await runNative().then(runJs);
      say(`ocr: page ${i + 1}/${cleaned.length}`);
    }
  } finally {
    await pool.close();
    await native?.close();
  }
  const ocrMs = mean(jsMs);
  const stageMs = ocrMs + mean(glyphMs);
  // Per delivered image: a spread's cleanup is shared by the two pages it yields.
  const cleanTotal = cleanMs.reduce((sum, ms) => sum + ms, 0);

  const one = await timePipeline(serverUrl, config, log, files, 1);
  say(`pipeline, 1 OCR worker: ${round(one.pagesPerMinute)} pages/minute`);
  const many = await timePipeline(serverUrl, config, log, files, cores);
  say(`pipeline, ${cores} OCR workers: ${round(many.pagesPerMinute)} pages/minute`);

  return {
    machine: { cpus: cores, node: process.version, nativeTesseract: native?.version ?? null },
    ocr: {
      msPerPage: round(ocrMs),
      stageMsPerPage: round(stageMs),
      nativeMsPerPage: native ? round(mean(nativeMs)) : null,
      ratioToNative: native ? round(ocrMs / mean(nativeMs), 2) : null,
      pages: cleaned.length,
      model: pool.info.model,
    },
    clean: { msPerPage: round(mean(cleanMs)), coldMsPerPage: round(mean(cleanTiming.coldMs)), shareOfOcr: round(cleanTotal / (ocrMs * cleaned.length), 3), shareOfOcrStage: round(cleanTotal / (stageMs * cleaned.length), 3) },
    pipeline: {
      msPerPage: round(one.msPerPage),
      overheadRatio: round(one.msPerPage / ocrMs, 2),
      pagesPerMinute: round(many.pagesPerMinute),
      workers: cores,
      scaling: round(many.pagesPerMinute / one.pagesPerMinute, 2),
      pages: one.pages,
    },
    memory,
    match,
    lookup,
    review,
  };
}

/** Wall time of the whole pipeline (ingest → route) over the files, on a scratch database. */
async function timePipeline(serverUrl: string, config: Config, log: Logger, files: string[], ocrWorkers: number) {
  const pipeline = await startScratchPipeline(serverUrl, { ...config, CIVREG_OCR_WORKERS: ocrWorkers }, log, { workers: true, prefix: 'civreg_bench' });
  try {
    const started = performance.now();
    const received = await receiveFiles(
      { ...pipeline.services, maxUploadBytes: config.CIVREG_MAX_UPLOAD_BYTES },
      { officeCode: 'bench', registerType: 'other', bookNo: '1' },
      await expandInputs(files),
      'bench',
    );
    await waitUntilSettled(pipeline.services.db, received.map((r) => r.uploadId), SILENT_PROGRESS);
    const ms = performance.now() - started;
    const [row] = await pipeline.services.db.query<{ n: number }>(`select count(*)::int as n from page where status = 'routed'`);
    const pages = row!.n;
    return { pages, msPerPage: ms / pages, pagesPerMinute: (pages / ms) * 60_000 };
  } finally {
    await pipeline.close();
  }
}

/** (RSS with N OCR workers − RSS with none) ÷ N, after reading a two-page 400-dpi scan. */
async function measureWorkerMemory(config: Config, workers: number): Promise<BenchReport['memory']> {
  const scan = [await denseA4Page(400, 1), await denseA4Page(400, 2)];
  const before = process.memoryUsage.rss();
  const pool = await createOcrPool({ size: workers, pageTimeoutMs: config.CIVREG_OCR_TIMEOUT_MS, recycleAfterPages: config.CIVREG_OCR_RECYCLE_AFTER, model: config.CIVREG_OCR_MODEL });
  try {
    await Promise.all(scan.map((page) => pool.recognize(page)));
    const after = process.memoryUsage.rss();
    return { perOcrWorkerMb: round((after - before) / workers / 1024 / 1024), workers };
  } finally {
    await pool.close();
  }
}
