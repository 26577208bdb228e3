import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { benchLookup, drawTargetIds } from '../../src/bench/lookup.ts';
import { Rng } from '../../src/samples/rng.ts';

describe('lookup bench', () => {
  const database = `civreg_bench_lookup_test_${process.pid}`;

  it('loads the API at a fixed rate from a separate process, before and after the prewarm, and finds no wrong person', async () => {
    const report = await benchLookup(inject('serverUrl'), { records: 3000, rps: 40, seconds: 2, database }, () => {});
    expect(report).toMatchObject({ records: 3000, rps: 40, errors: 0, reusedRecords: false });
    expect(report.requests).toBe(80);
    expect(report.p99ms).toBeGreaterThan(0);
    expect(report.p99ms).toBeGreaterThanOrEqual(report.p95ms);
    expect(report.p95ms).toBeGreaterThanOrEqual(report.p50ms);
    expect(report.byKind.person.requests + report.byKind.idNumber.requests + report.byKind.entry.requests).toBe(80);
    expect(report.people.queries).toBe(report.byKind.person.requests);
    expect(report.people.found).toBeGreaterThan(0);
    expect(report.people.wrongPerson).toBe(0);
    expect(report.cpuMsPerRequest.loadGenerator).toBeGreaterThan(0);
    // The API's backends were watched all along; 80 quick requests may slip between the looks, so what the
    // busy ones waited on adds up to all of it only when some were caught.
    const waits = report.postgresWaits;
    expect(waits.polls).toBeGreaterThan(10);
    const shareSum = Object.values(waits.share).reduce((a, b) => a + b, 0);
    expect(waits.samples === 0 ? [shareSum, waits.slowest] : [Math.round(shareSum * 100) / 100, typeof waits.slowest?.ms]).toEqual(waits.samples === 0 ? [0, null] : [1, 'number']);
    expect(report.serverLoopDelayMs.max).toBeGreaterThanOrEqual(report.serverLoopDelayMs.p99);
    // The people asked for were drawn at random (the seed is stated), measured once with the cache as found, then after the prewarm.
    expect(report.querySeed).toBeGreaterThan(0);
    expect(report.asFound).toMatchObject({ errors: 0 });
    expect(report.asFound!.p99ms).toBeGreaterThan(0);
    expect(report.cache.prewarmed).toBe(true);
    expect(report.cache.prewarm?.relations).toEqual(expect.arrayContaining(['entry_field_id_number', 'entry_field_entry_id_field_key', 'entry_field']));
  });

  it('reuses a complete load of the same size and seed, and repeats a query sample when given its seed', async () => {
    const report = await benchLookup(inject('serverUrl'), { records: 3000, rps: 20, seconds: 1, database, keepDatabase: false, querySeed: 5, prewarm: false }, () => {});
    expect(report).toMatchObject({ reusedRecords: true, seedSeconds: 0, errors: 0, requests: 20, querySeed: 5, asFound: null, cache: { prewarmed: false, prewarm: null } });
  });
});

describe('drawTargetIds', () => {
  it('draws distinct records, none shared between the warm-up and the phases, a new sample for a new seed', () => {
    const sets = drawTargetIds(1000, [10, 200, 10, 200], new Rng(1));
    const all = sets.flat();
    expect(sets.map((s) => s.length)).toEqual([10, 200, 10, 200]);
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((id) => id >= 1 && id <= 1000)).toBe(true);
    expect(drawTargetIds(1000, [10, 200, 10, 200], new Rng(1))).toEqual(sets);
    const other = new Set(drawTargetIds(1000, [200], new Rng(2))[0]);
    expect(sets[1]!.filter((id) => other.has(id)).length).toBeLessThan(100);
    expect(() => drawTargetIds(10, [6, 5], new Rng(1))).toThrow();
  });
});
