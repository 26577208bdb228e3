/**
 * Times cleanup in a process of its own, as a pipeline worker runs it: the bench's own process holds the
 * matcher's and the lookup's data by then, and every full collection the cleanup's page buffers set off
 * walks that heap too (measured once: 436 ms a page there, 240–310 ms in a fresh process on the same pages). Run by
 * `civreg bench` (`timeCleanup`); prints one JSON line.
 *
 *   node src/bench/clean-time.ts CORPUS_DIR MAX_PIXELS [STEPS]
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CleanStep } from '../../schemas/config.ts';
import { cleanPage, cleanStepsFrom } from '../imaging/clean.ts';
import { loadBenchPages } from './pages.ts';

export interface CleanTiming {
  /** Per delivered image, on the process's first pass (every step's code compiled on the way). */
  coldMs: number[];
  /** The same images again, in the warm process. */
  warmMs: number[];
}

/**
 * Cleans every page of the corpus twice in a child process and returns both passes' times.
 *
 * @example
 * const { warmMs } = await timeCleanup('samples', 100_000_000, undefined);
 */
export async function timeCleanup(corpusDir: string, maxPixels: number, steps: readonly CleanStep[] | undefined): Promise<CleanTiming> {
  const args = [fileURLToPath(import.meta.url), corpusDir, String(maxPixels), ...(steps ? [steps.length ? steps.join(',') : 'none'] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as CleanTiming;
}

async function main(corpusDir: string, maxPixels: number, steps: string | undefined): Promise<void> {
  const { pages } = await loadBenchPages(corpusDir);
  const options = { maxPixels, steps: cleanStepsFrom(steps === undefined ? undefined : steps === 'none' ? [] : (steps.split(',') as CleanStep[])) };
  const timing: CleanTiming = { coldMs: [], warmMs: [] };
  for (const pass of [timing.coldMs, timing.warmMs]) {
    for (const page of pages) {
      const started = performance.now();
      await cleanPage(page, options);
      pass.push(performance.now() - started);
    }
  }
  process.stdout.write(`${JSON.stringify(timing)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv[2]!, Number(process.argv[3]), process.argv[4]);
