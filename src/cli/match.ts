import type { Config } from '../../schemas/config.ts';
import { listMatchModels, setMatchThresholds } from '../db/match-models.ts';
import { createLogger } from '../log.ts';
import { NotEnoughPairsError, trainMatchModel } from '../match/train.ts';
import { openServices } from '../services.ts';
import { CliError, type Flags } from './errors.ts';

const USAGE = 'civreg match train|models [--json] | civreg match thresholds --link BITS --review BITS [--version V]';

/**
 * `civreg match train|models|thresholds`: `train` estimates m/u from the database (EM over the candidate
 * pairs matching scored, u from random record pairs) and makes them the active model version; `models`
 * lists the stored versions; `thresholds` sets the link and review thresholds (log2 odds) of the active
 * version, or of `--version`, as calibrated for it (`civreg eval --match-only` prints them). Matching
 * already done keeps its decisions until `civreg rerun --stage match`.
 */
export async function runMatch(config: Config, args: string[], flags: Flags): Promise<number> {
  const [action] = args;
  if (action !== 'train' && action !== 'models' && action !== 'thresholds') throw new CliError('bad_arguments', USAGE);
  const thresholds = action === 'thresholds' ? parseThresholds(flags) : null;
  const services = await openServices(config, createLogger('warn'), { ocr: false });
  try {
    if (thresholds) {
      const version = await setMatchThresholds(services.db, thresholds, 'civreg match thresholds', typeof flags.version === 'string' ? flags.version : undefined).catch((error: unknown) => {
        if (error instanceof RangeError) throw new CliError('not_found', error.message);
        throw error;
      });
      console.log(`Model ${version}: link at ${thresholds.link} bits, review from ${thresholds.review} bits. Run \`civreg rerun --stage match\` to decide earlier pairs again.`);
      return 0;
    }
    if (action === 'models') {
      const models = await listMatchModels(services.db);
      if (flags.json) console.log(JSON.stringify(models.map(({ mu: _mu, ...m }) => m), null, 2));
      else if (!models.length) console.log('No trained model yet: matching uses the hand-set weights (fs-1).');
      else for (const m of models) console.log(`${m.version}  ${m.createdAt.toISOString()}  ${m.active ? 'active' : ''}  ${JSON.stringify(m.trained)}`);
      return 0;
    }
    const { report } = await trainMatchModel(services.db).catch((error: unknown) => {
      if (error instanceof NotEnoughPairsError) throw new CliError(error.code, error.message);
      throw error;
    });
    if (flags.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`Model ${report.version} is active: m by EM over ${report.candidatePairs} candidate pairs (λ ${report.estimate.lambda}, ` +
        `${report.estimate.iterations} rounds), u from ${report.randomPairs} random pairs, in ${(report.ms / 1000).toFixed(1)} s.`);
      for (const [comparison, levels] of Object.entries(report.estimate.levels)) {
        console.log(`  ${comparison.padEnd(18)}${Object.entries(levels).map(([level, e]) => `${level} ${e.weight > 0 ? '+' : ''}${e.weight.toFixed(1)}`).join('  ')}`);
      }
    }
    return 0;
  } finally {
    await services.close();
  }
}

/** --link and --review as log2 odds, the link threshold above the review one. */
function parseThresholds(flags: Flags): { link: number; review: number } {
  const link = Number(flags.link);
  const review = Number(flags.review);
  if (typeof flags.link !== 'string' || typeof flags.review !== 'string' || !Number.isFinite(link) || !Number.isFinite(review) || Math.abs(link) > 100 || Math.abs(review) > 100) {
    throw new CliError('bad_arguments', `--link and --review take numbers of bits (log2 odds) between -100 and 100; ${USAGE}`);
  }
  if (link <= review) throw new CliError('bad_arguments', `--link (${link}) must be above --review (${review}): between them pairs go to a person`);
  return { link, review };
}
