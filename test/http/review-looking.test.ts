import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPipeline } from '../helpers/services.ts';
import { seedEntry } from './review-seed.ts';
import { as, startWebDesk, type Browser } from './web-helpers.ts';

// A supervisor's review screen opens looking (nothing held); one who started and reloaded still holds an entry for the
// lease's minutes, and the screen must say so and open it again, not claim that nothing is held.
describe('review screen of a supervisor who already holds an entry', () => {
  let p: TestPipeline;
  let app: FastifyInstance;
  let thu: Browser;

  beforeAll(async () => {
    ({ p, app, sessions: [thu] } = await startWebDesk([['thu', 'supervisor', ['HBT']]]));
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const screen = async () => (await as(app, thu, { url: '/review', headers: { accept: 'text/html' } })).body;
  const next = async () => (await as(app, thu, { method: 'POST', url: '/review/next', payload: {} })).json() as { entry: { entryId: number } | null };

  it('opens looking while nothing is held, and after a start and a reload opens the held entry again', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 51, fields: [{ field: 'fullName', value: 'Lê Văn Tâm', reasons: ['low_confidence'] }] });
    const looking = await screen();
    expect(looking).toContain('data-state="looking"');
    expect(looking).toContain('chưa giữ mục nào');
    // «Bắt đầu kiểm tra»: the entry is held for the supervisor; then the page is reloaded
    expect((await next()).entry?.entryId).toBe(seeded.entryId);
    const reloaded = await screen();
    expect(reloaded).not.toContain('chưa giữ mục nào');
    expect(reloaded).not.toContain('id="start-review"');
    expect(reloaded).toContain('data-state="loading"');
    expect(reloaded).toContain('Đang mở lại mục bạn đang giữ…');
    // the screen's script asks for the next entry at once, and gets the held one back
    expect((await next()).entry?.entryId).toBe(seeded.entryId);
    expect(reloaded).toContain('data-resume="1"');
    // the lease lapses between the page and the script's call: nothing is claimed, the screen goes back to looking
    const lapse = () => p.services.db.query(`update review_item set claimed_until = now() - interval '1 minute' where id = $1`, [seeded.items.fullName]);
    await lapse();
    const resumed = (await as(app, thu, { method: 'POST', url: '/review/next', payload: { resume: true } })).json();
    expect(resumed).toMatchObject({ entry: null, lapsed: true });
    expect((await p.services.db.query<{ n: number }>(`select count(*)::int as n from review_item where claimed_by = 'thu' and claimed_until > now()`))[0]!.n).toBe(0);
    // once the lease has lapsed nothing is held: looking again
    expect(await screen()).toContain('data-state="looking"');
  });
});
