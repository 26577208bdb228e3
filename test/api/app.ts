import Fastify, { type FastifyInstance } from 'fastify';
import { createClient, type ClientScope } from '../../src/api/clients.ts';
import { registerApi, type ApiDeps } from '../../src/api/routes.ts';
import type { Sql } from '../../src/db/sql.ts';

/** The API alone on a bare fastify app, as src/http/server.ts mounts it. */
export async function apiApp(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerApi(app, deps);
  await app.ready();
  return app;
}

export const ALL: ClientScope = { offices: ['*'], registerTypes: ['*'], fields: ['*'] };

export async function newClient(sql: Sql, name: string, scope: Partial<ClientScope> & { ratePerMinute?: number; expiresAt?: Date } = {}) {
  const { token, client } = await createClient(sql, {
    name,
    ...ALL,
    ...scope,
    ratePerMinute: scope.ratePerMinute ?? 10_000,
    expiresAt: scope.expiresAt ?? new Date(Date.now() + 86_400_000),
    createdBy: 'test',
  });
  return { token, client, headers: { authorization: `Bearer ${token}`, 'x-purpose-procedure': '1.001193', 'x-purpose-case': 'HS-2026/000123' } };
}
