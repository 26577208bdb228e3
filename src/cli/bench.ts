import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../schemas/config.ts';
import { availableParallelism } from 'node:os';
import { benchMatch, type MatchBench } from '../bench/match.ts';
import { benchLookup, type LookupBench } from '../bench/lookup.ts';
import { benchReviewQueue, type ReviewQueueBench } from '../bench/review-queue.ts';
import { runBench } from '../bench/run.ts';
import { connectServer } from '../db/server.ts';
import { createLogger } from '../log.ts';
import { CliError, type Flags } from './errors.ts';

const SAMPLES_DIR = fileURLToPath(new URL('../../samples/', import.meta.url));
/** The corpus `civreg bench` generates when none is named: big enough for stable means, seeded. */
const DEFAULT_BENCH_CORPUS = { books: 6, seed: 2026, profile: 'typical' as const, pagesPerBook: [4, 4] as [number, number] };

/** Matching is measured at city scale: 10^4 incoming entries against 10^6 existing records (10^5 first). */
const MATCH_SIZE = { existing: 1_000_000, incoming: 10_000 };
const QUICK_MATCH_SIZE = { existing: 20_000, incoming: 1_000 };
/** The lookup API is measured on 10^6 verified records at 200 requests/s for 20 s (quick: 2·10^4 for 10 s). */
const LOOKUP_SIZE = { records: 1_000_000, rps: 200, seconds: 20 };
const QUICK_LOOKUP_SIZE = { records: 20_000, rps: 200, seconds: 10 };
/** The review queues at a district's size: 10^5 entries, 3.3·10^5 open field items, 10^6 audit events (quick: 10^4). */
const REVIEW_SIZE = { entries: 100_000, claims: 20 };
const QUICK_REVIEW_SIZE = { entries: 10_000, claims: 10 };

/**
 * `civreg bench [--quick] [--corpus DIR] [--only match|lookup|review] [--existing N] [--incoming N] [--json]`: the
 * speed report. `--quick` measures the bundled samples and a small matching run (a few minutes at most); otherwise
 * a generated corpus, or the one named. `--only` measures matching, the lookup API or the review queues alone.
 */
export async function runBenchCommand(config: Config, flags: Flags): Promise<number> {
  const log = createLogger(config.CIVREG_LOG_LEVEL === 'info' ? 'warn' : config.CIVREG_LOG_LEVEL);
  const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const count = (flag: string, fallback: number) => {
    const value = flags[flag] === undefined ? fallback : Number(flags[flag]);
    if (!Number.isInteger(value) || value < 10) throw new CliError('bad_arguments', `--${flag} must be a whole number of at least 10.`);
    return value;
  };
  const defaults = flags.quick ? QUICK_MATCH_SIZE : MATCH_SIZE;
  const matchSize = { existing: count('existing', defaults.existing), incoming: count('incoming', defaults.incoming) };
  if (flags.only !== undefined && !['match', 'lookup', 'review'].includes(String(flags.only))) throw new CliError('bad_arguments', '--only takes "match", "lookup" or "review".');
  const reviewSize = flags.quick ? QUICK_REVIEW_SIZE : REVIEW_SIZE;
  // The people the lookup load asks for are drawn afresh each run; --seed repeats one run's sample.
  const querySeed = flags.seed === undefined ? undefined : Number(flags.seed);
  if (querySeed !== undefined && (!Number.isInteger(querySeed) || querySeed < 1)) throw new CliError('bad_arguments', '--seed must be a whole number of at least 1.');
  const lookupSize = { ...(flags.quick ? QUICK_LOOKUP_SIZE : LOOKUP_SIZE), records: count('records', (flags.quick ? QUICK_LOOKUP_SIZE : LOOKUP_SIZE).records), ...(querySeed ? { querySeed } : {}) };
  /** One section measured alone (`--only`), reported as the full report would hold it. */
  const measureOnly = async <T>(section: string, measure: (serverUrl: string) => Promise<T>, format: (result: T) => string): Promise<number> => {
    const server = await connectServer(config, log);
    try {
      const result = await measure(server.url);
      const report = { machine: { cpus: availableParallelism(), node: process.version }, [section]: result };
      console.log(flags.json ? JSON.stringify(report, null, 2) : format(result));
      return 0;
    } finally {
      await server.stop();
    }
  };
  if (flags.only === 'lookup') return measureOnly('lookup', (url) => benchLookup(url, lookupSize, say), formatLookupBench);
  if (flags.only === 'review') return measureOnly('review', (url) => benchReviewQueue(url, reviewSize, say), formatReviewBench);
  if (flags.only === 'match') return measureOnly('match', (url) => benchMatch(url, { ...matchSize, workers: availableParallelism() }, say), formatMatchBench);
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
    const report = await runBench(server.url, config, log, corpusDir, say, matchSize, lookupSize, reviewSize);
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
    `OCR:      ${ocr.msPerPage} ms/page tesseract.js (${ocr.model}; OCR stage with the digit glyph check ${ocr.stageMsPerPage}), native ${ocr.nativeMsPerPage ?? 'n/a'} ms/page, ratio ${ocr.ratioToNative ?? 'n/a'} (${ocr.pages} pages)`,
    `Clean:    ${clean.msPerPage} ms/page (first pass of a fresh process ${clean.coldMsPerPage}), ${(clean.shareOfOcr * 100).toFixed(1)}% of OCR time (${(clean.shareOfOcrStage * 100).toFixed(1)}% of the OCR stage)`,
    `Pipeline: ${pipeline.msPerPage} ms/page end to end with 1 OCR worker (overhead ratio ${pipeline.overheadRatio}); ` +
      `${pipeline.pagesPerMinute} pages/minute with ${pipeline.workers} workers (scaling ${pipeline.scaling})`,
    `Memory:   ${memory.perOcrWorkerMb} MB per OCR worker`,
    formatMatchBench(report.match),
    formatLookupBench(report.lookup),
    formatReviewBench(report.review),
  ].join('\n');
}

