import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { benchReviewQueue } from '../../src/bench/review-queue.ts';

describe('review queue bench', () => {
  it('seeds a district-shaped archive, times both queues with and without their indexes, and leaves nothing behind', async () => {
    const report = await benchReviewQueue(inject('serverUrl'), { entries: 1000, claims: 2 }, () => {});
    // Five fields held per entry, two in three open; one pair per four entries; ten audit events per entry.
    expect(report).toMatchObject({ entries: 1000, openMatchPairs: 250, auditEvents: 10_000, claims: 2 });
    expect(report.openFieldItems).toBeGreaterThan(3000);
    expect(report.openFieldItems).toBeLessThan(3500);
    for (const latency of [report.field, report.match, report.withoutQueueIndexes.field, report.withoutQueueIndexes.match]) {
      expect(latency.p50ms).toBeGreaterThan(0);
      expect(latency.p95ms).toBeGreaterThanOrEqual(latency.p50ms);
    }
    // an office with nothing open finds nothing (the bench throws if it found something), in measured time
    for (const idle of [report.nothingOpen, report.withoutQueueIndexes.nothingOpen]) expect(Math.min(idle.fieldMs, idle.matchMs)).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: inject('serverUrl') });
    await client.connect();
    const left = await client.query(`select datname from pg_database where datname like 'civreg_bench_review%'`).finally(() => client.end());
    expect(left.rows).toEqual([]);
  });
});
