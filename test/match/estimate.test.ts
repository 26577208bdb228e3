import { describe, expect, it } from 'vitest';
import { estimateWeights } from '../../src/match/estimate.ts';
import { DEFAULT_MODEL } from '../../src/match/model.ts';
import { Rng } from '../../src/samples/rng.ts';

/** Pairs drawn from known m/u: matches agree on the name 90% of the time, non-matches 5%; dates 95% / 1%. */
function simulate(n: number, share: number) {
  const r = new Rng(9);
  return Array.from({ length: n }, () => {
    const match = r.chance(share);
    return [
      { comparison: 'fullName', kind: 'name' as const, level: r.chance(match ? 0.9 : 0.05) ? 'exact' : 'different' },
      { comparison: 'birthDate', kind: 'date' as const, level: r.chance(match ? 0.95 : 0.01) ? 'exact' : 'different' },
      { comparison: 'motherName', kind: 'name' as const, level: r.chance(match ? 0.85 : 0.02) ? 'exact' : 'different' },
    ];
  });
}

describe('estimateWeights', () => {
  it('recovers m, u and the match share from unlabelled pairs', () => {
    const estimate = estimateWeights(simulate(4000, 0.3), DEFAULT_MODEL);
    expect(estimate.lambda).toBeCloseTo(0.3, 1);
    expect(estimate.levels.fullName!.exact!.m).toBeCloseTo(0.9, 1);
    expect(estimate.levels.fullName!.exact!.u).toBeCloseTo(0.05, 1);
    expect(estimate.levels.birthDate!.exact!.weight).toBeGreaterThan(5);
    expect(estimate.levels.birthDate!.different!.weight).toBeLessThan(-3);
  });
});
