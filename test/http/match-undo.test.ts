import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { buildServer } from '../../src/http/server.ts';
import { UNDO_MINUTES, UNDONE_HOLD_HOURS } from '../../src/review/matches.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { seedEntry, seedPair } from './review-seed.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

/** A verifier takes back a decision on a pair made by mistake; the machine's probability comes only after deciding. */
describe('match review undo', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let hoa: Browser;
  let minh: Browser;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    await seedEntry(p.services.db, p.services.blobs, { entryNo: 1, fields: [{ field: 'fullName', value: 'x' }] }); // creates the office
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    await addAccount(p.services.db, 'minh', 'verifier', ['HBT']);
    hoa = (await signIn(app, 'hoa')).session;
    minh = (await signIn(app, 'minh')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const next = (who: Browser) => as(app, who, { method: 'POST', url: '/matches/next', payload: {} });
  const decide = (who: Browser, itemId: number, decision: string) => as(app, who, { method: 'POST', url: `/matches/items/${itemId}`, payload: { decision, ms: 1200 } });
  const undo = (who: Browser, itemId: number) => as(app, who, { method: 'POST', url: `/matches/items/${itemId}/undo`, payload: {} });
  const pair = async (entryNo: number, sourceId: string) => {
    const entry = await seedEntry(p.services.db, p.services.blobs, { entryNo, fields: [{ field: 'fullName', value: 'Nguyễn Thị Hoà' }, { field: 'birthDate', value: '1962-03-05' }] });
    return seedPair(p.services.db, entry.entryId, sourceId, { fullName: 'Nguyễn Thị Hòa', birthDate: '1962-05-03' });
  };

  it('says on the screen’s legend when an undone pair goes to someone else: when the person saw the machine’s view of it', async () => {
    const screen = (await as(app, hoa, { url: '/matches', headers: { accept: 'text/html' } })).body;
    expect(screen).toContain(`hoàn tác quyết định vừa rồi (trong ${UNDO_MINUTES} phút; nếu bạn đã thấy đánh giá của máy, cặp được chuyển cho người khác quyết định, và trở lại với bạn khi đơn vị không còn ai khác quyết định được hoặc sau ${UNDONE_HOLD_HOURS} giờ chưa ai quyết định)`);
    expect(screen).not.toContain('cặp đã xem');
  });

  it('takes back a link made by mistake: the pair is undecided and goes to someone who has not seen the probability, the undo audited', async () => {
    const first = await pair(11, 'E-11');
    const second = await pair(12, 'E-12');
    expect((await next(hoa)).json().match.itemId).toBe(first.itemId);
    const decided = await decide(hoa, first.itemId, 'same');
    // the probability comes with the decision's answer, not before
    expect(decided.json()).toEqual({ ok: true, probability: expect.any(Number) });
    // the screen has moved on to the next pair
    expect((await next(hoa)).json().match.itemId).toBe(second.itemId);
    const undone = await undo(hoa, first.itemId);
    expect([undone.statusCode, undone.json()]).toEqual([200, { ok: true, handedOn: true, seen: true }]);
    const [candidate] = await p.services.db.query<{ person_decision: string | null; decided_by: string | null }>('select person_decision, decided_by from match_candidate where id = $1', [first.candidateId]);
    expect(candidate).toEqual({ person_decision: null, decided_by: null });
    // hoa has seen the machine's probability for it: hoa goes on with the pair shown meanwhile, and never gets it again
    expect((await next(hoa)).json().match.itemId).toBe(second.itemId);
    const [left] = await p.services.db.query<{ status: string }>('select status from review_item where id = $1', [first.itemId]);
    expect(left!.status).toBe('open');
    await decide(hoa, second.itemId, 'different');
    expect((await next(hoa)).json().match).toBeNull();
    const audit = await p.services.db.query<{ action: string; detail: Record<string, unknown> }>(
      `select action, detail from audit_event where object_type = 'match_candidate' and object_id = $1 order by id`, [String(first.candidateId)]);
    expect(audit.map((a) => a.action)).toEqual(['match_same', 'match_undo']);
    expect(audit[1]!.detail).toMatchObject({ undone: 'same' });
    // decided by someone who has not seen it, the other way
    expect((await next(minh)).json().match.itemId).toBe(first.itemId);
    expect((await decide(minh, first.itemId, 'different')).statusCode).toBe(200);
    const [again] = await p.services.db.query<{ person_decision: string; decided_by: string }>('select person_decision, decided_by from match_candidate where id = $1', [first.candidateId]);
    expect(again).toEqual({ person_decision: 'different', decided_by: 'minh' });
  });

  it('sends a pair sent to the supervisors and taken back to the queue, away from the verifier who saw its probability', async () => {
    const unsure = await pair(15, 'E-15');
    expect((await next(hoa)).json().match.itemId).toBe(unsure.itemId);
    expect((await decide(hoa, unsure.itemId, 'unsure')).json()).toEqual({ ok: true, probability: expect.any(Number) });
    expect((await undo(hoa, unsure.itemId)).json()).toEqual({ ok: true, handedOn: true, seen: true });
    const [item] = await p.services.db.query<{ status: string }>('select status from review_item where id = $1', [unsure.itemId]);
    expect(item!.status).toBe('open');
    expect((await next(hoa)).json().match).toBeNull();
    expect((await next(minh)).json().match.itemId).toBe(unsure.itemId);
    await decide(minh, unsure.itemId, 'same');
  });

  it('refuses to take back another person’s decision, one acted on since, or one past its time', async () => {
    const mine = await pair(21, 'E-21');
    expect((await next(hoa)).json().match.itemId).toBe(mine.itemId);
    await decide(hoa, mine.itemId, 'skip');
    expect((await undo(minh, mine.itemId)).json()).toMatchObject({ error: 'undo_too_late' });
    // skipped, then taken up by someone else: no longer the verifier's to take back
    expect((await next(minh)).json().match.itemId).toBe(mine.itemId);
    const late = await undo(hoa, mine.itemId);
    expect([late.statusCode, late.json().error]).toEqual([409, 'undo_too_late']);
    await decide(minh, mine.itemId, 'same');
    // ten minutes on, minh's own link stays
    await p.services.db.query(`update review_decision set at = now() - interval '11 minutes' where review_item_id = $1`, [mine.itemId]);
    // the refusal names the window the undo has (UNDO_MINUTES), not a number of its own
    expect((await undo(minh, mine.itemId)).json()).toMatchObject({ error: 'undo_too_late', message: expect.stringContaining(`quá ${UNDO_MINUTES} phút`) });
    const [candidate] = await p.services.db.query<{ person_decision: string }>('select person_decision from match_candidate where id = $1', [mine.candidateId]);
    expect(candidate!.person_decision).toBe('same');
  });

  it('answers a skip without the machine\'s probability: the pair comes back to be judged afresh', async () => {
    const skipped = await pair(31, 'E-31');
    const shown = (await next(hoa)).json().match.itemId;
    expect(shown).toBe(skipped.itemId);
    expect((await decide(hoa, shown, 'skip')).json()).toEqual({ ok: true });
    // nothing was shown: taken back, the pair is the verifier's own to decide again
    expect((await undo(hoa, shown)).json()).toEqual({ ok: true, handedOn: false, seen: false });
    expect((await next(hoa)).json().match.itemId).toBe(skipped.itemId);
  });
});
