import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each of the slowest test files took in a CI run on two cores (BENCHMARKS.md, "Test suite time on two
 * cores"), rounded. Only the order matters: a guess that is off by some seconds changes nothing.
 */
const SLOW_FILES: Record<string, number> = {
  'test/extract/pipeline.test.ts': 88,
  'test/pipeline/workers.test.ts': 51,
  'test/cli.test.ts': 42,
  'test/browser/workbench-books.test.ts': 44,
  'test/browser/workbench-review.test.ts': 30,
  'test/samples/corpus-hard.test.ts': 38,
  'test/start.test.ts': 33,
  'test/imaging/stamped-typed.test.ts': 26,
  'test/imaging/rendered-stamps.test.ts': 26,
  'test/http/auth.test.ts': 23,
  'test/extract/changes-pipeline.test.ts': 22,
  'test/extract/typewriter-pipeline.test.ts': 20,
  'test/api/client-cli.test.ts': 19,
  'test/imaging/spread-pipeline.test.ts': 19,
  'test/extract/handwriting-pipeline.test.ts': 15,
  'test/extract/continued-pipeline.test.ts': 14,
  'test/imaging/geometry.test.ts': 13,
  'test/api/export.test.ts': 13,
  'test/eval/eval-command.test.ts': 13,
  'test/api/bench-lookup.test.ts': 12,
  'test/samples/cli-samples.test.ts': 12,
  'test/ocr/pool.test.ts': 12,
  'test/samples/determinism.test.ts': 12,
  'test/pipeline/pipeline.test.ts': 11,
  'test/imaging/spread.test.ts': 11,
  'test/api/extract.test.ts': 11,
  'test/extract/typewriter-real.test.ts': 10,
};

/**
 * Longest files first, so that the two workers finish together instead of one of them starting a
 * 90-second file near the end. Vitest does this by itself from the durations it cached in
 * node_modules/.vite, but CI starts from `npm ci` without that cache and Vitest then orders by file size, which
 * puts the short files that run the whole pipeline (test/extract/pipeline.test.ts, 72 lines) last.
 */
export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    if (sorted.every((spec) => this.ctx.cache.getTestSpecificationResult(spec))) return sorted; // Vitest knows better
    const seconds = (spec: TestSpecification) => SLOW_FILES[relative(spec.project.config.root, spec.moduleId).replaceAll('\\', '/')] ?? 0;
    return sorted.map((spec, i) => ({ spec, i })).sort((a, b) => seconds(b.spec) - seconds(a.spec) || a.i - b.i).map(({ spec }) => spec);
  }
}
