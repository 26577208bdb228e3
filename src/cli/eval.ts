import { writeFile } from 'node:fs/promises';
import type { Config } from '../../schemas/config.ts';
import { connectServer } from '../db/server.ts';
import { CorpusError, loadCorpus } from '../eval/corpus.ts';
import { measureOcr } from '../eval/ocr-quality.ts';
import { formatMatch, loadExisting, measureAfterReview, measureMatchOnTruth, measurePipelineMatch } from '../eval/match.ts';
import { measureLookup } from '../eval/lookup.ts';
import { buildReport, formatReport } from '../eval/report.ts';
import { collectExtraction, extractionAfterReview, runCorpus } from '../eval/run.ts';
import { settleBookYearsToTruth } from '../eval/book-years.ts';
import { keyEntriesOnRaisedPages } from '../eval/keying.ts';
import { createLogger } from '../log.ts';
import { startScratchPipeline } from '../pipeline/scratch.ts';
import { CliError, type Flags } from './errors.ts';
import { createProgress } from './progress.ts';

/**
 * `civreg eval --corpus DIR [--json] [--no-raw] [--match-only] [--entries-out FILE]`: the real pipeline on a labelled corpus, in a
 * database of its own (dropped afterwards), compared with the truth. `--match-only` runs only the matcher on
 * the truth entries (the report's `match.onTruth`).
 */
export async function runEval(config: Config, flags: Flags): Promise<number> {
  if (typeof flags.corpus !== 'string') throw new CliError('bad_arguments', '--corpus DIR is required (make one with `civreg samples`).');
  const corpus = await loadCorpus(flags.corpus).catch((error: unknown) => {
    throw error instanceof CorpusError ? new CliError('bad_corpus', error.message) : error;
  });
  const log = createLogger(config.CIVREG_LOG_LEVEL === 'info' ? 'warn' : config.CIVREG_LOG_LEVEL);
  const server = await connectServer(config, log);
  if (flags['match-only']) {
    // The matcher alone, on the truth entries (no scans read): seconds instead of the pipeline's minutes.
    try {
      const progress = createProgress('Evaluating: matching on truth entries');
      const onTruth = await measureMatchOnTruth(server.url, corpus, undefined, (done, total) => progress.update(done, total, 'entries'));
      progress.finish();
      const match = { truePairs: onTruth.truePairs, pairsCompared: null, precision: null, recall: null, onTruth };
      console.log(flags.json ? JSON.stringify({ match }, null, 2) : formatMatch(match).join('\n'));
      return 0;
    } finally {
      await server.stop();
    }
  }
  try {
    const pipeline = await startScratchPipeline(server.url, config, log, { workers: true, prefix: 'civreg_eval' });
    try {
      await loadExisting(pipeline.services.db, corpus);
      const run = await runCorpus(pipeline, corpus, createProgress('Evaluating: pipeline'));
      // the machine's entries beside the truth, to see which values were misread and how (synthetic data only)
      if (typeof flags['entries-out'] === 'string') await writeFile(flags['entries-out'], JSON.stringify(run.entries));
      const ocr = pipeline.services.ocr!;
      const readRaw = flags['no-raw'] ? null : async (sha256: string) => ocr.recognize(await pipeline.services.blobs.get(sha256));
      const progress = createProgress(readRaw ? 'Evaluating: OCR quality (and raw images)' : 'Evaluating: OCR quality');
      const images = new Set(corpus.books.flatMap(({ truth }) => truth.pages.map((page) => `${page.file}#${page.filePage}`))).size;
      let done = 0;
      const quality = await measureOcr(corpus, run, readRaw, () => progress.update(++done, images));
      progress.finish();
      const onTruth = await measureMatchOnTruth(server.url, corpus);
      const pipelineMatch = await measurePipelineMatch(pipeline.services.db, corpus, run);
      // Last, these: the entries the product raised for keying are keyed (src/eval/keying.ts) and the review
      // fields settled to the truth (src/eval/settle.ts); matching after review also matches the settled
      // entries again, and the book checks run again, as the keying and review screens do.
      // A book's years in doubt are settled first (src/eval/book-years.ts): the steps after pair entries by their year.
      const bookYears = await settleBookYearsToTruth(pipeline.services.db, corpus, run);
      const settledRun = bookYears.resolved + bookYears.dismissed > 0 ? { ...run, ...(await collectExtraction(pipeline.services.db, corpus, run.pages)) } : run;
      const keying = await keyEntriesOnRaisedPages(pipeline.services.db, corpus, settledRun);
      const match = { ...pipelineMatch, onTruth, afterReview: await measureAfterReview(pipeline.services.db, corpus, settledRun) };
      const lookup = await measureLookup(pipeline.services.db, corpus, settledRun);
      const reviewed = await extractionAfterReview(pipeline.services.db, corpus, settledRun);
      const report = buildReport(corpus, run, quality, match, lookup, { ...reviewed, keying, bookYears });
      console.log(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
      return 0;
    } finally {
      await pipeline.close();
    }
  } finally {
    await server.stop();
  }
}
