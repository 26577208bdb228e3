import { join, resolve } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import type { Logger } from '../log.ts';
import { startEmbeddedPostgres } from './embedded.ts';

/**
 * The PostgreSQL server civreg works against: `DATABASE_URL` when set, otherwise the embedded
 * server under `CIVREG_DATA_DIR/pg` (started, or joined when another civreg process runs it).
 */
export async function connectServer(config: Config, log: Logger): Promise<{ url: string; stop(): Promise<void> }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: async () => {} };
  const server = await startEmbeddedPostgres(join(resolve(config.CIVREG_DATA_DIR), 'pg'), (line) => log.trace({ postgres: line.trim() }));
  log.info({ owned: server.owned }, server.owned ? 'embedded PostgreSQL started' : 'joined running embedded PostgreSQL');
  return server;
}
