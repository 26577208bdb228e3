import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { PgBoss } from 'pg-boss';
import { listBookEntries, listBookOverviews, listBookPages, listBookIssues, listProblemPages, type OfficeScope } from '../db/book-dashboard.ts';
import { listDismissedFiles, listRefusedFiles } from '../db/book-files.ts';
import { may } from '../auth/roles.ts';
import type { Database } from '../db/sql.ts';
import type { OcrPool } from '../ocr/pool.ts';
import type { BlobStore } from '../store/blobs.ts';
import { accountIdOfSession, type Account } from '../auth/accounts.ts';
import { officesOf } from '../auth/manage.ts';
import { STAGES } from '../../schemas/jobs.ts';
import { registerApi } from '../api/routes.ts';
import type { Logger } from '../log.ts';
import { registerAssets } from './assets.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { bookListQuery, bookViewQuery, REGISTER_NAMES, renderBookDetail, renderBookList, type BookLinks, type BookListFilter, type BookView } from './books-page.ts';
import { coversOffice, csrfOf, fromOwnPage, installGuard, SESSION_COOKIE, wantsHtml } from './guard.ts';
import { escapeHtml, renderPage } from './layout.ts';
import { HttpRefusal, refusalSummary, refusedFormOf } from './refusals.ts';
import { createRefusedFormStore, formPagePath, routePattern } from './refused-forms.ts';
import { registerPageImageRoutes } from './page-images.ts';
import { registerReviewRoutes } from './review-routes.ts';
import { registerUploadRoutes } from './upload-routes.ts';
import { registerArbitrationRoutes } from './arbitration-routes.ts';
import { registerMatchRoutes } from './match-routes.ts';
import { registerEntryRoutes } from './entry-routes.ts';
import { registerIssueRoutes } from './issue-routes.ts';
import { registerRescanRoutes } from './rescan-routes.ts';
import { registerRefusedFileRoutes } from './refused-file-routes.ts';
import { createBookFeed, type FeedChannel } from './book-feed.ts';
import { registerAccountRoutes } from './account-routes.ts';
import { registerKeyingRoutes } from './keying-routes.ts';

export interface HttpDeps {
  db: Database;
  boss: PgBoss;
  blobs: BlobStore;
  /** Folder for files arriving in chunks from the upload page (src/ingest/transfer.ts). */
  uploadDir: string;
  maxUploadBytes: number;
  /** Null in a process that serves only (its workers run elsewhere). */
  ocr: OcrPool | null;
  workersRunning: () => boolean;
  /** Forwarded headers to believe (CIVREG_TRUST_PROXY): request.protocol, ip and host then come from the proxy. */
  trustProxy?: boolean | number | string[];
  /** Folder of the extract signing key (src/certified/signing.ts signingKeyDir); without it the API issues no extracts. */
  signingKeyDir?: string;
  /** CIVREG_PUBLIC_URL: where extracts' QR codes point (src/api/routes.ts ApiDeps.publicUrl). */
  publicUrl?: string;
  /** Operator log of the lookup API: outcome codes and timings per request, never a query or a record. */
  log?: Logger;
}

export function scopeOf(account: Account): OfficeScope {
  return account.allOffices ? { all: true } : { all: false, officeIds: account.officeIds };
}

/**
 * A page of the web UI for the signed-in person. `reloadAs`: the address a page answering a form reloads as
 * (post-result.js), for a page that cannot redirect (it shows a one-time password); a refusal keeps the form's
 * answer, so that reloading shows the person what they typed again.
 */
export function sendPage(request: FastifyRequest, reply: FastifyReply, title: string, body: string, extra: { scripts?: string[]; refreshSeconds?: number; reloadAs?: string } = {}) {
  // a refused form reloads as its page with the form kept (refused-forms.ts), never sending it again
  const reloadAs = request.method !== 'POST' ? undefined : reply.statusCode < 400 ? extra.reloadAs : request.refusedForm?.reloadAs;
  return reply.type('text/html; charset=utf-8').send(renderPage({ title, body: refusalSummary(request.refusedForm) + body, account: request.account, csrf: csrfOf(request), ...extra, reloadAs }));
}

