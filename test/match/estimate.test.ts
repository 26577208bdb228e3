import { describe, expect, it } from 'vitest';
import { estimateU, estimateWeights, muTable } from '../../src/match/estimate.ts';
import { createModel, DEFAULT_MODEL } from '../../src/match/model.ts';
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

describe('estimateWeights with u from random pairs (Splink style)', () => {
  /** Known m/u over three levels; random pairs are drawn from u only, candidate pairs from the mixture. */
  const M = { exact: 0.8, variant: 0.15, different: 0.05 };
  const U = { exact: 0.01, variant: 0.09, different: 0.9 };
  const M2 = { exact: 0.9, different: 0.1 };
  const U2 = { exact: 0.002, different: 0.998 };
  const draw = (r: Rng, p: Record<string, number>) => {
    let x = r.next();
    for (const [level, share] of Object.entries(p)) if ((x -= share) < 0) return level;
    return Object.keys(p).at(-1)!;
  };
  const pair = (r: Rng, match: boolean) => [
    { comparison: 'fullName', kind: 'name' as const, level: draw(r, match ? M : U) },
    { comparison: 'birthDate', kind: 'date' as const, level: draw(r, match ? M2 : U2) },
    { comparison: 'motherName', kind: 'name' as const, level: draw(r, match ? M2 : U2) },
  ];

  it('recovers known m with u held at the random-pair estimate', () => {
    const r = new Rng(17);
    const random = Array.from({ length: 20_000 }, () => pair(r, false));
    const candidates = Array.from({ length: 6000 }, () => pair(r, r.chance(0.25)));
    const u = estimateU(random);
    expect(u.fullName!.variant).toBeCloseTo(0.09, 2);
    const estimate = estimateWeights(candidates, DEFAULT_MODEL, { u, randomPairs: random.length });
    expect(estimate.uFixed).toBe(true);
    expect(estimate.lambda).toBeCloseTo(0.25, 1);
    for (const [level, m] of Object.entries(M)) expect(Math.abs(estimate.levels.fullName![level]!.m - m), level).toBeLessThan(0.03);
    expect(Math.abs(estimate.levels.birthDate!.exact!.m - 0.9)).toBeLessThan(0.03);
    expect(estimate.levels.fullName!.exact!.u).toBeCloseTo(0.01, 2);
    // weights as log2(m/u), and the table a model is built from
    expect(estimate.levels.fullName!.exact!.weight).toBeCloseTo(Math.log2(0.8 / 0.01), 0);
    const model = createModel('em-test', muTable(estimate));
    expect(model.weight('fullName', 'name', 'exact')).toBeCloseTo(Math.log2(0.8 / 0.01), 0);
    // a level the data never showed keeps the hand-set weight
    expect(model.weight('fullName', 'name', 'typo_given')).toBe(DEFAULT_MODEL.weight('fullName', 'name', 'typo_given'));
  });
});
