import type { Config } from '../../schemas/config.ts';
import { listMatchModels } from '../db/match-models.ts';
import { createLogger } from '../log.ts';
import { NotEnoughPairsError, trainMatchModel } from '../match/train.ts';
import { openServices } from '../services.ts';
import { CliError, type Flags } from './errors.ts';

/**
 * `civreg match train|models [--json]`: `train` estimates m/u from the database (EM over the candidate
 * pairs matching scored, u from random record pairs) and makes them the active model version; `models`
 * lists the stored versions. Matching already done keeps its version until `civreg rerun --stage match`.
 */
export async function runMatch(config: Config, args: string[], flags: Flags): Promise<number> {
  const [action] = args;
  if (action !== 'train' && action !== 'models') throw new CliError('bad_arguments', 'civreg match train|models [--json]');
  const services = await openServices(config, createLogger('warn'), { ocr: false });
  try {
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
