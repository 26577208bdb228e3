/**
 * Cleanup speed of this checkout against another one (e.g. `git worktree add /tmp/old <commit>`), side by
 * side in one process on the bench pages: the two alternate pass by pass so that both meet the same load; the
 * first pass of each is left out (code compilation). Prints wall and CPU ms per page for each later pass. Not a test.
 *
 *   npx node test/imaging/compare-clean-speed.ts OTHER_CHECKOUT [passes] [corpus]
 */
import { join } from 'node:path';
import { loadBenchPages } from '../../src/bench/pages.ts';
import { cleanPage } from '../../src/imaging/clean.ts';

const [other, passArg, corpus] = process.argv.slice(2);
if (!other) throw new Error('usage: compare-clean-speed.ts OTHER_CHECKOUT [passes] [corpus]');
const { cleanPage: otherCleanPage } = (await import(join(other, 'src/imaging/clean.ts'))) as { cleanPage: typeof cleanPage };
const { pages } = await loadBenchPages(corpus ?? 'samples');
const cpu = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
const results = { other: { wall: [] as number[], cpu: [] as number[] }, this: { wall: [] as number[], cpu: [] as number[] } };
const passes = Number(passArg ?? 6);
for (let pass = 0; pass < passes; pass++) {
  for (const [name, clean] of [['other', otherCleanPage], ['this', cleanPage]] as const) {
    const cpuStart = cpu();
    const started = performance.now();
    for (const page of pages) await clean(page);
    if (pass === 0) continue;
    results[name].wall.push((performance.now() - started) / pages.length);
    results[name].cpu.push((cpu() - cpuStart) / pages.length);
  }
}
for (const [name, r] of Object.entries(results)) console.log(`${name.padEnd(6)} wall ${r.wall.map((v) => v.toFixed(0)).join(' ')}   cpu ${r.cpu.map((v) => v.toFixed(0)).join(' ')}  (ms/page)`);
