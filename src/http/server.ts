import Fastify, { type FastifyInstance } from 'fastify';
import type { PgBoss } from 'pg-boss';
import { listBookSummaries } from '../db/books.ts';
import type { Database } from '../db/sql.ts';
import type { OcrPool } from '../ocr/pool.ts';
import { STAGES } from '../../schemas/jobs.ts';
import { renderBooksPage } from './books-page.ts';
import { registerApi } from '../api/routes.ts';

export interface HttpDeps {
  db: Database;
  boss: PgBoss;
  /** Null in a process that serves only (its workers run elsewhere). */
  ocr: OcrPool | null;
  workersRunning: () => boolean;
}

/**
 * The web server: health, and for now a plain page of books. Tested in-process with `app.inject`.
 *
 * @example
 * const app = buildServer(deps); await app.listen({ port: 3000 });
 */
export function buildServer(deps: HttpDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

  app.get('/healthz', async (_request, reply) => {
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

  app.get('/', async (_request, reply) => {
    const books = await listBookSummaries(deps.db);
    return reply.type('text/html; charset=utf-8').send(renderBooksPage(books));
  });

  registerApi(app, { db: deps.db });
  return app;
}
