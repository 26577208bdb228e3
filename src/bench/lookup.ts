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
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { createClient } from '../api/clients.ts';
import { registerApi } from '../api/routes.ts';
import { createScratchDatabase } from '../db/scratch.ts';
import type { Database } from '../db/sql.ts';
import { Rng } from '../samples/rng.ts';
import { foldDiacritics, swapTonePlacement } from '../text/normalise.ts';
import { syntheticExisting } from './match.ts';

export interface LookupBench {
  records: number;
  rps: number;
  achievedRps: number;
  seconds: number;
  requests: number;
  errors: number;
  /** What the failed requests failed with (HTTP status or the client's error), by count. */
  errorKinds: Record<string, number>;
  p50ms: number;
  p99ms: number;
  maxMs: number;
  byKind: Record<'idNumber' | 'person' | 'entry', { requests: number; p50ms: number; p99ms: number }>;
  /** Name + date + place queries for known people: how each was answered. */
  people: { queries: number; found: number; wrongPerson: number; ambiguous: number; none: number };
  seedSeconds: number;
  /** The machine's 1-minute load average when the load started and when it ended (2 cores: above 2 is contention). */
  loadAverage: [number, number];
  /** Keep-alive connections the client keeps open, like a desk system's pool. */
  connections: number;
}

const CONNECTIONS = 64;

/** POSTs JSON over a keep-alive connection pool; resolves with the status and parsed body. */
function postJson(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error as Error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Target {
  fullName: string;
  birthDate: string;
  birthPlace: string;
  idNumber: string;
  year: number;
  entryNo: number;
}

const BATCH = 5000;
const FIELDS = ['fullName', 'sex', 'birthDate', 'birthPlace', 'motherName', 'motherBirthYear', 'fatherName', 'fatherBirthYear', 'registrationDate', 'idNumber'] as const;

/** Writes `count` verified birth entries (one book per registration year) and keeps every k-th as a query target. */
async function seedRecords(db: Database, count: number, seed: number, keep: number): Promise<Target[]> {
  const [office] = await db.query<{ id: number }>(`insert into registry_office (code, name) values ('BENCH', 'Quận Bench') returning id`);
  const books = new Map<number, { bookId: number; pageId: number; next: number }>();
  const bookFor = async (year: number) => {
    let book = books.get(year);
    if (!book) {
      const [b] = await db.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from, year_to) values ($1, 'birth', '01', $2, $2) returning id`, [office!.id, year]);
      const [u] = await db.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'bench', 'bench', 0, 'bench') returning id`, [b!.id]);
      const [p] = await db.query<{ id: number }>(`insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, 0, 'bench', 'routed') returning id`, [b!.id, u!.id]);
      book = { bookId: b!.id, pageId: p!.id, next: 1 };
      books.set(year, book);
    }
    return book;
  };
  const targets: Target[] = [];
  const every = Math.max(1, Math.floor(count / keep));
  let batch: Array<{ id: number; year: number; entryNo: number; bookId: number; pageId: number; fields: Record<string, string> }> = [];
  const flush = async () => {
    if (!batch.length) return;
    await db.query(
      `insert into entry (id, book_id, page_id, seq, page_ids, year, entry_no, register_type, status)
       select id, book_id, page_id, entry_no, array[page_id], year, entry_no, 'birth', 'verified'
         from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[], $5::int[]) as u(id, book_id, page_id, year, entry_no)`,
      [batch.map((e) => e.id), batch.map((e) => e.bookId), batch.map((e) => e.pageId), batch.map((e) => e.year), batch.map((e) => e.entryNo)],
    );
    const ids: number[] = [];
    const keys: string[] = [];
    const values: string[] = [];
    for (const e of batch) {
      for (const key of FIELDS) {
        const value = e.fields[key];
        if (value === undefined) continue;
        ids.push(e.id);
        keys.push(key);
        values.push(value);
      }
    }
    await db.query(
      `insert into entry_field (entry_id, field, raw, value, confidence, source, status, verified_by, verified_at)
       select id, field, value, value, 1, 'verifier', 'verified', 'bench', now() from unnest($1::bigint[], $2::text[], $3::text[]) as u(id, field, value)`,
      [ids, keys, values],
    );
    batch = [];
  };
  let i = 0;
  for (const record of syntheticExisting(count, seed)) {
    i++;
    const fields = record.fields as Record<string, string>;
    const year = Number((fields.registrationDate ?? '2000').slice(0, 4));
    const book = await bookFor(year);
    // A 12-digit personal ID number unique per record: province 001, century-and-sex digit, birth year, serial.
    const birthYear = Number(fields.birthDate!.slice(0, 4));
    const centurySex = (birthYear >= 2000 ? 2 : 0) + (fields.sex === 'female' ? 1 : 0);
    fields.idNumber = `001${centurySex}${String(birthYear % 100).padStart(2, '0')}${String(i).padStart(6, '0').slice(-6)}`;
    const entry = { id: i, year, entryNo: book.next++, bookId: book.bookId, pageId: book.pageId, fields };
    batch.push(entry);
    if (i % every === 0) targets.push({ fullName: fields.fullName!, birthDate: fields.birthDate!, birthPlace: fields.birthPlace!, idNumber: fields.idNumber, year, entryNo: entry.entryNo });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  await db.query(`select setval(pg_get_serial_sequence('entry', 'id'), $1)`, [count + 1]);
  await db.query('analyze');
  return targets;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);
