/**
 * The lookup figures of `civreg bench`: synthetic verified birth records at city scale (drawn like the
 * match bench's people: names by generation, Hà Nội places written as of the registration day), then an
 * open-loop load generator on loopback against the real API (token, purpose, lookup log and all) at a
 * fixed request rate for a fixed time, over a pool of keep-alive connections as a desk system would keep. Latency is measured from each request's scheduled start, so a
 * slow answer delays nothing and hides nothing (no coordinated omission).
 *
 * It also counts how often a name + date + place search would return the wrong person: queries are made
 * from known records (some typed without diacritics or with the other tone-mark placement), and a `found`
 * answer whose record is not that person's is a wrong person (the target is 0).
 */
import Fastify from 'fastify';
import { fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { createClient } from '../api/clients.ts';
import { prewarmLookupData, type Prewarm } from '../api/prewarm.ts';
import { registerApi } from '../api/routes.ts';
import type { Database } from '../db/sql.ts';
import { Rng } from '../samples/rng.ts';
import { foldDiacritics, swapTonePlacement } from '../text/normalise.ts';
import type { LoadPlan, LoadReport } from './load-generator.ts';
import { dropBenchDatabase, loadTargets, LOOKUP_BENCH_DATABASE, openLookupBenchDatabase, type Target } from './lookup-seed.ts';

export interface LookupBench {
  records: number;
  rps: number;
  achievedRps: number;
  /** Requests the load generator started per second: below `rps` only if the generator itself fell behind. */
  sentRps: number;
  /** The generator's worst delay in starting a request after its due time. */
  maxSendLagMs: number;
  seconds: number;
  requests: number;
  errors: number;
  /** What the failed requests failed with (HTTP status or the client's error), by count. */
  errorKinds: Record<string, number>;
  p50ms: number;
  p95ms: number;
  p99ms: number;
  maxMs: number;
  byKind: Record<'idNumber' | 'person' | 'entry', { requests: number; p50ms: number; p99ms: number }>;
  /** Name + date + place queries for known people: how each was answered. */
  people: { queries: number; found: number; wrongPerson: number; ambiguous: number; none: number };
  /** Seed of the people asked for (drawn at random each run unless given: `civreg bench --only lookup --seed N` repeats a run's sample). */
  querySeed: number;
  /** The cache the measured load ran with: the lookup data read in as the API does at start (src/api/prewarm.ts), or not. */
  cache: { prewarmed: boolean; prewarm: Prewarm | null };
  /** The same load with other people just before the prewarm, with the cache as earlier work left it (null without prewarm). */
  asFound: Pick<LookupBench, 'p50ms' | 'p95ms' | 'p99ms' | 'maxMs' | 'errors' | 'achievedRps' | 'loadAverage' | 'postgresWaits'> | null;
  /** Seconds spent loading the records; 0 when an earlier complete load was reused. */
  seedSeconds: number;
  reusedRecords: boolean;
  /** The machine's 1-minute load average when the load started and when it ended (2 cores: above 2 is contention). */
  loadAverage: [number, number];
  /** Keep-alive connections the client keeps open, like a desk system's pool. */
  connections: number;
  /**
   * CPU time per measured request: the API server's process, the load generator's, and the PostgreSQL
   * backends serving this database (read from /proc; null when the server is not on this machine).
   */
  cpuMsPerRequest: { server: number; loadGenerator: number; postgres: number | null };
  /** How late the API server's event loop ran its callbacks during the load (a GC pause or a CPU-starved process shows here). */
  serverLoopDelayMs: { p99: number; max: number };
  /**
   * What the API's PostgreSQL backends were doing while busy with a statement, sampled every 50 ms from the
   * warm-up to the end of the load: share of samples per wait event (`CPU` when waiting on nothing), and the statement running longest.
   * `polls` counts the looks at pg_stat_activity, `samples` the busy backends they caught: a short, light load can catch none.
   */
  postgresWaits: { polls: number; samples: number; share: Record<string, number>; slowest: { ms: number; wait: string; statement: string } | null };
}

const CONNECTIONS = 64;

/** The nearest-rank percentile `p` (0–100) of ascending `sorted` milliseconds; the review-queue bench reports the same way. */
export const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0);
/** Milliseconds to a tenth. */
export const round = (v: number) => Math.round(v * 10) / 10;