/**
 * The web server: health, sign-in, the workbench screens. Every route names who may call it
 * (src/http/guard.ts). Tested in-process with `app.inject`.
 *
 * @example
 * const app = buildServer(deps); await app.listen({ port: 3000 });
 */
export function buildServer(deps: HttpDeps): FastifyInstance {
  // A number of hops trusts that many proxies nearest to civreg (the types want it as a function).
  const hops = deps.trustProxy;
  const trustProxy = typeof hops === 'number' ? (_address: string, hop: number) => hop < hops : (hops ?? false);
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, trustProxy });
  app.register(cookie);
  // the pages forms are on (refused-forms.ts formPagePath), and the refused forms kept for them
  const getRoutes: RegExp[] = [];
  app.addHook('onRoute', (route) => {
    if ([route.method].flat().includes('GET')) getRoutes.push(routePattern(route.url));
  });
  const refusedForms = createRefusedFormStore();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  installGuard(app, deps.db);
  app.decorateRequest('refusedForm', null);
  // `?refused=<id>`: the form page shows the kept refused form again, as typed, to the person who sent it
  app.addHook('preHandler', async (request) => {
    const id = (request.query as Record<string, unknown> | undefined)?.refused;
    if (request.method === 'GET' && typeof id === 'string' && request.account) request.refusedForm = refusedForms.take(id, request.account.id);
  });

  // Pages carry personal data: never cached, never framed, scripts and styles only from civreg itself.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/api/')) {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'same-origin');
      if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
    }
    return payload;
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
    const refusal = error instanceof HttpRefusal ? error : error.statusCode && error.statusCode < 500 ? new HttpRefusal('bad_request') : new HttpRefusal('internal_error');
    if (refusal.code === 'internal_error') request.log.error({ err: error.message }, 'request failed');
    // A refused form is shown again as typed, the refusal beside its field, on the page the form is on; only a
    // refusal of what was typed (or a fault of ours while saving it), not of who sent it (sign-in, role, office,
    // CSRF: nothing of theirs to keep).
    // A form sent from civreg's own page with a stale token (signed in again in another tab) is shown again as typed
    // too; one sent after the session expired is kept, and shown again as typed once the person has signed in.
    const formPage = request.routeOptions.config.formPage;
    const form = formPage && request.method === 'POST' && wantsHtml(request);
    const page = form ? formPagePath(getRoutes, request.url) : null;
    // kept for the account the expired session was of: a form no one can tell the sender of is not kept (on a shared
    // desk, whoever signed in next would see it, and could send it as theirs)
    const token = request.cookies[SESSION_COOKIE];
    const sender = form && page && refusal.code === 'not_signed_in' && token ? await accountIdOfSession(deps.db, token) : null;
    if (page && sender !== null) {
      const id = refusedForms.keep(refusedFormOf(request, new HttpRefusal('session_form_kept')), sender);
      return reply.redirect(`/login?next=${encodeURIComponent(`${page}?refused=${id}`)}`, 303);
    }
    const stale = refusal.code === 'csrf_refused' && request.account !== null && fromOwnPage(request);
    if (formPage && form && (stale || refusal.status === 400 || refusal.status === 409 || refusal.status === 500)) {
      request.refusedForm = refusedFormOf(request, stale ? new HttpRefusal('csrf_form_kept') : refusal);
      if (page && request.account) request.refusedForm.reloadAs = `${page}?refused=${refusedForms.keep(request.refusedForm, request.account.id)}`;
      reply.code(request.refusedForm.code === 'csrf_form_kept' ? 403 : refusal.status);
      try {
        return await formPage(request, reply);
      } catch (pageError) {
        // the page cannot be shown (it was removed meanwhile): the refusal alone, below
        request.log.warn({ err: (pageError as Error).message }, 'refused form page failed');
        request.refusedForm = null;
      }
    }
    if (wantsHtml(request)) {
      return reply.code(refusal.status).type('text/html; charset=utf-8').send(
        renderPage({ title: 'Không thực hiện được', body: `<h1>Không thực hiện được</h1><p class="error" role="alert" data-code="${refusal.code}">${escapeHtml(refusal.message)}</p><p><a href="/">Về trang chính</a></p>`, account: request.account, csrf: csrfOf(request) }),
      );
    }
    return reply.code(refusal.status).send({ error: refusal.code, message: refusal.message, ...(refusal.field ? { field: refusal.field } : {}) });
  });

  app.get('/healthz', { config: { access: 'public' } }, async (_request, reply) => {
    const database = await deps.db.query('select 1').then(() => 'ok' as const, () => 'down' as const);
    const queue = await deps.boss
      .getQueues([...STAGES])
      .then((queues) => ({ status: 'ok' as const, queues: Object.fromEntries(queues.map((q) => [q.name, { queued: q.queuedCount, active: q.activeCount, failed: q.failedCount }])) }))
      .catch(() => ({ status: 'down' as const, queues: {} }));
    const workers = deps.workersRunning()
      ? { status: 'ok' as const, ocr: deps.ocr?.stats() ?? null }
      : { status: 'none' as const, ocr: null };
    const healthy = database === 'ok' && queue.status === 'ok';
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'degraded', database, queue, workers });
  });

  registerAssets(app);
  registerAuthRoutes(app, deps.db);

  const feed = createBookFeed(deps.db);
  app.addHook('preClose', async () => feed.close());

  /** Opens an event stream on the feed for this request (after the route's checks passed). */
  function stream(reply: FastifyReply, channel: FeedChannel) {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', 'x-content-type-options': 'nosniff' });
    // A reconnecting browser waits 5 s, not the default 3 s, after a lost connection.
    reply.raw.write('retry: 5000\n\n');
    feed.subscribe(channel, reply.raw);
  }

  // Both dashboards follow the pipeline live (book-live.js over an event stream), without reloading.
  const live = (source: string, html: string) => `<div id="book-live" data-source="${escapeHtml(source)}" data-live="connecting">${html}</div>`;

  /** The book list a request asks for (office, register type, needing action, book number, page), and the query string that asks for it again. */
  function bookListOf(request: FastifyRequest) {
    const query = request.query as Record<string, unknown>;
    const whole = (value: unknown) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : undefined);
    const registerType = typeof query.type === 'string' && Object.hasOwn(REGISTER_NAMES, query.type) ? query.type : undefined;
    const bookNo = typeof query.no === 'string' && query.no.trim() !== '' ? query.no.trim().slice(0, 40) : undefined;
    const filter: BookListFilter = { officeId: whole(query.office), registerType, needsAction: query.action === '1', bookNo, page: Math.max(1, whole(query.page) ?? 1) };
    const scope = scopeOf(request.account!);
    return {
      filter,
      // Tabs of people with the same offices looking at the same page of the list share one channel.
      key: `list:${scope.all ? 'all' : [...scope.officeIds].sort((a, b) => a - b).join(',')}:${bookListQuery(filter)}`,
      render: async () => {
        const [{ books, total }, offices] = await Promise.all([listBookOverviews(deps.db, scope, filter), officesOf(deps.db, request.account!)]);
        return { bookIds: books.map((b) => b.id), html: renderBookList(books, { ...filter, total, offices }) };
      },
    };
  }

  app.get('/books', { config: { access: 'books' } }, async (request, reply) => {
    const list = bookListOf(request);
    const { html } = await list.render();
    return sendPage(request, reply, 'Sổ hộ tịch', live(`/books/events${bookListQuery(list.filter)}`, html), { scripts: ['/assets/book-live.js'] });
  });

  app.get('/books/events', { config: { access: 'books' } }, async (request, reply) => {
    const list = bookListOf(request);
    const { bookIds } = await list.render();
    // The list renders again when one of its books changes (a new book too: see bookStamps), and then
    // follows the books it now shows.
    const channel: FeedChannel = {
      key: list.key,
      bookIds,
      render: async () => {
        const now = await list.render();
        channel.bookIds = now.bookIds;
        return now.html;
      },
    };
    stream(reply, channel);
  });

  /** The book's dashboard as HTML for a view of its tables, or null when there is no such book. */
  async function bookDashboard(id: number, view: BookView, links: BookLinks, at?: number): Promise<{ officeId: number; bookNo: string; view: BookView; html: string } | null> {
    const [book] = (await listBookOverviews(deps.db, { all: true }, { bookId: id })).books;
    if (!book) return null;
    const [pages, issues, entries, problemPages, refused, dismissed] = await Promise.all([
      listBookPages(deps.db, id, { problemsOnly: view.problemPages, page: view.pagesPage, at }),
      listBookIssues(deps.db, id),
      listBookEntries(deps.db, id, { toReviewOnly: view.reviewEntries, page: view.entriesPage }),
      listProblemPages(deps.db, id),
      listRefusedFiles(deps.db, id),
      listDismissedFiles(deps.db, id),
    ]);
    // A link to one page (`at`) opens all pages at the slice holding it: the feed follows that view.
    const shown: BookView = at === undefined ? view : { ...view, problemPages: false, pagesPage: pages.page };
    return { officeId: book.officeId, bookNo: book.bookNo, view: shown, html: renderBookDetail(book, pages, issues, entries, shown, problemPages, { refused, dismissed }, links) };
  }

  async function bookOf(request: FastifyRequest<{ Params: { id: string } }>) {
    const id = Number(request.params.id);
    const query = request.query as Record<string, unknown>;
    const whole = (value: unknown) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : undefined);
    const view: BookView = {
      problemPages: query.pages === 'problems',
      pagesPage: Math.max(1, whole(query.pp) ?? 1),
      reviewEntries: query.entries === 'review',
      entriesPage: Math.max(1, whole(query.ep) ?? 1),
    };
    const links: BookLinks = { key: may(request.account!.role, 'review'), upload: may(request.account!.role, 'upload') };
    const dashboard = Number.isSafeInteger(id) ? await bookDashboard(id, view, links, whole(query.at)) : null;
    if (!dashboard) throw new HttpRefusal('not_found');
    if (!coversOffice(request.account!, dashboard.officeId)) throw new HttpRefusal('forbidden_office');
    return { id, links, ...dashboard };
  }

  app.get<{ Params: { id: string } }>('/books/:id', { config: { access: 'books' } }, async (request, reply) => {
    const book = await bookOf(request);
    return sendPage(request, reply, `Sổ ${book.bookNo}`, live(`/books/${book.id}/events${bookViewQuery(book.view)}`, book.html), { scripts: ['/assets/book-live.js'] });
  });

  app.get<{ Params: { id: string } }>('/books/:id/events', { config: { access: 'books' } }, async (request, reply) => {
    const book = await bookOf(request);
    // Tabs showing the same slice of the same book, to people offered the same links, share one channel.
    stream(reply, { key: `book:${book.id}:${book.links.key ? 'key' : ''}${book.links.upload ? 'upload' : ''}:${bookViewQuery(book.view)}`, bookIds: [book.id], render: async () => (await bookDashboard(book.id, book.view, book.links))?.html ?? null });
  });

  registerPageImageRoutes(app, deps);
  registerReviewRoutes(app, deps);
  registerUploadRoutes(app, deps);
  registerArbitrationRoutes(app, deps);
  registerMatchRoutes(app, deps);
  registerEntryRoutes(app, deps);
  registerIssueRoutes(app, deps);
  registerRescanRoutes(app, deps);
  registerRefusedFileRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerKeyingRoutes(app, deps);

  registerApi(app, { db: deps.db, blobs: deps.blobs, signingKeyDir: deps.signingKeyDir, publicUrl: deps.publicUrl, log: deps.log });

  return app;
}
