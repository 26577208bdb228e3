import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACE_REFUSALS } from '../../src/review/value-check.ts';
import type { TestPipeline } from '../helpers/services.ts';
import { seedEntry } from './review-seed.ts';
import { as, startWebDesk, type Browser } from './web-helpers.ts';

/** A place typed on the review screen must be a place: letters, and not a date typed into the wrong field. */
describe('review screen: a place that is no place', () => {
  let p: TestPipeline;
  let app: FastifyInstance;
  let hoa: Browser;

  beforeAll(async () => {
    ({ p, app, sessions: [hoa] } = await startWebDesk([['hoa', 'verifier', ['HBT']]]));
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const decide = (itemId: number, input: string) => as(app, hoa, { method: 'POST', url: `/review/items/${itemId}`, payload: { ms: 1500, action: 'correct', input } });

  it('refuses a date or a value without letters typed into «Nơi sinh», and takes the place once typed', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 3, fields: [{ field: 'birthPlace', value: 'Phường Bạch Mai', reasons: ['low_confidence'] }] });
    expect((await as(app, hoa, { method: 'POST', url: '/review/next', payload: {} })).json().entry.entryId).toBe(seeded.entryId);
    const itemId = seeded.items.birthPlace!;
    for (const [input, code] of [['31/2/62', 'place_shaped_as_date'], ['ngày 3 tháng 2 năm 1962', 'place_shaped_as_date'], ['123', 'place_without_letters']] as const) {
      const refused = await decide(itemId, input);
      expect(refused.statusCode, input).toBe(400);
      expect(refused.json(), input).toEqual({ error: 'bad_value', message: PLACE_REFUSALS[code] });
    }
    const [before] = await p.services.db.query<{ status: string }>(`select status from entry_field where entry_id = $1 and field = 'birthPlace'`, [seeded.entryId]);
    expect(before!.status).toBe('review');
    // a place with a house number keeps its figures
    expect((await decide(itemId, 'Số 12/3 phố Huế, Phường Bạch Mai')).statusCode).toBe(200);
    const [after] = await p.services.db.query<{ status: string; value: string }>(`select status, value from entry_field where entry_id = $1 and field = 'birthPlace'`, [seeded.entryId]);
    expect(after).toMatchObject({ status: 'verified' });
    expect(after!.value).toContain('12/3');
  });

  it('refuses to accept a machine reading of «Nơi sinh» that is a date, as it refuses one typed', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 4, fields: [{ field: 'birthPlace', value: '31/2/62', reasons: ['low_confidence'] }] });
    expect((await as(app, hoa, { method: 'POST', url: '/review/next', payload: {} })).json().entry.entryId).toBe(seeded.entryId);
    const accepted = await as(app, hoa, { method: 'POST', url: `/review/items/${seeded.items.birthPlace!}`, payload: { ms: 900, action: 'accept' } });
    expect(accepted.json()).toEqual({ error: 'bad_value', message: PLACE_REFUSALS.place_shaped_as_date });
  });
});