type Kind = 'idNumber' | 'person' | 'entry';

/** CPU milliseconds used so far by each PostgreSQL backend connected to this database, from /proc (null when not readable). */
async function backendCpuMs(db: Database): Promise<Map<number, number> | null> {
  const pids = await db.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database()');
  const ticks = 100; // USER_HZ on Linux
  try {
    const entries = await Promise.all(
      pids.map(async ({ pid }) => {
        const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
        return [pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks] as [number, number];
      }),
    );
    return new Map(entries);
  } catch {
    return null;
  }
}

/**
 * Samples the wait events of the API pool's busy backends (application name `civreg-api`) until stopped:
 * it tells waiting for the disk (WAL flush of the lookup log) from waiting for a CPU or a lock.
 */
function sampleWaits(db: Database): { stop(): Promise<LookupBench['postgresWaits']> } {
  const counts: Record<string, number> = {};
  let polls = 0;
  let samples = 0;
  let slowest: LookupBench['postgresWaits']['slowest'] = null;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await db.query<{ wait: string; ms: number; statement: string }>(
        `select coalesce(wait_event_type || ':' || wait_event, 'CPU') as wait, extract(epoch from clock_timestamp() - query_start) * 1000 as ms,
                left(regexp_replace(query, '\\s+', ' ', 'g'), 60) as statement
           from pg_stat_activity where application_name = 'civreg-api' and state = 'active'`,
      );
      polls++;
      for (const row of rows) {
        samples++;
        counts[row.wait] = (counts[row.wait] ?? 0) + 1;
        if (!slowest || row.ms > slowest.ms) slowest = { ms: round(row.ms), wait: row.wait, statement: row.statement };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      const share = Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([wait, n]) => [wait, Math.round((n / samples) * 1000) / 1000]));
      return { polls, samples, share, slowest };
    },
  };
}

/** Runs the load plan in a child process of its own and waits for its report. */
function loadInChild(plan: LoadPlan): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./load-generator.ts', import.meta.url), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (message: { report?: LoadReport; error?: string }) => (message.report ? resolve(message.report) : reject(new Error(message.error))));
    child.once('exit', (code) => reject(new Error(`load generator exited with code ${code}`)));
    child.send(plan);
  });
}

/**
 * Draws disjoint sets of distinct record ids (1…`records`), one per size asked for, from `rng`: the
 * warm-up's people are never the measured ones, and each phase asks for people of its own, so no phase
 * is served from pages an earlier one read for the same people.
 */
export function drawTargetIds(records: number, sizes: number[], rng: Rng): number[][] {
  const wanted = sizes.reduce((a, b) => a + b, 0);
  if (wanted > records) throw new Error(`cannot draw ${wanted} distinct records from ${records}`);
  const seen = new Set<number>();
  return sizes.map((size) => {
    const ids: number[] = [];
    while (ids.length < size) {
      const id = rng.int(1, records);
      if (seen.has(id)) continue;
      seen.add(id);
      ids.push(id);
    }
    return ids;
  });
}

/** Requests that warm connections, the server's code and the pool before each measured phase (not measured). */
const WARMUP_REQUESTS = 160;

/**
 * Serves the API on 127.0.0.1 over `records` verified records (src/bench/lookup-seed.ts: loaded once,
 * reused by later runs) and has a separate load-generator process send `rps` requests a second for
 * `seconds` seconds: 40% by ID number, 40% by name + date + place, 20% by book and entry number.
 * The server is mounted as src/http/server.ts mounts it, with an operator log at info level (to /dev/null).
 *
 * The people asked for are drawn afresh each run (`querySeed`, random unless given, is in the report), so
 * a run is not served from the pages the previous run read. With `prewarm` (the default) the load runs
 * twice with different people: first with the cache as found (whatever earlier work left in it), then
 * after reading the lookup data into the cache as the API does when it starts (src/api/prewarm.ts); the
 * report's top-level figures are the second run's, a running service's state, and `asFound` the first's.
 */
