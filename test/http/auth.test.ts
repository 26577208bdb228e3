import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../src/auth/accounts.ts';
import { verifyPassword } from '../../src/auth/password.ts';
import { ensureBook } from '../../src/db/books.ts';
import { buildServer } from '../../src/http/server.ts';
import { FAST_QUEUE_ENV, startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { addAccount, as, PASSWORD, signIn, testServer, type Browser } from './web-helpers.ts';

const CLI = fileURLToPath(new URL('../../bin/civreg.js', import.meta.url));

describe('accounts, sessions and access', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  const audit = (action: string) => p.services.db.query<{ actor: string; detail: Record<string, unknown> }>('select actor, detail from audit_event where action = $1 order by id', [action]);

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    await ensureBook(p.services.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    await addAccount(p.services.db, 'lan', 'staff', ['HBT']);
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  describe('sign-in', () => {
    it('signs in with the right password: HttpOnly SameSite=Strict cookie, only its hash stored, audited', async () => {
      const { response, session } = await signIn(app, 'hoa');
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/review');
      const cookie = response.cookies.find((c) => c.name === 'civreg_session')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      const stored = await p.services.db.query<{ token_hash: string }>('select token_hash from account_session');
      expect(stored.map((s) => s.token_hash)).not.toContain(cookie.value);
      expect(session.csrf).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect((await audit('login')).map((a) => a.actor)).toContain('hoa');
    });

    it('lands each role on its own home: only a verifier on the review screen (which holds an entry as it opens)', async () => {
      await addAccount(p.services.db, 'son', 'supervisor', ['HBT']);
      await addAccount(p.services.db, 'quan', 'admin', 'all');
      const homes = await Promise.all(['hoa', 'lan', 'son', 'quan'].map(async (name) => (await signIn(app, name)).response.headers.location));
      expect(homes).toEqual(['/review', '/books', '/books', '/books']);
      const son = (await signIn(app, 'son')).session;
      expect((await as(app, son, { url: '/' })).headers.location).toBe('/books');
      const books = await as(app, son, { url: '/books', headers: { accept: 'text/html' } });
      expect(books.statusCode).toBe(200);
      // the supervisor still reaches review from the menu, when they mean to
      expect(books.body).toContain('<a href="/review">Kiểm tra</a>');
    });

    it('refuses a wrong password and an unknown name with the same answer, and audits both', async () => {
      const wrong = await signIn(app, 'hoa', 'sai mật khẩu');
      const unknown = await signIn(app, 'nobody', PASSWORD);
      for (const { response, session } of [wrong, unknown]) {
        expect(response.statusCode).toBe(401);
        expect(response.body).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
        expect(session.cookies.civreg_session).toBeUndefined();
      }
      expect((await audit('login_failed')).map((a) => a.actor)).toEqual(expect.arrayContaining(['hoa', 'nobody']));
    });

    it('throttles a name after repeated failures, even with the right password then', async () => {
      await addAccount(p.services.db, 'minh', 'verifier', ['HBT']);
      for (let i = 0; i < LOGIN_LIMITS.perName; i++) expect((await signIn(app, 'minh', `sai-${i}`)).response.statusCode).toBe(401);
      const blocked = await signIn(app, 'minh', PASSWORD);
      expect(blocked.response.statusCode).toBe(429);
      expect(blocked.response.body).toContain('Đăng nhập sai quá nhiều lần');
      expect(blocked.session.cookies.civreg_session).toBeUndefined();
      expect((await audit('login_throttled')).map((a) => a.actor)).toContain('minh');
      // Another name from the same address is not yet blocked.
      expect((await signIn(app, 'lan')).response.statusCode).toBe(303);
    });

    it('refuses a login form posted without its CSRF token', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/login',
        payload: new URLSearchParams({ name: 'hoa', password: PASSWORD }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: 'csrf_refused' });
    });

    it('ends the session on sign-out', async () => {
      const { session } = await signIn(app, 'lan');
      expect((await as(app, session, { url: '/books' })).statusCode).toBe(200);
      const out = await as(app, session, { method: 'POST', url: '/logout', payload: '' });
      expect(out.statusCode).toBe(303);
      expect((await as(app, session, { url: '/books' })).statusCode).toBe(401);
      expect((await audit('logout')).map((a) => a.actor)).toContain('lan');
    });
  });

  describe('access', () => {
    it('sends a stranger to the sign-in page, and refuses JSON callers with 401', async () => {
      const page = await app.inject({ method: 'GET', url: '/books', headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(302);
      expect(page.headers.location).toBe('/login?next=%2Fbooks');
      expect((await app.inject({ method: 'GET', url: '/books' })).json()).toMatchObject({ error: 'not_signed_in' });
    });

    it('refuses a role a page it may not open', async () => {
      const { session } = await signIn(app, 'hoa');
      const response = await as(app, session, { url: '/books', headers: { accept: 'text/html' } });
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('Vai trò của bạn không được mở trang này.');
    });

    it('refuses a state-changing request without the CSRF token, with a wrong one, or from another site', async () => {
      const { session } = await signIn(app, 'lan');
      expect((await as(app, session, { method: 'POST', url: '/logout', payload: '', csrf: null })).json()).toMatchObject({ error: 'csrf_refused' });
      expect((await as(app, session, { method: 'POST', url: '/logout', payload: '', csrf: 'x'.repeat(43) })).statusCode).toBe(403);
      const crossSite = await as(app, session, { method: 'POST', url: '/logout', payload: '', headers: { origin: 'https://evil.example' } });
      expect(crossSite.json()).toMatchObject({ error: 'csrf_refused' });
      // The session survived all three.
      expect((await as(app, session, { url: '/books' })).statusCode).toBe(200);
    });

    it('refuses a book of an office the person does not work for', async () => {
      const other = await ensureBook(p.services.db, { officeCode: 'BD', officeName: 'Quận Ba Đình', registerType: 'birth', bookNo: '07', yearFrom: 1970 });
      const own = await ensureBook(p.services.db, { officeCode: 'HBT', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
      const { session } = await signIn(app, 'lan');
      expect((await as(app, session, { url: `/books/${other}` })).json()).toMatchObject({ error: 'forbidden_office' });
      const mine = await as(app, session, { url: `/books/${own}` });
      expect(mine.statusCode).toBe(200);
      expect(mine.body).toContain('Khai sinh · quyển 01');
    });
  });

  describe('own password', () => {
    const change = (session: Browser, fields: { current: string; next: string; again?: string }) =>
      as(app, session, {
        method: 'POST',
        url: '/password',
        payload: new URLSearchParams({ current_password: fields.current, new_password: fields.next, new_password_again: fields.again ?? fields.next }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      });

    it('holds a person with a handed-out password at the change page until they choose their own', async () => {
      const id = await addAccount(p.services.db, 'tam', 'verifier', ['HBT']);
      await p.services.db.query('update account set must_change_password = true where id = $1', [id]);
      const { response, session } = await signIn(app, 'tam');
      expect(response.statusCode).toBe(303);
      const page = await as(app, session, { url: '/review', headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(302);
      expect(page.headers.location).toBe('/password');
      expect((await as(app, session, { method: 'POST', url: '/review/next', payload: '' })).json()).toMatchObject({ error: 'password_change_required' });
      const form = await as(app, session, { url: '/password', headers: { accept: 'text/html' } });
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('Mật khẩu hiện tại do người khác đặt cho bạn.');

      const other = (await signIn(app, 'tam')).session;
      expect((await change(session, { current: PASSWORD, next: 'câu dài của riêng tôi 2026' })).headers.location).toBe('/password?changed=1');
      // Free to work in this session; the other one (whoever else knew the old password) has ended.
      expect((await as(app, session, { url: '/review', headers: { accept: 'text/html' } })).statusCode).toBe(200);
      expect((await as(app, other, { url: '/review' })).json()).toMatchObject({ error: 'not_signed_in' });
      expect((await signIn(app, 'tam')).response.statusCode).toBe(401);
      expect((await signIn(app, 'tam', 'câu dài của riêng tôi 2026')).response.headers.location).toBe('/review');
      const audited = await audit('password_changed');
      expect(audited.map((a) => a.actor)).toEqual(['tam']);
      expect(JSON.stringify(audited)).not.toContain('riêng tôi');
    });

    it('refuses a wrong current password (counted as a failed sign-in), and new ones too short, unequal, unchanged or holding the name', async () => {
      await addAccount(p.services.db, 'ngoc', 'verifier', ['HBT']);
      const { session } = await signIn(app, 'ngoc');
      const refusals = [
        [{ current: 'không phải mật khẩu', next: 'câu dài mới tinh 77' }, 'Mật khẩu hiện tại không đúng.'],
        [{ current: PASSWORD, next: 'ngắn quá' }, 'Mật khẩu mới cần ít nhất 10 ký tự.'],
        [{ current: PASSWORD, next: 'câu dài mới tinh 77', again: 'câu dài mới tinh 78' }, 'Hai lần nhập mật khẩu mới không khớp nhau.'],
        [{ current: PASSWORD, next: PASSWORD }, 'Mật khẩu mới phải khác mật khẩu hiện tại.'],
        [{ current: PASSWORD, next: 'Ngoc-1234567' }, 'Mật khẩu không được chứa tên đăng nhập.'],
      ] as const;
      for (const [fields, message] of refusals) {
        const response = await change(session, fields);
        expect([response.statusCode, response.body.includes(message)]).toEqual([400, true]);
        // the form again, its refusal beside the field at fault, and no password sent back
        expect(response.body).toContain(`data-field="${message.startsWith('Mật khẩu hiện tại') ? 'current_password' : message.startsWith('Hai lần') ? 'new_password_again' : 'new_password'}">${message}</small>`);
        for (const typed of [fields.current, fields.next]) expect(response.body).not.toContain(typed);
      }
      expect((await audit('password_change_failed')).map((a) => a.actor)).toEqual(['ngoc']);
      expect(await p.services.db.query("select count(*)::int as n from login_attempt where name = 'ngoc' and not ok")).toEqual([{ n: 1 }]);
      expect((await signIn(app, 'ngoc')).response.statusCode).toBe(303);
    });
  });

  describe('civreg user add', () => {
    const run = (args: string[], input?: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...FAST_QUEUE_ENV, DATABASE_URL: p.t.url, CIVREG_DATA_DIR: p.dataDir } }, (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
        child.stdin!.end(input ?? '');
      });

    it('creates an account with a generated password printed once, stored hashed', async () => {
      const result = await run(['user', 'add', '--name', 'Admin1', '--role', 'admin', '--office', 'all', '--json']);
      expect(result.code).toBe(0);
      const { password } = JSON.parse(result.stdout);
      const [row] = await p.services.db.query<{ role: string; password_hash: string; all_offices: boolean; must_change_password: boolean }>(
        "select role, password_hash, all_offices, must_change_password from account where name = 'admin1'",
      );
      expect(row).toMatchObject({ role: 'admin', all_offices: true, must_change_password: true });
      expect(row!.password_hash).not.toContain(password);
      expect(await verifyPassword(password, row!.password_hash)).toBe(true);
      expect((await signIn(app, 'admin1', password)).response.statusCode).toBe(303);
      expect((await audit('account_created')).length).toBeGreaterThan(0);
    });

    it('takes the password from stdin, and refuses unknown offices, roles and short passwords', async () => {
      expect((await run(['user', 'add', '--name', 'thu', '--role', 'supervisor', '--office', 'HBT', '--password-stdin'], 'một mật khẩu đủ dài\n')).code).toBe(0);
      expect((await signIn(app, 'thu', 'một mật khẩu đủ dài')).response.statusCode).toBe(303);
      // A password its owner typed in needs no change.
      expect(await p.services.db.query("select must_change_password from account where name = 'thu'")).toEqual([{ must_change_password: false }]);
      expect(await run(['user', 'add', '--name', 'x1', '--role', 'verifier', '--office', 'NOPE'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown_office') });
      expect(await run(['user', 'add', '--name', 'x2', '--role', 'king', '--office', 'HBT'])).toMatchObject({ code: 2, stderr: expect.stringContaining('bad_arguments') });
      expect(await run(['user', 'add', '--name', 'x3', '--role', 'staff', '--office', 'HBT', '--password-stdin'], 'ngắn')).toMatchObject({ code: 2, stderr: expect.stringContaining('password_too_short') });
      expect(await run(['user', 'add', '--name', 'thu', '--role', 'staff', '--office', 'HBT'])).toMatchObject({ code: 2, stderr: expect.stringContaining('account_exists') });
    });
  });
});
