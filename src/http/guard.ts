import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountOfSession, csrfTokenOf, type Account } from '../auth/accounts.ts';
import { may, type Permission } from '../auth/roles.ts';
import type { Sql } from '../db/sql.ts';
import { HttpRefusal } from './refusals.ts';

export const SESSION_COOKIE = 'civreg_session';
/** Before sign-in there is no session: the login form is protected by a random cookie it must echo. */
export const LOGIN_CSRF_COOKIE = 'civreg_login';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: a permission of src/auth/roles.ts, or 'public'. Routes without it are refused. */
    access?: Permission | 'public';
  }
  interface FastifyRequest {
    account: Account | null;
    sessionToken: string | null;
    /** A form sent without a live session: refused once its body is read, so that what was typed can be kept. */
    signInDeferred: boolean;
  }
}

/** What a person whose password was handed out by someone else may open before choosing their own. */
const BEFORE_OWN_PASSWORD = new Set(['/password', '/logout', '/session']);

/** Paths whose routes authenticate themselves (service clients with tokens, public extract checks). */
const SELF_AUTHENTICATED = [/^\/api\//, /^\/verify(\/|$)/];

function sameToken(a: string | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token a state-changing request must carry: in the `x-csrf-token` header or the form field `_csrf`. */
function submittedCsrf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' && typeof body._csrf === 'string' ? body._csrf : undefined;
}

export function csrfOf(request: FastifyRequest): string | null {
  return request.sessionToken ? csrfTokenOf(request.sessionToken) : null;
}

/**
 * Adds sign-in, role and CSRF checks to every route of the web UI:
 * - a route must name its `access`; one that does not is refused (deny by default);
 * - `public` routes are open; others need a session whose role has the permission;
 * - every POST/PUT/PATCH/DELETE must carry the session's CSRF token (or, for sign-in, the login cookie's),
 *   and a cross-site `Origin` is refused outright.
 */
export function installGuard(app: FastifyInstance, sql: Sql): void {
  app.decorateRequest('account', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('signInDeferred', false);

  // Who is asking and may they, before any body is read (an upload chunk is not parsed for a stranger).
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.routeOptions.url;
    if (url === undefined || SELF_AUTHENTICATED.some((re) => re.test(url))) return;
    const access = request.routeOptions.config.access;

    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      request.account = await accountOfSession(sql, token);
      request.sessionToken = request.account ? token : null;
    }
    if (access === 'public') return;
    if (!request.account) {
      if (request.method === 'GET' && wantsHtml(request)) {
        return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
      }
      // a form of a page (src/http/server.ts formPage): what was typed is kept over the sign-in (refused-forms.ts)
      if (request.method === 'POST' && request.routeOptions.config.formPage && wantsHtml(request)) {
        request.signInDeferred = true;
        return;
      }
      throw new HttpRefusal('not_signed_in');
    }
    if (!access || !may(request.account.role, access)) throw new HttpRefusal('forbidden_role');
    if (request.account.mustChangePassword && !BEFORE_OWN_PASSWORD.has(url)) {
      if (request.method === 'GET' && wantsHtml(request)) return reply.redirect('/password');
      throw new HttpRefusal('password_change_required');
    }
  });

  // CSRF after the body is parsed, since forms send the token as a field.
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const url = request.routeOptions.url;
    if (url === undefined || SELF_AUTHENTICATED.some((re) => re.test(url))) return;
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return;
    if (request.signInDeferred) throw new HttpRefusal('not_signed_in');
    const origin = request.headers.origin;
    // request.host is the Host header, or X-Forwarded-Host behind a trusted proxy (CIVREG_TRUST_PROXY).
    if (origin && origin !== 'null' && new URL(origin).host !== request.host) throw new HttpRefusal('csrf_refused');
    const expected = request.sessionToken ? csrfTokenOf(request.sessionToken) : request.cookies[LOGIN_CSRF_COOKIE];
    if (!sameToken(submittedCsrf(request), expected)) throw new HttpRefusal('csrf_refused');
  });
}

/** A request sent from a page of civreg itself, as the browser's `Origin` says (every browser sends it with a POST). */
export function fromOwnPage(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  return typeof origin === 'string' && origin !== 'null' && URL.canParse(origin) && new URL(origin).host === request.host;
}

export function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

/** Whether the person works for the office (or for all offices). */
export function coversOffice(account: Account, officeId: number): boolean {
  return account.allOffices || account.officeIds.includes(officeId);
}