export async function benchLookup(
  serverUrl: string,
  options: { records: number; rps?: number; seconds?: number; seed?: number; querySeed?: number; prewarm?: boolean; database?: string; keepDatabase?: boolean },
  say: (line: string) => void,
): Promise<LookupBench> {
  const rps = options.rps ?? 200;
  const seconds = options.seconds ?? 20;
  const seed = options.seed ?? 2027;
  const querySeed = options.querySeed ?? randomInt(1, 2 ** 31 - 1);
  const prewarm = options.prewarm ?? true;
  const database = options.database ?? LOOKUP_BENCH_DATABASE;
  const { db, reused, seedSeconds } = await openLookupBenchDatabase(serverUrl, database, options.records, seed, say);
  const app = Fastify({ logger: false });
  try {
    registerApi(app, { db, log: pino({ level: 'info' }, pino.destination('/dev/null')) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/records/search`;
    // A client of this run's own (earlier runs' clients stay: their lookup_log rows name them).
    const { token } = await createClient(db, { name: `bench-${new Date().toISOString()}`, offices: ['*'], registerTypes: ['*'], fields: ['*'], ratePerMinute: 10_000_000, expiresAt: new Date(Date.now() + 3_600_000), createdBy: 'bench' });
    const headers = { authorization: `Bearer ${token}`, 'x-purpose-procedure': 'BENCH', 'x-purpose-case': 'BENCH-1', 'content-type': 'application/json' };

    const r = new Rng(querySeed);
    const phases = prewarm ? 2 : 1;
    // Each phase's people are its own (a small bench database still has room for all of them).
    const warmupSize = Math.min(WARMUP_REQUESTS, Math.floor(options.records / (4 * phases)));
    const poolSize = Math.min(5000, Math.floor((options.records - phases * warmupSize) / phases));
    const idSets = drawTargetIds(options.records, Array.from({ length: phases }, () => [warmupSize, poolSize]).flat(), r);
    const targetSets = await Promise.all(idSets.map((ids) => loadTargets(db, ids)));
    const bodyFor = (kind: Kind, target: Target) => {
      if (kind === 'idNumber') return { by: 'idNumber', idNumber: target.idNumber };
      if (kind === 'entry') return { by: 'entry', office: 'BENCH', registerType: 'birth', bookNo: '01', year: target.year, entryNo: target.entryNo };
      const spelling = r.next();
      const fullName = spelling < 0.3 ? foldDiacritics(target.fullName) : spelling < 0.5 ? swapTonePlacement(target.fullName) : target.fullName;
      return { by: 'person', fullName, birthDate: target.birthDate, place: r.chance(0.5) ? target.birthPlace : 'Hà Nội' };
    };
    const plan = (warmupTargets: Target[], targets: Target[]) => ({
      warmup: warmupTargets.map((target, i) => JSON.stringify(bodyFor((['idNumber', 'person', 'entry'] as const)[i % 3]!, target))),
      planned: Array.from({ length: rps * seconds }, () => {
        const roll = r.next();
        const kind: Kind = roll < 0.4 ? 'idNumber' : roll < 0.8 ? 'person' : 'entry';
        const target = targets[r.int(0, targets.length - 1)]!;
        return { kind, target, body: JSON.stringify(bodyFor(kind, target)) };
      }),
    });

    let asFound: LookupBench['asFound'] = null;
    let cache: LookupBench['cache'] = { prewarmed: false, prewarm: null };
    if (prewarm) {
      const first = await measurePhase(db, url, headers, rps, plan(targetSets[0]!, targetSets[1]!));
      asFound = { p50ms: first.p50ms, p95ms: first.p95ms, p99ms: first.p99ms, maxMs: first.maxMs, errors: first.errors, achievedRps: first.achievedRps, loadAverage: first.loadAverage, postgresWaits: first.postgresWaits };
      say(`lookup, cache as found: p50 ${first.p50ms} ms, p95 ${first.p95ms} ms, p99 ${first.p99ms} ms, max ${first.maxMs} ms, ${first.errors} errors`);
      const warmed = await prewarmLookupData(db);
      cache = { prewarmed: true, prewarm: warmed };
      say(`lookup: prewarmed ${warmed.megabytes} MB (${warmed.relations.length} relations, ${warmed.skipped.length} over the ${warmed.budgetMegabytes} MB budget) in ${warmed.seconds} s`);
    }
    const measured = await measurePhase(db, url, headers, rps, plan(targetSets.at(-2)!, targetSets.at(-1)!));
    const report: LookupBench = { records: options.records, rps, querySeed, ...measured, cache, asFound, seedSeconds: Math.round(seedSeconds), reusedRecords: reused, connections: CONNECTIONS };
    say(`lookup: ${report.requests} requests at ${rps}/s (achieved ${report.achievedRps}/s): p50 ${report.p50ms} ms, p95 ${report.p95ms} ms, p99 ${report.p99ms} ms, max ${report.maxMs} ms, ${report.errors} errors; wrong person ${report.people.wrongPerson}/${report.people.found} found`);
    return report;
  } finally {
    await app.close();
    await db.close();
    if (options.keepDatabase === false) await dropBenchDatabase(serverUrl, database);
  }
}

type Measured = Omit<LookupBench, 'records' | 'rps' | 'querySeed' | 'cache' | 'asFound' | 'seedSeconds' | 'reusedRecords' | 'connections'>;

/** One measured load: warm-up, then the planned requests at `rps`, with what the server and PostgreSQL spent and waited on. */
async function measurePhase(
  db: Database,
  url: string,
  headers: Record<string, string>,
  rps: number,
  { warmup, planned }: { warmup: string[]; planned: { kind: Kind; target: Target; body: string }[] },
): Promise<Measured> {
  const loadBefore = loadavg()[0]!;
  const cpuBefore = process.cpuUsage();
  const pgBefore = await backendCpuMs(db);
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const waits = sampleWaits(db);
  const load = await loadInChild({ url, headers, rps, connections: CONNECTIONS, warmup, bodies: planned.map((p) => p.body) }).finally(() => waits.stop());
  const postgresWaits = await waits.stop();
  const cpu = process.cpuUsage(cpuBefore);
  loopDelay.disable();
  const pgAfter = await backendCpuMs(db);
  const pgMs = pgBefore && pgAfter ? [...pgAfter].reduce((sum, [pid, ms]) => sum + ms - (pgBefore.get(pid) ?? 0), 0) : null;
  const latencies: Record<Kind, number[]> = { idNumber: [], person: [], entry: [] };
  const people = { queries: 0, found: 0, wrongPerson: 0, ambiguous: 0, none: 0 };
  const errorKinds: Record<string, number> = {};
  let errors = 0;
  load.results.forEach((result, i) => {
    const { kind, target } = planned[i]!;
    if (result.status !== 200) {
      errors++;
      const what = result.error ?? `HTTP ${result.status}`;
      errorKinds[what] = (errorKinds[what] ?? 0) + 1;
      return;
    }
    latencies[kind].push(result.ms);
    if (kind !== 'person') return;
    people.queries++;
    if (result.outcome === 'found') {
      people.found++;
      if (!result.idNumbers?.every((id) => id === target.idNumber)) people.wrongPerson++;
    } else if (result.outcome === 'ambiguous') people.ambiguous++;
    else people.none++;
  });
  // Latency percentiles are over every request, failed ones included (a fast error must not look good).
  const all = load.results.map((x) => x.ms).sort((a, b) => a - b);
  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { requests: sorted.length, p50ms: round(percentile(sorted, 50)), p99ms: round(percentile(sorted, 99)) };
  };
  return {
    achievedRps: round(all.length / load.seconds),
    sentRps: round(load.sentRps),
    maxSendLagMs: round(load.maxSendLagMs),
    seconds: round(load.seconds),
    requests: all.length,
    errors,
    errorKinds,
    p50ms: round(percentile(all, 50)),
    p95ms: round(percentile(all, 95)),
    p99ms: round(percentile(all, 99)),
    maxMs: round(all.at(-1) ?? 0),
    byKind: { idNumber: stats(latencies.idNumber), person: stats(latencies.person), entry: stats(latencies.entry) },
    people,
    loadAverage: [round(loadBefore), round(loadavg()[0]!)],
    postgresWaits,
    serverLoopDelayMs: { p99: round(loopDelay.percentile(99) / 1e6), max: round(loopDelay.max / 1e6) },
    cpuMsPerRequest: { server: round((cpu.user + cpu.system) / 1000 / all.length), loadGenerator: round(load.cpuMs / all.length), postgres: pgMs === null ? null : round(pgMs / all.length) },
  };
}
