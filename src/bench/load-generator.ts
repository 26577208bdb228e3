/**
 * The lookup bench's load generator, run as a child process of its own (`fork`), so that sending requests
 * and timing them does not share an event loop with the server it measures: a server stall cannot delay
 * the clock, and the client's work does not slow the server's loop.
 *
 * Open loop: request i is due at start + i/rate whether or not earlier ones were answered, and its latency
 * is measured from that due time, so a slow answer delays nothing and hides nothing (no coordinated
 * omission). Requests go over a pool of keep-alive connections, as a desk system keeps.
 */
import { Agent, request as httpRequest } from 'node:http';

export interface LoadPlan {
  url: string;
  headers: Record<string, string>;
  rps: number;
  connections: number;
  /** Sent one after another before the measured load (connections, caches, JIT); not measured. */
  warmup: string[];
  /** The measured requests' JSON bodies, in order. */
  bodies: string[];
}

/** One measured request: latency from its due time, HTTP status (0 when it failed), and what it answered. */
export interface LoadResult {
  ms: number;
  status: number;
  error?: string;
  outcome?: string;
  idNumbers?: Array<string | null>;
}

export interface LoadReport {
  results: LoadResult[];
  /** From the first request's due time to the last answer. */
  seconds: number;
  /** Requests actually started per second (below `rps` when this process could not keep up). */
  sentRps: number;
  /** The largest delay between a request's due time and its start: the generator's own lag. */
  maxSendLagMs: number;
  /** CPU time this process spent on the measured load. */
  cpuMs: number;
}

function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What the bench needs from an answer: its status and each record's ID number (to count wrong persons). */
function summarise(text: string): Pick<LoadResult, 'outcome' | 'idNumbers'> {
  const json = JSON.parse(text) as { status?: string; records?: Array<{ fields: Record<string, { value: string | null }> }> };
  return { outcome: json.status, idNumbers: json.records?.map((r) => r.fields.idNumber?.value ?? null) };
}

export async function runLoad(plan: LoadPlan): Promise<LoadReport> {
  const url = new URL(plan.url);
  const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });
  try {
    // Warm-up a few at a time, so the server's connection pool is as warm as in a server that has been running.
    for (let i = 0; i < plan.warmup.length; i += 16) {
      await Promise.all(plan.warmup.slice(i, i + 16).map((body) => post(agent, url, plan.headers, body).catch(() => {})));
    }
    const results: LoadResult[] = new Array(plan.bodies.length);
    const pending: Promise<void>[] = [];
    let maxSendLagMs = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (const [i, body] of plan.bodies.entries()) {
      const due = started + (i * 1000) / plan.rps;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
      pending.push(
        post(agent, url, plan.headers, body).then(
          ({ status, text }) => {
            const ms = performance.now() - due;
            try {
              results[i] = { ms, status, ...(status === 200 ? summarise(text) : {}) };
            } catch {
              results[i] = { ms, status, error: 'unreadable body' };
            }
          },
          (error: Error) => void (results[i] = { ms: performance.now() - due, status: 0, error: error.message.slice(0, 60) }),
        ),
      );
    }
    const sentSeconds = (performance.now() - started) / 1000;
    await Promise.all(pending);
    const cpu = process.cpuUsage(cpuBefore);
    return { results, seconds: (performance.now() - started) / 1000, sentRps: plan.bodies.length / Math.max(sentSeconds, 1e-3), maxSendLagMs, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    agent.destroy();
  }
}

// Run as a child: one plan in, one report out over the IPC channel.
if (process.send) {
  process.once('message', (plan: LoadPlan) => {
    void runLoad(plan).then(
      (report) => process.send!({ report }, () => process.exit(0)),
      (error: Error) => process.send!({ error: error.message }, () => process.exit(1)),
    );
  });
}
