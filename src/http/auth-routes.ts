import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changeOwnPassword, createSession, endSession, findAccountForLogin, loginThrottled, passwordHashOf, recordLoginAttempt, SESSION_HOURS } from '../auth/accounts.ts';
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../auth/password.ts';
import { homeOf } from '../auth/roles.ts';
import { recordAudit } from '../db/audit.ts';
import type { Database } from '../db/sql.ts';
import { csrfOf, LOGIN_CSRF_COOKIE, SESSION_COOKIE } from './guard.ts';
import { escapeHtml, renderPage } from './layout.ts';
import { formState, HttpRefusal, REFUSALS } from './refusals.ts';
import { sendPage } from './server.ts';

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
<p class="hint">Chưa có tài khoản? Hãy liên hệ giám sát viên hoặc quản trị viên của cơ quan.</p>`,
  });
}

function loginCsrf(request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[LOGIN_CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{32,}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  reply.setCookie(LOGIN_CSRF_COOKIE, token, cookieOptions(request, 3600));
  return token;
}

function passwordPage(request: FastifyRequest, reply: FastifyReply, notice: { changed?: boolean } = {}) {
  const account = request.account!;
  const csrf = escapeHtml(csrfOf(request) ?? '');
  // a refused change is shown again with its refusal beside the field at fault; passwords are never sent back
  const form = formState(request, '/password');
  return sendPage(request, reply, 'Đổi mật khẩu', `<h1>Đổi mật khẩu</h1>
${account.mustChangePassword ? '<p class="notice" role="status">Mật khẩu hiện tại do người khác đặt cho bạn. Hãy chọn mật khẩu của riêng bạn trước khi làm việc.</p>' : ''}
${notice.changed ? '<p class="ok" role="status">Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản này đã kết thúc.</p>' : ''}
<form method="post" action="/password" class="login">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="name" value="${escapeHtml(account.name)}" autocomplete="username">
<label>Mật khẩu hiện tại <input name="current_password" type="password" autocomplete="current-password" required${form.invalid('current_password')}>${form.error('current_password')}</label>
<label>Mật khẩu mới <input name="new_password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required${form.invalid('new_password')}>${form.error('new_password')}</label>
<label>Nhập lại mật khẩu mới <input name="new_password_again" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required${form.invalid('new_password_again')}>${form.error('new_password_again')}</label>
<button type="submit">Đổi mật khẩu</button>
</form>
<p class="hint">Ít nhất ${MIN_PASSWORD_LENGTH} ký tự, không chứa tên đăng nhập. Một câu dài dễ nhớ an toàn hơn một từ ngắn khó nhớ.</p>`);
}

/** Why a new password is refused, and the field at fault, or null when it may be set. */
function refusedNewPassword(name: string, current: string, next: string, again: string): HttpRefusal | null {
  const refuse = (message: string, field = 'new_password') => new HttpRefusal('bad_request', message, field);
  if (next.length < MIN_PASSWORD_LENGTH) return refuse(`Mật khẩu mới cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`);
  if (next !== again) return refuse('Hai lần nhập mật khẩu mới không khớp nhau.', 'new_password_again');
  if (next === current) return refuse('Mật khẩu mới phải khác mật khẩu hiện tại.');
  if (next.normalize('NFC').toLowerCase().includes(name)) return refuse('Mật khẩu không được chứa tên đăng nhập.');
  return null;
}

/** Sign-in and sign-out: throttled, audited, session cookie HttpOnly + SameSite=Strict. Each person changes their own password. */
export function registerAuthRoutes(app: FastifyInstance, db: Database): void {
  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    return reply.redirect(request.account ? homeOf(request.account.role) : '/login');
  });

  app.get('/login', { config: { access: 'public' } }, async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next);
    if (request.account) return reply.redirect(next ?? homeOf(request.account.role));
    // a form refused for an expired session is kept (src/http/refused-forms.ts): say so before the person signs in
    const kept = next?.includes('refused=') ? 'Phiên làm việc đã hết hạn nên biểu mẫu của bạn chưa được gửi. Những gì bạn đã nhập vẫn được giữ: hãy đăng nhập lại để xem và gửi lại.' : null;
    return reply.type('text/html; charset=utf-8').send(loginPage(loginCsrf(request, reply), next, kept));
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

  app.get('/password', { config: { access: 'signed_in' } }, async (request, reply) =>
    passwordPage(request, reply, { changed: (request.query as Record<string, unknown>).changed === '1' }),
  );

  // The current password is asked for, so a session left open on a shared desk cannot be taken over; a wrong one
  // counts as a failed sign-in of the account (throttled alike).
  app.post('/password', { config: { access: 'signed_in', formPage: async (request, reply) => passwordPage(request, reply) } }, async (request, reply) => {
    const account = request.account!;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const field = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
    const [current, next, again] = [field('current_password'), field('new_password'), field('new_password_again')];
    if (await loginThrottled(db, account.name, request.ip)) throw new HttpRefusal('login_throttled');
    const ok = await verifyPassword(current, await passwordHashOf(db, account.id));
    if (!ok) {
      await recordLoginAttempt(db, account.name, request.ip, false);
      await recordAudit(db, { actor: account.name, action: 'password_change_failed', objectType: 'account', objectId: account.id, detail: { ip: request.ip } });
      throw new HttpRefusal('bad_request', 'Mật khẩu hiện tại không đúng.', 'current_password');
    }
    const refused = refusedNewPassword(account.name, current, next, again);
    if (refused) throw refused;
    const passwordHash = await hashPassword(next);
    await db.transaction(async (tx) => {
      await changeOwnPassword(tx, account.id, passwordHash, request.sessionToken!);
      await recordAudit(tx, { actor: account.name, action: 'password_changed', objectType: 'account', objectId: account.id, detail: { ip: request.ip } });
    });
    // Post/redirect/get: reloading the page afterwards does not send the passwords again.
    return reply.redirect('/password?changed=1', 303);
  });

  // Kept for scripts that need the token again after a long idle page (the meta tag holds it too).
  app.get('/session', { config: { access: 'signed_in' } }, async (request) => ({
    name: request.account!.name,
    role: request.account!.role,
    csrf: csrfOf(request),
  }));
}