function formatMatchBench(m: MatchBench): string {
  return [
    `Match:    ${m.incoming} entries against ${m.existing} existing records in ${m.seconds} s (${m.nodeCpuSeconds} s CPU in node, load ${m.loadAverage}, peak RSS ${m.peakRssMb} MB); ` +
      m.growth.map((g) => `${g.existing} records: ${g.seconds} s`).join(', '),
    `Import:   ${m.import.rows} records in ${m.import.seconds} s (${m.import.rowsPerSecond} rows/s)`,
  ].join('\n');
}

function formatLookupBench(l: LookupBench): string {
  return (
    `Lookup:   ${l.records} verified records, ${l.requests} requests at ${l.rps}/s (achieved ${l.achievedRps}/s, query seed ${l.querySeed}, ` +
    `${l.cache.prewarmed ? `lookup data prewarmed: ${l.cache.prewarm?.megabytes} MB` : 'cache as found'}): p50 ${l.p50ms} ms, p99 ${l.p99ms} ms, ` +
    (l.asFound ? `(before the prewarm, other people: p50 ${l.asFound.p50ms} ms, p99 ${l.asFound.p99ms} ms), ` : '') +
    `${l.errors} errors, load average ${l.loadAverage.join('→')}; ` +
    `PostgreSQL busy: ${Object.entries(l.postgresWaits.share).slice(0, 3).map(([wait, share]) => `${wait} ${Math.round(share * 100)}%`).join(', ')}; name+date+place: ${l.people.found}/${l.people.queries} found, ${l.people.ambiguous} ambiguous, ${l.people.wrongPerson} wrong person`
  );
}

function formatReviewBench(r: ReviewQueueBench): string {
  const claim = (l: { p50ms: number; p95ms: number }) => `p50 ${l.p50ms} ms, p95 ${l.p95ms} ms`;
  return (
    `Review:   ${r.entries} entries, ${r.openFieldItems} open field items, ${r.openMatchPairs} open pairs, ${r.auditEvents} audit events; ` +
    `next entry ${claim(r.field)}, next pair ${claim(r.match)}, nothing open ${r.nothingOpen.fieldMs} / ${r.nothingOpen.matchMs} ms (${r.claims} claims each; ` +
    `without the queue indexes: next entry ${claim(r.withoutQueueIndexes.field)}, next pair ${claim(r.withoutQueueIndexes.match)}, ` +
    `nothing open ${r.withoutQueueIndexes.nothingOpen.fieldMs} / ${r.withoutQueueIndexes.nothingOpen.matchMs} ms)`
  );
}
