import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL; each test file creates its own database on it (test/helpers/db.ts). */
    serverUrl: string;
  }
}

/**
 * One real PostgreSQL for the whole run: DATABASE_URL when set, else an embedded server in a fresh
 * folder under the system temp dir (reachable by the `postgres` user even when the checkout is not).
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('serverUrl', process.env.DATABASE_URL);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'civreg-test-pg-'));
  await chmod(dir, 0o755); // mkdtemp makes it private; the server runs as `postgres` when we are root
  const server = await startEmbeddedPostgres(join(dir, 'pg'));
  project.provide('serverUrl', server.url);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
