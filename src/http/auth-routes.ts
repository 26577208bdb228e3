import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createSession, endSession, findAccountForLogin, loginThrottled, recordLoginAttempt, SESSION_HOURS } from '../auth/accounts.ts';
import { dummyPasswordHash, verifyPassword } from '../auth/password.ts';
import { homeOf } from '../auth/roles.ts';
import { recordAudit } from '../db/audit.ts';
import type { Database } from '../db/sql.ts';
import { csrfOf, LOGIN_CSRF_COOKIE, SESSION_COOKIE } from './guard.ts';
import { escapeHtml, renderPage } from './layout.ts';
import { REFUSALS } from './refusals.ts';

/** Cookies are Secure whenever the request came over HTTPS (always in production behind TLS). */
function cookieOptions(request: FastifyRequest, maxAgeSeconds: number) {
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: request.protocol === 'https', maxAge: maxAgeSeconds };
}

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(next: unknown): string | null {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : null;
}

function loginPage(csrf: string, next: string | null, error: string | null, name = ''): string {
  return renderPage({
    title: 'Đăng nhập',
    body: `<h1>Đăng nhập</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login" class="login">
<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
${next ? `<input type="hidden" name="next" value="${escapeHtml(next)}">` : ''}
<label>Tên đăng nhập <input name="name" autocomplete="username" autofocus required value="${escapeHtml(name)}"></label>
<label>Mật khẩu <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Đăng nhập</button>
</form>
<p class="hint">Chưa có tài khoản? Giám sát viên hoặc quản trị viên tạo ở mục <b>Tài khoản</b>, hoặc bằng lệnh <code>npx civreg user add --name TÊN --role verifier --office MÃ</code>.</p>`,
  });
}

function loginCsrf(request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[LOGIN_CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{32,}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  reply.setCookie(LOGIN_CSRF_COOKIE, token, cookieOptions(request, 3600));
  return token;
}

/** Sign-in and sign-out: throttled, audited, session cookie HttpOnly + SameSite=Strict. */
export function registerAuthRoutes(app: FastifyInstance, db: Database): void {
  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    return reply.redirect(request.account ? homeOf(request.account.role) : '/login');
  });

  app.get('/login', { config: { access: 'public' } }, async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next);
    if (request.account) return reply.redirect(next ?? homeOf(request.account.role));
    return reply.type('text/html; charset=utf-8').send(loginPage(loginCsrf(request, reply), next, null));
  });

  app.post('/login', { config: { access: 'public' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const name = typeof body.name === 'string' ? body.name.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    const ip = request.ip;
    const again = (status: number, message: string) =>
      reply.code(status).type('text/html; charset=utf-8').send(loginPage(loginCsrf(request, reply), next, message, name));

    if (await loginThrottled(db, name, ip)) {
      await recordAudit(db, { actor: name || '(empty)', action: 'login_throttled', objectType: 'account', objectId: name || '(empty)', detail: { ip } });
      return again(REFUSALS.login_throttled.status, REFUSALS.login_throttled.message);
    }
    const account = name ? await findAccountForLogin(db, name) : null;
    // Hash even for an unknown name, so the answer's timing does not tell which names exist.
    const ok = await verifyPassword(password, account?.passwordHash ?? (await dummyPasswordHash()));
    await recordLoginAttempt(db, name, ip, ok && account !== null);
    if (!ok || !account) {
      await recordAudit(db, { actor: name || '(empty)', action: 'login_failed', objectType: 'account', objectId: name || '(empty)', detail: { ip } });
      return again(REFUSALS.login_failed.status, REFUSALS.login_failed.message);
    }
    const token = await createSession(db, account.id);
    await recordAudit(db, { actor: account.name, action: 'login', objectType: 'account', objectId: account.id, detail: { ip } });
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(request, SESSION_HOURS * 3600));
    reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/' });
    return reply.redirect(next ?? homeOf(account.role), 303);
  });

  app.post('/logout', { config: { access: 'signed_in' } }, async (request, reply) => {
    await endSession(db, request.sessionToken!);
    await recordAudit(db, { actor: request.account!.name, action: 'logout', objectType: 'account', objectId: request.account!.id });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });

  // Kept for scripts that need the token again after a long idle page (the meta tag holds it too).
  app.get('/session', { config: { access: 'signed_in' } }, async (request) => ({
    name: request.account!.name,
    role: request.account!.role,
    csrf: csrfOf(request),
  }));
}
