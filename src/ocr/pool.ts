import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import { flattenBlocks, meanWordConfidence, normaliseText } from './words.ts';
import { OcrPoolClosedError, OcrTimeoutError, type OcrEngineInfo, type OcrModel, type OcrOptions, type OcrPool, type OcrPoolStats, type OcrResult } from './types.ts';

export * from './types.ts';

const MODEL_DIRECTORIES: Record<OcrModel, string> = {
  best_int: '4.0.0_best_int',
  legacy: '4.0.0',
};

// Modes that need neither OSD data (0, 1, 12) nor skip recognition (2).
const SUPPORTED_PSMS = new Set([3, 4, 5, 6, 7, 8, 9, 10, 11, 13]);
const DEFAULT_PSM = 3;

const require = createRequire(import.meta.url);
const tesseractVersion: string = require('tesseract.js/package.json').version;

/**
 * Directory holding `vie.traineddata.gz` for a model, inside node_modules. Passing it as
 * `langPath` is what keeps tesseract.js from downloading the model from its CDN.
 *
 * @example
 * traineddataDir('best_int'); // '/app/node_modules/@tesseract.js-data/vie/4.0.0_best_int'
 */
export function traineddataDir(model: OcrModel): string {
  const packageDir = path.dirname(require.resolve('@tesseract.js-data/vie/package.json'));
  return path.join(packageDir, MODEL_DIRECTORIES[model]);
}

/** The characters a figures-only reading may answer. */
const FIGURES = '0123456789';

interface QueuedPage {
  image: Buffer;
  /** Page segmentation for this image; the pool's own when absent. */
  psm: number | undefined;
  /** Only figures may be read (Tesseract's whitelist), for an ID number read again (src/extract/id-reading.ts). */
  figures: boolean;
  resolve: (result: OcrResult) => void;
  reject: (error: Error) => void;
}

interface WorkerSlot {
  /** null while the worker is being (re)created. */
  worker: Tesseract.Worker | null;
  pages: number;
  page: QueuedPage | null;
  /** Ends the running page early when the thread dies or the pool closes. */
  abort: ((error: Error) => void) | null;
  /** The page segmentation the worker is set to. */
  psm: number;
  /** Whether the worker is set to read figures only. */
  figures: boolean;
}

type PageOutcome =
  | { kind: 'recognised'; page: Tesseract.Page }
  | { kind: 'timed_out' }
  | { kind: 'failed'; error: Error };

/**
 * Starts `options.size` tesseract.js workers with the Vietnamese model from node_modules and
 * returns a pool that queues pages (FIFO) when every worker is busy. Nothing is fetched over the
 * network: the wasm core is read from `tesseract.js-core` and the model from `@tesseract.js-data/vie`.
 *
 * @example
 * const pool = await createOcrPool({ size: 2, pageTimeoutMs: 60_000, recycleAfterPages: 200, model: 'best_int' });
 * try {
 *   const { text, words } = await pool.recognize((await cleanPage(scan)).image);
 * } finally {
 *   await pool.close();
 * }
 */
