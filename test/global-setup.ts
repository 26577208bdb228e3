import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { parseConfig } from '../schemas/config.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { createScratchDatabase, onServer } from '../src/db/scratch.ts';
import { startQueue } from '../src/pipeline/queue.ts';
import { FAST_QUEUE_ENV } from './helpers/services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL; each test file creates its own database on it (test/helpers/db.ts). */
    serverUrl: string;
    /** A database on that server, migrated and with the pipeline's queues, that each file's database copies. */
    templateDb: string;
  }
}

/**
 * One real PostgreSQL for the whole run: DATABASE_URL when set, else an embedded server in a fresh
 * folder under the system temp dir (reachable by the `postgres` user even when the checkout is not).
 */
export default async function setup(project: TestProject) {
  let stopServer = async () => {};
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'civreg-test-pg-'));
    await chmod(dir, 0o755); // mkdtemp makes it private; the server runs as `postgres` when we are root
    const server = await startEmbeddedPostgres(join(dir, 'pg'));
    serverUrl = server.url;
    stopServer = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  project.provide('serverUrl', serverUrl);
  // Migrating a database and creating pg-boss's schema and queues takes about a second; copying a database
  // that has them a fraction of that, and some 80 test files each start from one.
  const template = await createScratchDatabase(serverUrl, 'civreg_test_template');
  const boss = await startQueue(template.url, parseConfig(FAST_QUEUE_ENV), (error) => console.error(error));
  await boss.stop({ graceful: true, timeout: 10_000 });
  await template.db.close();
  const templateDb = new URL(template.url).pathname.slice(1);
  project.provide('templateDb', templateDb);
  return async () => {
    await onServer(serverUrl, `drop database if exists ${templateDb} with (force)`);
    await stopServer();
  };
}
