import { describe, expect, it } from 'vitest';
import { FAULT_RATES, statedYears } from '../../src/samples/faults.ts';
import { Rng } from '../../src/samples/rng.ts';

describe('statedYears', () => {
  it('states years of the book’s width that none of its entries hold, off by its span or a decade', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      for (const years of [[2010], [1960, 1961], [1975, 1976, 1977]]) {
        const stated = statedYears(new Rng(i).fork('stated years'), years, 1)!;
        expect(stated).toHaveLength(years.length);
        expect(stated.some((y) => years.includes(y))).toBe(false);
        expect(stated.every((y, k) => k === 0 || y === stated[k - 1]! + 1)).toBe(true);
        seen.add(stated[0]! - years[0]!);
      }
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-10, -3, -2, -1, 1, 2, 3, 10]);
  });

  it('leaves a book’s years alone at rate 0, and the clean profile has none', () => {
    for (let i = 0; i < 50; i++) expect(statedYears(new Rng(i), [2010], 0)).toBeNull();
    expect(FAULT_RATES.clean.wrongYears).toBe(0);
    expect(FAULT_RATES.typical.wrongYears).toBeGreaterThan(0);
  });
});
