import { describe, expect, it } from 'vitest';
import { matchScores, matchScoresByEra } from '../../src/eval/metrics/match.ts';

const truth: Array<[string, string]> = [['scan:b1/1962/1', 'existing:E1'], ['scan:b1/1962/1', 'scan:b2/1980/4'], ['scan:b1/1962/2', 'existing:E2']];

describe('matchScores', () => {
  it('scores auto-links, counts true review pairs as decided right, and recall over all true pairs', () => {
    const scores = matchScores(truth, [
      { a: 'scan:b1/1962/1', b: 'existing:E1', decision: 'link' },
      { a: 'scan:b1/1962/1', b: 'scan:b2/1980/4', decision: 'review' },
      { a: 'scan:b1/1962/2', b: 'existing:E9', decision: 'review' },
      { a: 'scan:b1/1962/2', b: 'existing:E7', decision: 'new' },
    ]);
    // truth closure: {1,E1,b2/4} = 3 pairs + {2,E2} = 1 pair
    expect(scores.truePairs).toBe(4);
    expect(scores).toMatchObject({ autoLinkPrecision: 1, autoLinkRecall: 0.25, precision: 1, recall: 0.75, reviewShare: 0.5, pairsCompared: 4, autoLinks: 1, reviews: 2 });
  });

  it('charges a wrong link every pair it creates', () => {
    const scores = matchScores(truth, [
      { a: 'scan:b1/1962/1', b: 'existing:E1', decision: 'link' },
      { a: 'scan:b1/1962/2', b: 'existing:E1', decision: 'link' },
    ]);
    expect(scores.autoLinkPrecision).toBeCloseTo(1 / 3);
    expect(scores.wrongAutoLinks).toEqual([['scan:b1/1962/2', 'existing:E1']]);
    expect(matchScores(truth, []).precision).toBeNull();
  });

  it('splits by era on the real clusters, so a link across eras is judged whole', () => {
    const eraOf = (ref: string) => (ref.startsWith('scan:b1') ? '1961-1998' : ref.startsWith('scan:b2') ? '1999-2005' : null);
    const byEra = matchScoresByEra(truth, [
      { a: 'scan:b1/1962/1', b: 'existing:E1', decision: 'link' },
      { a: 'scan:b2/1980/4', b: 'existing:E1', decision: 'link' },
    ], eraOf);
    expect(Object.keys(byEra)).toEqual(['1961-1998', '1999-2005']);
    expect(byEra['1999-2005']).toMatchObject({ precision: 1, recall: 1, truePairs: 2 });
    expect(byEra['1961-1998']).toMatchObject({ precision: 1, truePairs: 3 });
    expect(byEra['1961-1998']!.recall).toBeCloseTo(2 / 3);
  });
});
