import { describe, expect, it } from 'vitest';
import { calibrateThresholds } from '../../src/match/calibrate.ts';
import { createModel, EM_THRESHOLDS, THRESHOLDS } from '../../src/match/model.ts';

describe('calibrateThresholds', () => {
  it('puts the link threshold above every pair of two events the guards let through, and review below every pair of one event', () => {
    const c = calibrateThresholds([
      { score: 30, guard: null, same: true },
      { score: 12.5, guard: null, same: true },
      { score: 10.4, guard: null, same: false }, // a namesake with nothing against it: the link threshold must pass it
      { score: 25, guard: 'given_name_differs', same: false }, // twins: the guard stops it, the threshold need not
      { score: 1.5, guard: 'no_corroboration', same: true },
      { score: -9, guard: null, same: false },
    ]);
    expect(c).toMatchObject({ link: 12, review: 0, highestWrongLinkable: 10.4, highestWrong: 25, lowestSame: 1.5, pairs: 6, autoLinks: 2, wrongAutoLinks: 0, recall: 1 });
    // to a person: 10.4 (between the thresholds), 25 (guard), 1.5 (between); 30 and 12.5 link, −9 is new
    expect(c.reviewShare).toBeCloseTo(3 / 6);
    expect(c.autoLinkPrecisionLow).toBeGreaterThan(0.3);
    expect(c.autoLinkPrecisionLow).toBeLessThan(1);
  });

  it('never sets the link threshold below the model probability 0.995 (8 bits), nor review above link', () => {
    const c = calibrateThresholds([{ score: 40, guard: null, same: true }, { score: -20, guard: null, same: false }]);
    expect(c).toMatchObject({ link: 8, review: 8, highestWrongLinkable: -20, autoLinks: 1 });
    expect(calibrateThresholds([])).toMatchObject({ link: 8, review: 8, autoLinkPrecisionLow: null, recall: null, reviewShare: null });
  });

  it('gives estimated models the calibrated thresholds and the hand-set model its own', () => {
    expect(createModel().thresholds).toEqual(THRESHOLDS);
    expect(createModel('em-x', { fullName: { exact: [0.9, 0.001] } }).thresholds).toEqual(EM_THRESHOLDS);
  });
});
