import { describe, expect, it } from 'vitest';
import { lostPairs, matchScores, matchScoresByEra } from '../../src/eval/metrics/match.ts';

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

describe('lostPairs', () => {
  const truth: Array<[string, string]> = [
    ['scan:b1/1962/1', 'existing:E1'], // linked
    ['scan:b1/1962/2', 'existing:E2'], // entry 2 never extracted
    ['scan:b1/1962/3', 'existing:E3'], // never compared, its name untrusted
    ['scan:b1/1962/4', 'existing:E4'], // never compared (blocking miss)
    ['scan:b2/1980/5', 'existing:E5'], // decided new, would reach review with untrusted fields in full
    ['scan:b2/1980/6', 'existing:E6'], // decided new
    ['scan:b2/1980/7', 'existing:E7'], // sent to review: found
  ];
  const pairs = [
    { a: 'scan:b1/1962/1', b: 'existing:E1', decision: 'link' as const },
    { a: 'scan:b2/1980/5', b: 'existing:E5', decision: 'new' as const },
    { a: 'scan:b2/1980/6', b: 'existing:E6', decision: 'new' as const },
    { a: 'scan:b2/1980/7', b: 'existing:E7', decision: 'review' as const },
    { a: 'scan:b1/1962/3', b: 'existing:E4', decision: 'new' as const },
  ];
  const found = new Set(['scan:b1/1962/1', 'scan:b1/1962/3', 'scan:b1/1962/4', 'scan:b2/1980/5', 'scan:b2/1980/6', 'scan:b2/1980/7']);
  const eraOf = (ref: string) => (ref.startsWith('scan:b1') ? '1961-1998' : ref.startsWith('scan:b2') ? '1999-2005' : null);

  it('names the first cause that applies to each missed true pair, overall and per era', () => {
    const loss = lostPairs(truth, pairs, { found, unsure: new Set(['scan:b1/1962/3']), cappedBelowReview: new Set(['existing:E5|scan:b2/1980/5']) }, eraOf);
    expect(loss).toMatchObject({
      truePairs: 7, found: 2, pairsWithEntries: 6,
      lost: { entry_not_found: 1, not_compared_unsure: 1, not_compared: 1, below_review_unsure: 1, below_review: 1, other: 0 },
    });
    expect(loss.recallWithEntries).toBeCloseTo(2 / 6);
    expect(loss.byEra['1961-1998']).toMatchObject({ truePairs: 4, found: 1, lost: { entry_not_found: 1, not_compared_unsure: 1, not_compared: 1, below_review: 0 } });
    expect(loss.byEra['1999-2005']).toMatchObject({ truePairs: 3, found: 1, lost: { below_review_unsure: 1, below_review: 1 } });
  });

  it('counts a pair found through the closure of other links, and nothing lost when all is linked', () => {
    const chain: Array<[string, string]> = [['scan:b1/1962/1', 'existing:E1'], ['scan:b2/1980/4', 'existing:E1']];
    const loss = lostPairs(chain, [
      { a: 'scan:b1/1962/1', b: 'existing:E1', decision: 'link' },
      { a: 'scan:b2/1980/4', b: 'existing:E1', decision: 'review' },
    ], { found: new Set(['scan:b1/1962/1', 'scan:b2/1980/4']), unsure: new Set(), cappedBelowReview: new Set() }, eraOf);
    expect(loss).toMatchObject({ truePairs: 3, found: 3, recallWithEntries: 1 });
    expect(Object.values(loss.lost).every((n) => n === 0)).toBe(true);
  });
});
