import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../schemas/config.ts';
import { LOGIN_LIMITS } from '../../src/auth/accounts.ts';
import { ensureBook } from '../../src/db/books.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { addAccount, PASSWORD, testServer } from './web-helpers.ts';

/** Signs in through the login form with extra request headers (as a reverse proxy would add them). */
async function signInVia(app: ReturnType<typeof testServer>, headers: Record<string, string>, password = PASSWORD) {
  const form = await app.inject({ method: 'GET', url: '/login', headers: { accept: 'text/html', ...headers } });
  const cookies = Object.fromEntries(form.cookies.map((c) => [c.name, c.value]));
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  return app.inject({
    method: 'POST',
    url: '/login',
    cookies,
    payload: new URLSearchParams({ _csrf: csrf, name: 'hoa', password }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

describe('behind a TLS-terminating proxy (CIVREG_TRUST_PROXY)', () => {
  let p: TestPipeline;
  let direct: ReturnType<typeof testServer>;
  let proxied: ReturnType<typeof testServer>;
  const FORWARDED = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7', 'x-forwarded-host': 'hotich.example.vn' };

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    direct = testServer(p);
    proxied = testServer(p, undefined, ['127.0.0.1']);
    await ensureBook(p.services.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
    await p.close();
  });

  it('reads the setting: unset none, true, hops, or proxy addresses; refuses anything else', () => {
    expect(parseConfig({}).CIVREG_TRUST_PROXY).toBe(false);
    expect(parseConfig({ CIVREG_TRUST_PROXY: 'true' }).CIVREG_TRUST_PROXY).toBe(true);
    expect(parseConfig({ CIVREG_TRUST_PROXY: '1' }).CIVREG_TRUST_PROXY).toBe(1);
    expect(parseConfig({ CIVREG_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16' }).CIVREG_TRUST_PROXY).toEqual(['10.0.0.5', '10.1.0.0/16']);
    expect(() => parseConfig({ CIVREG_TRUST_PROXY: 'nginx' })).toThrow(/CIVREG_TRUST_PROXY/);
  });

  it('sets Secure cookies and records the person’s address when the proxy says the request came over HTTPS', async () => {
    const response = await signInVia(proxied, FORWARDED);
    expect(response.statusCode).toBe(303);
    expect(response.cookies.find((c) => c.name === 'civreg_session')).toMatchObject({ secure: true, httpOnly: true });
    const [login] = await p.services.db.query<{ detail: { ip: string } }>(`select detail from audit_event where action = 'login' order by id desc limit 1`);
    expect(login!.detail.ip).toBe('203.0.113.7');
    // Not trusted: the same headers from anyone are ignored.
    const plain = await signInVia(direct, FORWARDED);
    expect(plain.cookies.find((c) => c.name === 'civreg_session')?.secure).toBeFalsy();
  });

  it('limits sign-ins per forwarded address, not per proxy', async () => {
    await p.services.db.query(
      `insert into login_attempt (name, ip, ok) select 'someone-' || g, '198.51.100.9', false from generate_series(1, $1) g`,
      [LOGIN_LIMITS.perAddress],
    );
    const blocked = await signInVia(proxied, { ...FORWARDED, 'x-forwarded-for': '198.51.100.9' });
    expect(blocked.statusCode).toBe(429);
    // Another person behind the same proxy still signs in.
    expect((await signInVia(proxied, { ...FORWARDED, 'x-forwarded-for': '198.51.100.10' })).statusCode).toBe(303);
  });

  it('accepts a form posted from the public host name the proxy forwards', async () => {
    const response = await signInVia(proxied, { ...FORWARDED, origin: 'https://hotich.example.vn' });
    expect(response.statusCode).toBe(303);
    expect((await signInVia(direct, { origin: 'https://hotich.example.vn' })).statusCode).toBe(403);
  });
});
