import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { benchLookup } from '../../src/bench/lookup.ts';

describe('lookup bench', () => {
  const database = `civreg_bench_lookup_test_${process.pid}`;

  it('loads the API at a fixed rate from a separate process and finds no wrong person', async () => {
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
    // The API's backends were seen at work, and what they waited on adds up to all of it.
    expect(report.postgresWaits.samples).toBeGreaterThan(0);
    expect(Object.values(report.postgresWaits.share).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    expect(report.postgresWaits.slowest?.ms).toBeGreaterThanOrEqual(0);
    expect(report.serverLoopDelayMs.max).toBeGreaterThanOrEqual(report.serverLoopDelayMs.p99);
  });

  it('reuses a complete load of the same size and seed instead of loading it again', async () => {
    const report = await benchLookup(inject('serverUrl'), { records: 3000, rps: 20, seconds: 1, database, keepDatabase: false }, () => {});
    expect(report).toMatchObject({ reusedRecords: true, seedSeconds: 0, errors: 0, requests: 20 });
  });
});
