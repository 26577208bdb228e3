import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook } from '../../src/db/books.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { addAccount, as, PASSWORD, signIn, testServer, type Browser } from './web-helpers.ts';

describe('account management', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof testServer>;
  let thu: Browser;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    for (const [code, name] of [['HBT', 'Quận Hai Bà Trưng'], ['BD', 'Quận Ba Đình']]) {
      await ensureBook(p.services.db, { officeCode: code!, officeName: name!, registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    }
    ids.thu = await addAccount(p.services.db, 'thu', 'supervisor', ['HBT']);
    ids.hoa = await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    ids.bac = await addAccount(p.services.db, 'bac', 'verifier', ['BD']);
    ids.root = await addAccount(p.services.db, 'root', 'admin', 'all');
    ids.vy = await addAccount(p.services.db, 'vy', 'supervisor', ['HBT']);
    thu = (await signIn(app, 'thu')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const post = (s: Browser, url: string, form: Record<string, string>, csrf = s.csrf) =>
    as(app, s, { method: 'POST', url, payload: new URLSearchParams({ ...(csrf ? { _csrf: csrf } : {}), ...form }).toString(), csrf: null, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });
  const oneTimePassword = (html: string) => /<code class="password">([^<]+)<\/code>/.exec(html)?.[1] ?? null;
  const audit = async () => p.services.db.query<{ actor: string; action: string; object_id: string; detail: unknown }>(`select actor, action, object_id, detail from audit_event where action like 'account_%' order by id`);

  it('lists to a supervisor only the staff and verifiers of their offices', async () => {
    const page = await as(app, thu, { url: '/accounts', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    const listed = [...page.body.matchAll(/data-account="([^"]+)"/g)].map((m) => m[1]);
    expect(listed).toEqual(['hoa', 'thu']);
    expect(page.body).toContain('Người kiểm tra');
    // a supervisor hands out no more than they hold
    expect(page.body).not.toContain('<option value="supervisor"');
    expect(page.body).toContain('name="office_HBT"');
    expect(page.body).not.toContain('name="office_BD"');
  });

  it('creates an account with a password shown once, which signs in', async () => {
    const created = await post(thu, '/accounts', { name: 'Lan', role: 'staff', office_HBT: 'on' });
    expect(created.statusCode).toBe(200);
    const password = oneTimePassword(created.body)!;
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(created.body).toContain('chỉ hiện một lần');
    const lan = (await signIn(app, 'lan', password)).session;
    expect(lan.cookies.civreg_session).toBeTruthy();
    // A password someone else saw must be replaced before anything else.
    expect((await as(app, lan, { url: '/books', headers: { accept: 'text/html' } })).headers.location).toBe('/password');
    // shown once: the list afterwards does not hold it
    expect((await as(app, thu, { url: '/accounts', headers: { accept: 'text/html' } })).body).not.toContain(password);
    const [row] = await p.services.db.query<{ role: string; codes: string[] }>(
      `select a.role, array_agg(o.code) as codes from account a join account_office ao on ao.account_id = a.id join registry_office o on o.id = ao.office_id where a.name = 'lan' group by a.role`,
    );
    expect(row).toEqual({ role: 'staff', codes: ['HBT'] });
    const [event] = (await audit()).filter((e) => e.action === 'account_created');
    expect(event).toMatchObject({ actor: 'thu', detail: { role: 'staff', offices: ['HBT'] } });
    expect(JSON.stringify(await audit())).not.toContain(password);

    const again = await post(thu, '/accounts', { name: 'lan', role: 'verifier', office_HBT: 'on' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('Tên đăng nhập này đã có.');
    // the form again as filled in: the name beside its refusal, the role and the office still chosen
    expect(again.body).toMatch(/name="name"[^>]*value="lan" aria-invalid="true"[^>]*><small class="field-error"[^>]*data-field="name">Tên đăng nhập này đã có/);
    expect(again.body).toContain('<option value="verifier" selected>');
    expect(again.body).toContain('name="office_HBT" value="on" checked');
  });

  it('refuses roles and offices beyond the manager’s own', async () => {
    expect((await post(thu, '/accounts', { name: 'x1', role: 'admin', office_HBT: 'on' })).statusCode).toBe(403);
    expect((await post(thu, '/accounts', { name: 'x2', role: 'verifier', office_BD: 'on' })).statusCode).toBe(403);
    const noOffice = await post(thu, '/accounts', { name: 'x3', role: 'verifier' });
    expect(noOffice.body).toContain('data-field="offices">Hãy chọn ít nhất một cơ quan đăng ký.</small>');
    expect(noOffice.body).toContain('value="x3"');
    for (const target of [ids.bac, ids.root, ids.vy, ids.thu]) {
      const refused = await post(thu, `/accounts/${target}/disable`, {});
      expect(refused.statusCode).toBe(403);
    }
    const [{ n }] = (await p.services.db.query<{ n: number }>(`select count(*)::int as n from account where disabled or name like 'x%'`)) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('disables (ending the person’s sessions) and enables an account, audited', async () => {
    const hoa = (await signIn(app, 'hoa')).session;
    expect((await as(app, hoa, { method: 'POST', url: '/review/next', payload: {} })).statusCode).toBe(200);
    const disabled = await post(thu, `/accounts/${ids.hoa}/disable`, {});
    expect(disabled.body).toMatch(/data-account="hoa" class="disabled">[\s\S]*?Đã vô hiệu hóa/);
    expect((await as(app, hoa, { method: 'POST', url: '/review/next', payload: {} })).json()).toMatchObject({ error: 'not_signed_in' });
    expect((await signIn(app, 'hoa')).session.cookies.civreg_session).toBeUndefined();
    await post(thu, `/accounts/${ids.hoa}/enable`, {});
    expect((await signIn(app, 'hoa')).session.cookies.civreg_session).toBeTruthy();
    expect((await audit()).filter((e) => e.object_id === String(ids.hoa)).map((e) => [e.actor, e.action])).toEqual([
      ['thu', 'account_disabled'],
      ['thu', 'account_enabled'],
    ]);
  });

  it('resets a password: the old one stops working, the new one is shown once', async () => {
    const reset = await post(thu, `/accounts/${ids.hoa}/password`, {});
    const password = oneTimePassword(reset.body)!;
    expect(reset.body).toContain('Đã đặt lại mật khẩu cho <b>hoa</b>');
    expect((await signIn(app, 'hoa', PASSWORD)).session.cookies.civreg_session).toBeUndefined();
    expect((await signIn(app, 'hoa', password)).session.cookies.civreg_session).toBeTruthy();
    expect(await p.services.db.query("select must_change_password from account where name = 'hoa'")).toEqual([{ must_change_password: true }]);
    expect((await audit()).at(-1)).toMatchObject({ actor: 'thu', action: 'account_password_reset', object_id: String(ids.hoa) });
  });

  it('refuses every action without the CSRF token, and the screen to other roles', async () => {
    const refused = await post(thu, `/accounts/${ids.hoa}/disable`, {}, null);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('thiếu mã bảo vệ biểu mẫu');
    const [hoa] = await p.services.db.query<{ disabled: boolean }>('select disabled from account where id = $1', [ids.hoa]);
    expect(hoa!.disabled).toBe(false);
    const bac = (await signIn(app, 'bac')).session;
    expect((await as(app, bac, { url: '/accounts', headers: { accept: 'text/html' } })).statusCode).toBe(403);
    expect((await post(bac, '/accounts', { name: 'x4', role: 'verifier', office_BD: 'on' })).statusCode).toBe(403);
  });

  it('lets an admin for every office give any role and every office', async () => {
    const root = (await signIn(app, 'root')).session;
    const page = await as(app, root, { url: '/accounts', headers: { accept: 'text/html' } });
    expect([...page.body.matchAll(/data-account="([^"]+)"/g)].map((m) => m[1])).toEqual(['bac', 'hoa', 'lan', 'root', 'thu', 'vy']);
    const created = await post(root, '/accounts', { name: 'sup.bd', role: 'supervisor', office_BD: 'on', office_HBT: 'on' });
    expect(oneTimePassword(created.body)).toBeTruthy();
    const disabled = await post(root, `/accounts/${ids.vy}/disable`, {});
    expect(disabled.statusCode).toBe(200);
  });
});
