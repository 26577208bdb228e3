import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../src/http/server.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { ensureBook } from '../../src/db/books.ts';
import { createAccount } from '../../src/auth/accounts.ts';
import { hashPassword } from '../../src/auth/password.ts';
import type { Role } from '../../src/auth/roles.ts';
import type { Sql } from '../../src/db/sql.ts';

export const PASSWORD = 'mật-khẩu-thử-1962';
let cachedHash: Promise<string> | null = null;

/** An account with the test password (hashed once per file: scrypt is deliberately slow). */
export async function addAccount(sql: Sql, name: string, role: Role, officeCodes: string[] | 'all'): Promise<number> {
  cachedHash ??= hashPassword(PASSWORD);
  return (await createAccount(sql, { name, role, officeCodes, passwordHash: await cachedHash })).id;
}

function cookiesOf(response: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(response.cookies.map((c) => [c.name, c.value]));
}

export interface Browser {
  cookies: Record<string, string>;
  csrf: string | null;
}

/** Signs in like a browser: fetches the login form (its CSRF cookie), posts it, keeps the session cookie. */
export async function signIn(app: FastifyInstance, name: string, password = PASSWORD): Promise<{ response: LightMyRequestResponse; session: Browser }> {
  const form = await app.inject({ method: 'GET', url: '/login', headers: { accept: 'text/html' } });
  const cookies = cookiesOf(form);
  const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const response = await app.inject({
    method: 'POST',
    url: '/login',
    cookies,
    payload: new URLSearchParams({ _csrf: loginCsrf, name, password }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const session: Browser = { cookies: { ...cookies, ...cookiesOf(response) }, csrf: null };
  if (session.cookies.civreg_session) {
    const info = await app.inject({ method: 'GET', url: '/session', cookies: session.cookies });
    session.csrf = info.json().csrf;
  }
  return { response, session };
}

/** A request with the session's cookies and, for writes, its CSRF header. */
export function as(app: FastifyInstance, session: Browser, options: { method?: 'GET' | 'POST' | 'PUT'; url: string; payload?: unknown; csrf?: string | null; headers?: Record<string, string> }) {
  const method = options.method ?? 'GET';
  const csrf = options.csrf === undefined ? session.csrf : options.csrf;
  return app.inject({
    method,
    url: options.url,
    cookies: session.cookies,
    headers: { ...(method !== 'GET' && csrf ? { 'x-csrf-token': csrf } : {}), ...options.headers },
    ...(options.payload !== undefined ? { payload: options.payload as string } : {}),
  });
}

/** The web server over a test pipeline, uploads limited to `maxUploadBytes` (1 GiB unless given). */
export function testServer(p: TestPipeline, maxUploadBytes = 1024 ** 3, trustProxy?: boolean | number | string[]): FastifyInstance {
  return buildServer({ db: p.services.db, boss: p.services.boss, blobs: p.services.blobs, uploadDir: join(p.dataDir, 'incoming'), maxUploadBytes, ocr: null, workersRunning: () => false, trustProxy });
}

/**
 * What most web tests start from: a test pipeline without workers, its web server, book 01 of Quận Hai
 * Bà Trưng (office HBT) and the given accounts, signed in (in the order given).
 */
export async function startWebDesk<const A extends readonly (readonly [name: string, role: Role, offices: string[] | 'all'])[]>(
  accounts: A,
): Promise<{ p: TestPipeline; app: FastifyInstance; sessions: { [K in keyof A]: Browser } }> {
  const p = await startTestPipeline({ workers: false });
  const app = testServer(p);
  await ensureBook(p.services.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
  for (const [name, role, offices] of accounts) await addAccount(p.services.db, name, role, offices);
  const sessions = await Promise.all(accounts.map(async ([name]) => (await signIn(app, name)).session));
  return { p, app, sessions: sessions as { [K in keyof A]: Browser } };
}
