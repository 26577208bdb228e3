import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { benchLookup } from '../../src/bench/lookup.ts';

describe('lookup bench', () => {
  it('loads the API at a fixed rate and finds no wrong person', async () => {
    const report = await benchLookup(inject('serverUrl'), { records: 3000, rps: 40, seconds: 2, database: `civreg_bench_lookup_test_${process.pid}`, keepDatabase: false }, () => {});
    expect(report).toMatchObject({ records: 3000, rps: 40, errors: 0 });
    expect(report.requests).toBe(80);
    expect(report.p99ms).toBeGreaterThan(0);
    expect(report.p99ms).toBeGreaterThanOrEqual(report.p50ms);
    expect(report.byKind.person.requests + report.byKind.idNumber.requests + report.byKind.entry.requests).toBe(80);
    expect(report.people.queries).toBe(report.byKind.person.requests);
    expect(report.people.found).toBeGreaterThan(0);
    expect(report.people.wrongPerson).toBe(0);
  });
});
