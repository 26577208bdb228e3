import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOKUP_RELATIONS, prewarmLookupData } from '../../src/api/prewarm.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

describe('prewarmLookupData', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('reads every relation the lookup statements use, in order', async () => {
    const warmed = await prewarmLookupData(t.db);
    // every name in the list exists after the migrations (a renamed index would silently stay cold)
    expect(warmed.relations).toEqual([...LOOKUP_RELATIONS]);
    expect(warmed.skipped).toEqual([]);
    expect(warmed.budgetMegabytes).toBeGreaterThan(0);
  });

  it('reads no more than the cache PostgreSQL is told it has', async () => {
    const warmed = await t.db.transaction(async (tx) => {
      await tx.query(`set local effective_cache_size = '8kB'`);
      return prewarmLookupData(tx);
    });
    expect(warmed.relations.length + warmed.skipped.length).toBe(LOOKUP_RELATIONS.length);
    // one page of budget: the empty tables fit, the indexes (a page or more each) do not all fit
    expect(warmed.skipped.length).toBeGreaterThan(0);
    const [read] = await t.db.query<{ bytes: string }>(`select sum(pg_relation_size(to_regclass(n)))::bigint as bytes from unnest($1::text[]) n`, [warmed.relations]);
    expect(Number(read!.bytes)).toBeLessThanOrEqual(8192);
  });
});