export async function createOcrPool(options: OcrOptions): Promise<OcrPool> {
  const psm = options.psm ?? DEFAULT_PSM;
  validateOptions(options, psm);
  const langPath = traineddataDir(options.model);
  const legacy = options.model === 'legacy';

  const info: OcrEngineInfo = {
    engine: 'tesseract.js',
    engineVersion: tesseractVersion,
    model: `vie ${MODEL_DIRECTORIES[options.model]}`,
    psm,
  };

  const slots: WorkerSlot[] = [];
  const queue: QueuedPage[] = [];
  const counters = { recognised: 0, recycled: 0, timedOut: 0 };
  /** Workers we terminated on purpose, so their exit is not mistaken for a crash. */
  const retired = new WeakSet<Tesseract.Worker>();
  const pendingExits = new Set<Promise<unknown>>();
  const pendingStarts = new Set<Promise<unknown>>();
  let closed = false;

  async function startWorker(): Promise<Tesseract.Worker> {
    let starting = true;
    let failStartup: (error: Error) => void = () => {};
    // tesseract.js swallows a failed language load or initialisation (bad traineddata) and never
    // settles createWorker; its errorHandler is the only signal, so startup races against it.
    const startupFailure = new Promise<never>((_, reject) => {
      failStartup = reject;
    });
    const created = Tesseract.createWorker(
      'vie',
      // OEM.DEFAULT lets the legacy traineddata pick its own mode (measured: same output as
      // TESSERACT_LSTM_COMBINED); best_int has no legacy components, so LSTM only.
      legacy ? Tesseract.OEM.DEFAULT : Tesseract.OEM.LSTM_ONLY,
      {
        langPath,
        gzip: true,
        // Otherwise a stale ./vie.traineddata in the working directory wins over langPath.
        cacheMethod: 'none',
        legacyCore: legacy,
        legacyLang: legacy,
        // Without a handler tesseract.js rethrows a failed job inside its message listener, an
        // uncaught exception that kills the process. After startup the job's promise carries the error.
        errorHandler: (error: unknown) => {
          if (starting) failStartup(asError(error, `tesseract.js could not load ${info.model} from ${langPath}`));
        },
      },
    );
    let worker: Tesseract.Worker;
    try {
      worker = await Promise.race([created, startupFailure]);
    } finally {
      starting = false;
    }
    try {
      // The API default is 6 (single block); the tesseract CLI and we use 3 unless told otherwise.
      await worker.setParameters({ ...options.parameters, tessedit_pageseg_mode: String(psm) as Tesseract.PSM });
    } catch (error) {
      await terminate(worker);
      throw asError(error, 'tesseract.js rejected the page segmentation mode');
    }
    return worker;
  }

  function watchThread(slot: WorkerSlot, worker: Tesseract.Worker): void {
    const thread = threadOf(worker);
    if (!thread) return;
    const onDeath = (error: Error) => {
      if (retired.has(worker) || slot.worker !== worker) return;
      if (slot.abort) slot.abort(error);
      else replaceWorker(slot);
    };
    // An 'error' event without a listener would be rethrown in the main thread.
    thread.on('error', (error) => onDeath(asError(error, 'OCR worker thread crashed')));
    thread.on('exit', (code) => onDeath(new Error(`OCR worker thread exited unexpectedly (code ${code})`)));
  }

  function terminate(worker: Tesseract.Worker): Promise<unknown> {
    retired.add(worker);
    const thread = threadOf(worker);
    // tesseract.js does not wait for the thread to stop; awaiting the thread's own terminate
    // lets close() return only when the memory is actually released.
    const exit = Promise.allSettled([worker.terminate(), thread?.terminate()]);
    pendingExits.add(exit);
    void exit.then(() => pendingExits.delete(exit));
    return exit;
  }

  function replaceWorker(slot: WorkerSlot): void {
    const old = slot.worker;
    slot.worker = null;
    slot.pages = 0;
    slot.psm = psm;
    slot.figures = false;
    if (old) void terminate(old);
    if (closed) return;
    const start = startWorker().then(
      (worker) => {
        if (closed) {
          void terminate(worker);
          return;
        }
        slot.worker = worker;
        watchThread(slot, worker);
        dispatch();
      },
      (error: unknown) => {
        // Creation reads only local files, so a failure will not fix itself: drop the slot,
        // and when none is left, fail the waiting pages instead of letting them hang.
        slots.splice(slots.indexOf(slot), 1);
        if (slots.length === 0) {
          const cause = asError(error, 'could not create an OCR worker');
          for (const page of queue.splice(0)) {
            page.reject(new Error(`OCR pool has no workers left: ${cause.message}`, { cause }));
          }
        }
      },
    );
    pendingStarts.add(start);
    void start.then(() => pendingStarts.delete(start));
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (slot.worker && !slot.page) {
        slot.page = queue.shift() ?? null;
        void runPage(slot, slot.worker);
      }
    }
  }

  async function runPage(slot: WorkerSlot, worker: Tesseract.Worker): Promise<void> {
    const page = slot.page;
    if (!page) return;
    const started = performance.now();
    const outcome = await new Promise<PageOutcome>((settle) => {
      const timer = setTimeout(() => settle({ kind: 'timed_out' }), options.pageTimeoutMs);
      const finish = (result: PageOutcome) => {
        clearTimeout(timer);
        settle(result);
      };
      slot.abort = (error) => finish({ kind: 'failed', error });
      // a line read again (psm 7) between pages: the worker is set to each image's mode as it comes
      const wanted = page.psm ?? psm;
      const read = () => worker.recognize(page.image, {}, { text: true, blocks: true });
      // at once when no mode is to be set: a worker the pool terminates in between must not be sent the page
      const same = wanted === slot.psm && page.figures === slot.figures;
      const recognised = same ? read() : worker.setParameters({
        tessedit_pageseg_mode: String(wanted) as Tesseract.PSM,
        tessedit_char_whitelist: page.figures ? FIGURES : (options.parameters?.tessedit_char_whitelist ?? ''),
      }).then(() => {
        slot.psm = wanted;
        slot.figures = page.figures;
        if (slot.worker !== worker) throw new OcrPoolClosedError('the OCR worker was stopped while its mode was set');
        return read();
      });
      recognised.then(
        ({ data }) => finish({ kind: 'recognised', page: data }),
        (error: unknown) => finish({ kind: 'failed', error: asError(error, 'tesseract.js failed to recognise the page') }),
      );
    });
    const ms = Math.round(performance.now() - started);
    slot.page = null;
    slot.abort = null;

    if (outcome.kind === 'recognised') {
      counters.recognised += 1;
      slot.pages += 1;
      if (slot.pages >= options.recycleAfterPages) {
        counters.recycled += 1;
        replaceWorker(slot);
      }
      let result: OcrResult;
      try {
        result = toOcrResult(outcome.page, ms);
      } catch (error) {
        page.reject(asError(error, 'unexpected tesseract.js output'));
        dispatch();
        return;
      }
      page.resolve(result);
    } else {
      // A recognition cannot be cancelled, and after a failure the wasm heap may be unusable:
      // a worker that did not finish its page cleanly is never given another one.
      if (outcome.kind === 'timed_out') counters.timedOut += 1;
      replaceWorker(slot);
      page.reject(
        outcome.kind === 'timed_out'
          ? new OcrTimeoutError(`OCR of one page took longer than ${options.pageTimeoutMs} ms; the worker was replaced`)
          : outcome.error,
      );
    }
    dispatch();
  }

  if (!existsSync(path.join(langPath, 'vie.traineddata.gz'))) {
    throw new Error(`OCR model ${info.model} not found: ${path.join(langPath, 'vie.traineddata.gz')} is missing; run npm install`);
  }
  const starts = await Promise.allSettled(Array.from({ length: options.size }, () => startWorker()));
  const startFailure = starts.find((start) => start.status === 'rejected');
  if (startFailure) {
    closed = true;
    await Promise.allSettled(starts.map((start) => (start.status === 'fulfilled' ? terminate(start.value) : undefined)));
    const cause = asError(startFailure.reason, 'tesseract.js failed to start');
    throw new Error(`Could not start the OCR pool (model ${info.model} from ${langPath}): ${cause.message}`, { cause });
  }
  for (const start of starts) {
    if (start.status !== 'fulfilled') continue;
    const slot: WorkerSlot = { worker: start.value, pages: 0, page: null, abort: null, psm, figures: false };
    slots.push(slot);
    watchThread(slot, start.value);
  }

  return {
    info,

    recognize(image: Buffer, options?: { psm?: number; figures?: boolean }): Promise<OcrResult> {
      if (closed) return Promise.reject(new OcrPoolClosedError('OCR pool is closed'));
      if (slots.length === 0) return Promise.reject(new Error('OCR pool has no workers left'));
      if (options?.psm !== undefined && !SUPPORTED_PSMS.has(options.psm)) return Promise.reject(new RangeError(`psm must be one of ${[...SUPPORTED_PSMS].join(', ')} (got ${options.psm})`));
      return new Promise<OcrResult>((resolve, reject) => {
        queue.push({ image, psm: options?.psm, figures: options?.figures ?? false, resolve, reject });
        dispatch();
      });
    },

    async close(): Promise<void> {
      closed = true;
      for (const page of queue.splice(0)) page.reject(new OcrPoolClosedError('OCR pool closed before this page was recognised'));
      for (const slot of slots) slot.abort?.(new OcrPoolClosedError('OCR pool closed while this page was being recognised'));
      await Promise.allSettled([...pendingStarts]);
      for (const slot of slots) {
        if (slot.worker) void terminate(slot.worker);
        slot.worker = null;
      }
      await Promise.allSettled([...pendingExits]);
    },

    stats(): OcrPoolStats {
      return {
        workers: slots.filter((slot) => slot.worker).length,
        busy: slots.filter((slot) => slot.page).length,
        queued: queue.length,
        ...counters,
      };
    },
  };
}

