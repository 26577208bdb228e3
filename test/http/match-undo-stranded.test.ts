import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { buildServer } from '../../src/http/server.ts';
import { UNDONE_HOLD_HOURS } from '../../src/review/matches.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { seedEntry, seedPair } from './review-seed.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

/**
 * A pair undone after its machine probability was seen waits for someone else, but never for nobody: it comes back to
 * the person when nobody else of the office can take it, or after UNDONE_HOLD_HOURS; the desk counts those waiting.
 */
describe('match review undo: pairs waiting for someone else', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let hoa: Browser;
  let lan: Browser;
  let minhId: number;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    // two offices: HBT with verifiers hoa and minh, DD with lan alone (and an admin of every office, not counted on)
    await seedEntry(p.services.db, p.services.blobs, { entryNo: 1, fields: [{ field: 'fullName', value: 'x' }] });
    await seedEntry(p.services.db, p.services.blobs, { officeCode: 'DD', entryNo: 1, fields: [{ field: 'fullName', value: 'x' }] });
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    minhId = await addAccount(p.services.db, 'minh', 'verifier', ['HBT']);
    await addAccount(p.services.db, 'lan', 'verifier', ['DD']);
    await addAccount(p.services.db, 'quantri', 'admin', 'all');
    hoa = (await signIn(app, 'hoa')).session;
    lan = (await signIn(app, 'lan')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const next = (who: Browser) => as(app, who, { method: 'POST', url: '/matches/next', payload: {} });
  const decide = (who: Browser, itemId: number, decision: string) => as(app, who, { method: 'POST', url: `/matches/items/${itemId}`, payload: { decision, ms: 900 } });
  const undo = (who: Browser, itemId: number) => as(app, who, { method: 'POST', url: `/matches/items/${itemId}/undo`, payload: {} });
  const pair = async (officeCode: string, entryNo: number, sourceId: string) => {
    const entry = await seedEntry(p.services.db, p.services.blobs, { officeCode, entryNo, fields: [{ field: 'fullName', value: 'Trần Văn Bình' }] });
    return seedPair(p.services.db, entry.entryId, sourceId, { fullName: 'Trần Văn Bình' });
  };

  it('gives an undone pair back to the person when nobody else of the office can decide it, saying they saw the machine’s view', async () => {
    const alone = await pair('DD', 5, 'E-DD-5');
    expect((await next(lan)).json().match.itemId).toBe(alone.itemId);
    await decide(lan, alone.itemId, 'same');
    expect((await undo(lan, alone.itemId)).json()).toEqual({ ok: true, handedOn: false, seen: true });
    const back = (await next(lan)).json();
    expect(back.match).toMatchObject({ itemId: alone.itemId, seenBefore: true });
    expect(back.waitingForOthers).toBe(0);
    await decide(lan, alone.itemId, 'different');
  });

  it('counts on the desk the pairs waiting for someone else, and gives one back once the others of the office are gone', async () => {
    const seen = await pair('HBT', 6, 'E-HBT-6');
    expect((await next(hoa)).json().match.itemId).toBe(seen.itemId);
    await decide(hoa, seen.itemId, 'different');
    expect((await undo(hoa, seen.itemId)).json()).toEqual({ ok: true, handedOn: true, seen: true });
    expect((await next(hoa)).json()).toEqual({ match: null, waitingForOthers: 1 });
    // the screen has the place the count is written in
    expect((await as(app, hoa, { url: '/matches', headers: { accept: 'text/html' } })).body).toContain(`sau ${UNDONE_HOLD_HOURS} giờ chưa ai quyết định`);
    // minh, the office's other verifier, leaves: the pair would wait for nobody, so it is hoa's again
    await p.services.db.query('update account set disabled = true where id = $1', [minhId]);
    const back = (await next(hoa)).json();
    expect(back).toMatchObject({ match: { itemId: seen.itemId, seenBefore: true }, waitingForOthers: 0 });
    await decide(hoa, seen.itemId, 'different');
    await p.services.db.query('update account set disabled = false where id = $1', [minhId]);
  });

  it(`gives a pair back to the person who undid it after ${UNDONE_HOLD_HOURS} hours without anyone else deciding it`, async () => {
    const recent = await pair('HBT', 7, 'E-HBT-7');
    const waited = await pair('HBT', 8, 'E-HBT-8');
    const undoneAt = (candidateId: number, hoursAgo: number) => p.services.db.query(
      `insert into audit_event (at, actor, action, object_type, object_id, detail) values (now() - make_interval(hours => $1), 'hoa', 'match_undo', 'match_candidate', $2, '{"undone": "same"}')`,
      [hoursAgo, String(candidateId)]);
    await undoneAt(recent.candidateId, 1);
    await undoneAt(waited.candidateId, UNDONE_HOLD_HOURS + 1);
    // the one undone an hour ago still waits for minh; the one undone a day ago is hoa's again
    expect((await next(hoa)).json()).toMatchObject({ match: { itemId: waited.itemId, seenBefore: true }, waitingForOthers: 1 });
  });
});
