import { describe, expect, inject, it } from 'vitest';
import { benchMatch, syntheticExisting } from '../../src/bench/match.ts';

describe('benchMatch', () => {
  it('imports synthetic records, matches incoming entries at two sizes and reports the figures', async () => {
    const lines: string[] = [];
    const report = await benchMatch(inject('serverUrl'), { existing: 400, incoming: 40, workers: 2 }, (line) => lines.push(line));
    expect(report).toMatchObject({ existing: 400, incoming: 40, import: { rows: 400 } });
    expect(report.growth.map((g) => g.existing)).toEqual([40, 400]);
    // half the incoming entries repeat an existing record: most of those are linked
    expect(report.links).toBeGreaterThan(10);
    expect(report.peakRssMb).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('entries against 400 existing records'))).toBe(true);
  });

  it('draws the same records for a seed', () => {
    const a = [...syntheticExisting(5, 3)];
    expect([...syntheticExisting(5, 3)]).toEqual(a);
    expect(a[0]!.fields.fullName).toMatch(/^\S+ .+ \S+$/u);
  });
});
