import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/accounts.ts';
import { createRefusedFormStore, formPagePath, routePattern } from '../../src/http/refused-forms.ts';
import type { TestPipeline } from '../helpers/services.ts';
import { seedUnreadPage } from './review-seed.ts';
import { as, signIn, startWebDesk, type Browser } from './web-helpers.ts';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
const reloadAs = (body: string) => /<meta name="reload-as" content="([^"]+)">/.exec(body)?.[1]?.replaceAll('&amp;', '&') ?? null;

/** What a verifier typed into a form is never lost to a refusal, and reloading a refused form never sends it again. */
describe('refused forms', () => {
  let p: TestPipeline;
  let app: FastifyInstance;
  let hoa: Browser;
  let minh: Browser;
  let page: number;
  const typed = { entryNo: '3', f_fullName: 'Lê Văn Cường', f_motherName: 'Phạm Thị Hạnh', f_birthDate: '31/2/2012' };
  const entries = async () => (await p.services.db.query<{ n: string }>(`select count(*) as n from entry where page_id = $1`, [page]))[0]!.n;

  beforeAll(async () => {
    ({ p, app, sessions: [hoa, minh] } = await startWebDesk([['hoa', 'verifier', ['HBT']], ['minh', 'verifier', ['HBT']]]));
    ({ pageIds: [page] } = await seedUnreadPage(p.services.db, p.services.blobs, { bookNo: 'kept' }));
  });
  afterAll(async () => {
    await app?.close();
    await p?.close();
  });

  it('shows a refused form again as typed, reloading as a plain visit of its page that shows it again', async () => {
    const before = await entries();
    const refused = await as(app, hoa, { method: 'POST', url: `/pages/${page}/key-entry`, payload: form(typed), headers: FORM });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('value="Phạm Thị Hạnh"');
    // the page reloads as a GET of the form's page (post-result.js), not as the POST again
    const again = reloadAs(refused.body);
    expect(again).toMatch(new RegExp(`^/pages/${page}/key-entry\\?refused=[\\w-]{22}$`));
    expect(refused.body).toContain('<script type="module" src="/assets/post-result.js"></script>');
    const reloaded = await as(app, hoa, { url: again!, headers: { accept: 'text/html' } });
    expect(reloaded.statusCode).toBe(200);
    expect(reloaded.body).toContain('value="Phạm Thị Hạnh"');
    expect(reloaded.body).toMatch(/name="f_birthDate" data-field="birthDate" value="31\/2\/2012" aria-invalid="true"/);
    expect(reloaded.body).toContain('data-code="bad_value"');
    expect(await entries()).toBe(before);
    // another person opening that address sees the empty form
    const other = await as(app, minh, { url: again!, headers: { accept: 'text/html' } });
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain('Phạm Thị Hạnh');
  });

  it('keeps a form sent after the session expired, and shows it as typed once the person has signed in again', async () => {
    // hoa's session expires while she types, and meanwhile someone else signs out (which clears sessions long expired)
    const { session: expiring } = await signIn(app, 'hoa');
    await p.services.db.query(`update account_session set expires_at = now() - interval '1 minute' where token_hash = $1`, [hashToken(expiring.cookies.civreg_session!)]);
    const { session: leaving } = await signIn(app, 'minh');
    expect((await as(app, leaving, { method: 'POST', url: '/logout', headers: FORM })).statusCode).toBe(303);
    const sent = await as(app, expiring, { method: 'POST', url: `/pages/${page}/key-entry`, payload: form({ ...typed, f_birthDate: '2/4/2012' }), headers: FORM });
    expect(sent.statusCode).toBe(303);
    const login = new URL(sent.headers.location as string, 'http://x');
    expect(login.pathname).toBe('/login');
    const next = login.searchParams.get('next')!;
    expect(next).toMatch(new RegExp(`^/pages/${page}/key-entry\\?refused=[\\w-]{22}$`));
    const loginPage = await app.inject({ method: 'GET', url: sent.headers.location as string, headers: { accept: 'text/html' } });
    expect(loginPage.body).toContain('Những gì bạn đã nhập vẫn được giữ: hãy đăng nhập lại để xem và gửi lại.');
    // on a shared desk minh signs in first: the form is hoa's, not his to see or send
    expect((await as(app, minh, { url: next, headers: { accept: 'text/html' } })).body).not.toContain('Phạm Thị Hạnh');
    const { session } = await signIn(app, 'hoa');
    const shown = await as(app, session, { url: next, headers: { accept: 'text/html' } });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('data-code="session_form_kept"');
    for (const value of ['value="Lê Văn Cường"', 'value="Phạm Thị Hạnh"', 'value="2/4/2012"']) expect(shown.body, value).toContain(value);
    // nothing was saved meanwhile; the form is sent again with the new session's token
    expect(shown.body).toContain(`name="_csrf" value="${session.csrf}"`);
  });

  it('keeps nothing of a form whose sender cannot be told (no session, or one ended)', async () => {
    const unknown = { cookies: { ...hoa.cookies, civreg_session: 'never-issued' }, csrf: hoa.csrf };
    const sent = await as(app, unknown, { method: 'POST', url: `/pages/${page}/key-entry`, payload: form(typed), headers: FORM });
    expect(sent.statusCode).toBe(401);
    expect(sent.body).not.toContain('Phạm Thị Hạnh');
  });

  it('shows a form sent from its page with a stale token again as typed; a cross-site one is refused with nothing shown', async () => {
    const stale = await as(app, hoa, { method: 'POST', url: `/pages/${page}/key-entry`, payload: form(typed), csrf: 'stale-token', headers: { ...FORM, origin: 'http://civreg.local:3000', host: 'civreg.local:3000' } });
    expect(stale.statusCode).toBe(403);
    expect(stale.body).toContain('data-code="csrf_form_kept"');
    expect(stale.body).toContain('value="Phạm Thị Hạnh"');
    expect(stale.body).toContain(`name="_csrf" value="${hoa.csrf}"`);
    const forged = await as(app, hoa, { method: 'POST', url: `/pages/${page}/key-entry`, payload: form(typed), csrf: 'stale-token', headers: { ...FORM, origin: 'https://evil.example' } });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('data-code="csrf_refused"');
    expect(forged.body).not.toContain('Phạm Thị Hạnh');
  });

  it('keeps no password, forgets a form after its time, and finds a form’s page from the GET routes', () => {
    let now = 0;
    const store = createRefusedFormStore({ ttlMs: 1000, now: () => now });
    const id = store.keep({ action: '/password', values: { password: 'bí mật', newPassword: 'x', note: 'giữ' }, field: null, code: 'bad_request', message: 'm' }, 7);
    expect(store.take(id, 7)?.values).toEqual({ note: 'giữ' });
    expect(store.take(id, 8)).toBeNull();
    // what a script posts, not a person's typing, is not kept (memory of the web server)
    const flood = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f_${i}`, 'x'.repeat(2000)]));
    expect(store.take(store.keep({ action: '/x', values: flood, field: null, code: 'bad_request', message: 'm' }, 7), 7)?.values).toEqual({});
    now = 1000;
    expect(store.take(id, 7)).toBeNull();
    const routes = ['/book-issues/:id', '/entries/:id', '/pages/:id/key-entry'].map(routePattern);
    expect(formPagePath(routes, '/book-issues/12/move')).toBe('/book-issues/12');
    expect(formPagePath(routes, '/entries/5/fields/fullName/correction')).toBe('/entries/5');
    expect(formPagePath(routes, '/pages/3/key-entry')).toBe('/pages/3/key-entry');
    expect(formPagePath(routes, '/nothing/3')).toBeNull();
  });
});