function toOcrResult(page: Tesseract.Page, ms: number): OcrResult {
  const { words, lines, digits, corrected } = flattenBlocks(page.blocks);
  return {
    // the page's text with the words corrected by their context, as column readings join it (column-words.ts)
    text: corrected ? lines.map((line) => line.text).join('\n') : normaliseText(page.text),
    meanConfidence: meanWordConfidence(words),
    words,
    lines,
    digits,
    ms,
  };
}

function validateOptions(options: OcrOptions, psm: number): void {
  const problems: string[] = [];
  if (!Number.isInteger(options.size) || options.size < 1) problems.push(`size must be an integer ≥ 1 (got ${options.size})`);
  // setTimeout fires at once for delays beyond 2^31 - 1 ms.
  if (!(options.pageTimeoutMs > 0 && options.pageTimeoutMs <= 2 ** 31 - 1)) {
    problems.push(`pageTimeoutMs must be between 1 and ${2 ** 31 - 1} (got ${options.pageTimeoutMs})`);
  }
  if (!Number.isInteger(options.recycleAfterPages) || options.recycleAfterPages < 1) {
    problems.push(`recycleAfterPages must be an integer ≥ 1 (got ${options.recycleAfterPages})`);
  }
  if (!(options.model in MODEL_DIRECTORIES)) problems.push(`model must be one of ${Object.keys(MODEL_DIRECTORIES).join(', ')} (got ${options.model})`);
  if (!SUPPORTED_PSMS.has(psm)) problems.push(`psm must be one of ${[...SUPPORTED_PSMS].join(', ')} (got ${psm})`);
  if (problems.length > 0) throw new RangeError(`Invalid OCR options: ${problems.join('; ')}`);
}

/** The worker_threads Worker behind a tesseract.js worker (not in its type definitions). */
function threadOf(worker: Tesseract.Worker): ThreadWorker | undefined {
  return (worker as unknown as { worker?: ThreadWorker }).worker ?? undefined;
}

/** tesseract.js rejects with plain strings; callers get Errors. */
function asError(value: unknown, context: string): Error {
  if (value instanceof Error) return value;
  return new Error(`${context}: ${String(value)}`);
}