const round = (v: number) => Math.round(v * 10) / 10;

/**
 * Seeds `records` verified records in a scratch database, serves the API on 127.0.0.1, and sends `rps`
 * requests a second for `seconds` seconds: 40% by ID number, 40% by name + date + place, 20% by book and
 * entry number.
 */
export async function benchLookup(
  serverUrl: string,
  options: { records: number; rps?: number; seconds?: number; seed?: number },
  say: (line: string) => void,
): Promise<LookupBench> {
  const rps = options.rps ?? 200;
  const seconds = options.seconds ?? 20;
  const seed = options.seed ?? 2027;
  const scratch = await createScratchDatabase(serverUrl, 'civreg_benchlookup');
  const app = Fastify({ logger: false });
  let agent: Agent | null = null;
  try {
    const { db } = scratch;
    const seedStarted = performance.now();
    const targets = await seedRecords(db, options.records, seed, Math.min(options.records, 5000));
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    say(`lookup: ${options.records} verified records written in ${seedSeconds.toFixed(0)} s`);

    registerApi(app, { db });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const searchUrl = new URL(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/records/search`);
    agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const { token } = await createClient(db, { name: 'bench', offices: ['*'], registerTypes: ['*'], fields: ['*'], ratePerMinute: 10_000_000, expiresAt: new Date(Date.now() + 3_600_000), createdBy: 'bench' });
    const headers = { authorization: `Bearer ${token}`, 'x-purpose-procedure': 'BENCH', 'x-purpose-case': 'BENCH-1', 'content-type': 'application/json' };

    const r = new Rng(seed + 1);
    type Kind = 'idNumber' | 'person' | 'entry';
    const people = { queries: 0, found: 0, wrongPerson: 0, ambiguous: 0, none: 0 };
    const send = async (kind: Kind, target: Target) => {
      if (!agent) throw new Error('no agent');
      let body: Record<string, unknown>;
      if (kind === 'idNumber') body = { by: 'idNumber', idNumber: target.idNumber };
      else if (kind === 'entry') body = { by: 'entry', office: 'BENCH', registerType: 'birth', bookNo: '01', year: target.year, entryNo: target.entryNo };
      else {
        const spelling = r.next();
        const fullName = spelling < 0.3 ? foldDiacritics(target.fullName) : spelling < 0.5 ? swapTonePlacement(target.fullName) : target.fullName;
        body = { by: 'person', fullName, birthDate: target.birthDate, place: r.chance(0.5) ? target.birthPlace : 'Hà Nội' };
      }
      const response = await postJson(agent, searchUrl, headers, JSON.stringify(body));
      const json = response.json as { status?: string; records?: Array<{ fields: Record<string, { value: string | null }> }> };
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      if (kind === 'person') {
        people.queries++;
        if (json.status === 'found') {
          people.found++;
          if (!json.records?.every((rec) => rec.fields.idNumber?.value === target.idNumber)) people.wrongPerson++;
        } else if (json.status === 'ambiguous') people.ambiguous++;
        else people.none++;
      }
    };

    // Warm up connections, caches and the JIT, unmeasured.
    for (let i = 0; i < 50; i++) await send('idNumber', targets[i % targets.length]!).catch(() => {});
    people.queries = people.found = people.wrongPerson = people.ambiguous = people.none = 0;

    const latencies: Record<Kind, number[]> = { idNumber: [], person: [], entry: [] };
    let errors = 0;
    const errorKinds: Record<string, number> = {};
    const total = rps * seconds;
    const loadBefore = loadavg()[0]!;
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rps;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const roll = r.next();
      const kind: Kind = roll < 0.4 ? 'idNumber' : roll < 0.8 ? 'person' : 'entry';
      const target = targets[r.int(0, targets.length - 1)]!;
      inFlight.push(
        send(kind, target).then(
          () => void latencies[kind].push(performance.now() - due),
          (error: Error) => {
            errors++;
            const kind = error.message.slice(0, 60);
            errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
          },
        ),
      );
    }
    await Promise.all(inFlight);
    const elapsed = (performance.now() - started) / 1000;
    const all = [...latencies.idNumber, ...latencies.person, ...latencies.entry].sort((a, b) => a - b);
    const stats = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { requests: sorted.length, p50ms: round(percentile(sorted, 50)), p99ms: round(percentile(sorted, 99)) };
    };
    const report: LookupBench = {
      records: options.records,
      rps,
      achievedRps: round(all.length / elapsed),
      seconds: round(elapsed),
      requests: all.length,
      errors,
      errorKinds,
      p50ms: round(percentile(all, 50)),
      p99ms: round(percentile(all, 99)),
      maxMs: round(all.at(-1) ?? 0),
      byKind: { idNumber: stats(latencies.idNumber), person: stats(latencies.person), entry: stats(latencies.entry) },
      people,
      seedSeconds: Math.round(seedSeconds),
      loadAverage: [round(loadBefore), round(loadavg()[0]!)],
      connections: CONNECTIONS,
    };
    say(`lookup: ${report.requests} requests at ${rps}/s: p50 ${report.p50ms} ms, p99 ${report.p99ms} ms, ${errors} errors; wrong person ${people.wrongPerson}/${people.found} found`);
    return report;
  } finally {
    agent?.destroy();
    await app.close();
    await scratch.drop();
  }
}
