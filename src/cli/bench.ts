import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../schemas/config.ts';
import { runBench } from '../bench/run.ts';
import { connectServer } from '../db/server.ts';
import { createLogger } from '../log.ts';
import type { Flags } from './errors.ts';

const SAMPLES_DIR = fileURLToPath(new URL('../../samples/', import.meta.url));
/** The corpus `civreg bench` generates when none is named: big enough for stable means, seeded. */
const DEFAULT_BENCH_CORPUS = { books: 6, seed: 2026, profile: 'typical' as const, pagesPerBook: [4, 4] as [number, number] };

/**
 * `civreg bench [--quick] [--corpus DIR] [--json]`: the speed report. `--quick` measures the
 * bundled samples (a few minutes at most); otherwise a generated corpus, or the one named.
 */
export async function runBenchCommand(config: Config, flags: Flags): Promise<number> {
  const log = createLogger(config.CIVREG_LOG_LEVEL === 'info' ? 'warn' : config.CIVREG_LOG_LEVEL);
  const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
  let corpusDir = typeof flags.corpus === 'string' ? flags.corpus : flags.quick ? SAMPLES_DIR : null;
  let generated: string | null = null;
  if (!corpusDir) {
    generated = await mkdtemp(join(tmpdir(), 'civreg-bench-corpus-'));
    say(`generating a corpus (${JSON.stringify(DEFAULT_BENCH_CORPUS)})`);
    // Loaded only here: --quick and --corpus need neither the generator nor its fonts.
    const { generateCorpus } = await import('../samples/generate.ts');
    await generateCorpus({ out: generated, ...DEFAULT_BENCH_CORPUS });
    corpusDir = generated;
  }
  const server = await connectServer(config, log);
  try {
    const report = await runBench(server.url, config, log, corpusDir, say);
    console.log(flags.json ? JSON.stringify(report, null, 2) : formatBench(report));
    return 0;
  } finally {
    await server.stop();
    if (generated) await rm(generated, { recursive: true, force: true });
  }
}

function formatBench(report: Awaited<ReturnType<typeof runBench>>): string {
  const { machine, ocr, clean, pipeline, memory } = report;
  return [
    `Machine: ${machine.cpus} cores, Node ${machine.node}, native: ${machine.nativeTesseract ?? 'not installed'}`,
    `OCR:      ${ocr.msPerPage} ms/page tesseract.js (${ocr.model}), native ${ocr.nativeMsPerPage ?? 'n/a'} ms/page, ratio ${ocr.ratioToNative ?? 'n/a'} (${ocr.pages} pages)`,
    `Clean:    ${clean.msPerPage} ms/page, ${(clean.shareOfOcr * 100).toFixed(1)}% of OCR time`,
    `Pipeline: ${pipeline.msPerPage} ms/page end to end with 1 OCR worker (overhead ratio ${pipeline.overheadRatio}); ` +
      `${pipeline.pagesPerMinute} pages/minute with ${pipeline.workers} workers (scaling ${pipeline.scaling})`,
    `Memory:   ${memory.perOcrWorkerMb} MB per OCR worker`,
    'Match, lookup: not built yet',
  ].join('\n');
}
