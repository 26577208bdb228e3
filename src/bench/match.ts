/**
 * The match figures of `civreg bench`: synthetic existing records at city scale, imported through the same
 * path as `civreg import-existing` (a JSONL file), then a batch of incoming scanned entries matched against
 * them page by page with the match stage, at 10^5 and at 10^6 existing records, in one scratch database.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { ExistingRecord } from '../../schemas/corpus.ts';
import { createScratchDatabase } from '../db/scratch.ts';
import type { Database } from '../db/sql.ts';
import { importExisting } from '../existing/import.ts';
import { matchStage } from '../match/stage.ts';
import { drawName, fullName } from '../samples/names.ts';
import { DISTRICTS, drawAddress, placeParts, writePlace } from '../samples/places.ts';
import { Rng } from '../samples/rng.ts';
import { addDays, isoDate, type Sex } from '../samples/vietnamese.ts';
import { swapTonePlacement } from '../text/normalise.ts';

export interface MatchBench {
  existing: number;
  incoming: number;
  seconds: number;
  /** CPU time of this process (scoring, keys) during that run; the rest is PostgreSQL and waiting. */
  nodeCpuSeconds: number;
  /** 1-minute load average at the end: figures from a busy machine are not comparable. */
  loadAverage: number;
  peakRssMb: number;
  /** The same incoming entries against a tenth of the records: how time grows with the database. */
  growth: { existing: number; seconds: number }[];
  import: { rows: number; seconds: number; rowsPerSecond: number };
  links: number;
  reviews: number;
}

const ENTRIES_PER_PAGE = 5;

/**
 * Synthetic existing birth records (most of a civil-status database), drawn like the sample generator draws
 * its people: names by generation, Hà Nội addresses written as of the registration day.
 */
export function* syntheticExisting(count: number, seed: number): Generator<ExistingRecord> {
  const r = new Rng(seed);
  const districts = DISTRICTS.filter((d) => d.names.some((n) => !n.to || n.to > '1990'));
  for (let i = 0; i < count; i++) {
    const year = r.int(1956, 2024);
    const birth = addDays({ y: year, m: 1, d: 1 }, r.int(0, 364));
    const sex: Sex = r.chance(0.5) ? 'male' : 'female';
    const father = drawName(r, 'male', year - r.int(20, 40));
    const district = r.pick(districts);
    const place = drawAddress(r, district.key, year);
    const registered = addDays(birth, r.int(3, 60));
    const written = writePlace(placeParts(place, registered), r.pick(['full', 'abbrev', 'bare'] as const));
    yield {
      id: `S${String(i + 1).padStart(8, '0')}`,
      registerType: 'birth',
      fields: {
        fullName: fullName(drawName(r, sex, year, father.surname)),
        sex,
        birthDate: isoDate(birth),
        birthPlace: written,
        motherName: fullName(drawName(r, 'female', year - 25)),
        motherBirthYear: String(year - r.int(18, 40)),
        fatherName: fullName(father),
        fatherBirthYear: String(year - r.int(20, 45)),
        motherResidence: written,
        registrationDate: isoDate(registered),
      },
    };
  }
}

/** Incoming entries: half copies of existing records (some re-spelt), half people the database lacks. */
export function incomingEntries(count: number, existing: readonly ExistingRecord[], seed: number): Record<string, string>[] {
  const r = new Rng(seed);
  const fresh = syntheticExisting(count, seed + 1);
  return Array.from({ length: count }, () => {
    const other = fresh.next().value as ExistingRecord;
    if (!r.chance(0.5)) return other.fields as Record<string, string>;
    const fields = { ...(r.pick(existing).fields as Record<string, string>) };
    if (r.chance(0.3)) fields.fullName = swapTonePlacement(fields.fullName ?? '');
    if (r.chance(0.1)) fields.birthDate = (fields.birthDate ?? '').slice(0, 4);
    return fields;
  });
}

async function writeJsonl(path: string, records: Iterable<ExistingRecord>, keep: ExistingRecord[], keepEvery: number): Promise<void> {
  const out = createWriteStream(path);
  let i = 0;
  for (const record of records) {
    if (i++ % keepEvery === 0) keep.push(record);
    if (!out.write(`${JSON.stringify(record)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

/** Pages of incoming entries in one book, as extraction leaves them (status `extracted`). */
export async function insertIncoming(db: Database, entries: Record<string, string>[]): Promise<number[]> {
  const [office] = await db.query<{ id: number }>(`insert into registry_office (code, name) values ('bench', 'bench') returning id`);
  const [book] = await db.query<{ id: number }>(`insert into book (office_id, register_type, book_no) values ($1, 'birth', 'bench') returning id`, [office!.id]);
  const [upload] = await db.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'bench', 'bench', 0, 'bench') returning id`, [book!.id]);
  const pageIds: number[] = [];
  for (let p = 0; p * ENTRIES_PER_PAGE < entries.length; p++) {
    const [page] = await db.query<{ id: number }>(`insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, $3, $4, 'extracted') returning id`, [book!.id, upload!.id, p, `p${p + 1}`]);
    pageIds.push(page!.id);
    for (const [seq, fields] of entries.slice(p * ENTRIES_PER_PAGE, (p + 1) * ENTRIES_PER_PAGE).entries()) {
      // numbered, as a read entry is (an entry without a sure number is never auto-linked)
      const [entry] = await db.query<{ id: number }>(
        `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type) values ($1, $2, $3, $4, 2000, $5, 'birth') returning id`,
        [book!.id, page!.id, seq, [page!.id], p * ENTRIES_PER_PAGE + seq + 1],
      );
      const pairs = Object.entries(fields);
      await db.query(
        `insert into entry_field (entry_id, field, raw, value, confidence, status) select $1, f, v, v, 1, 'auto_accepted' from unnest($2::text[], $3::text[]) as u(f, v)`,
        [entry!.id, pairs.map(([k]) => k), pairs.map(([, v]) => v)],
      );
    }
  }
  return pageIds;
}

/** Runs the match stage over the pages, `workers` pages at a time, each in its own transaction. */
async function matchPages(db: Database, pageIds: number[], workers: number): Promise<{ seconds: number; cpuSeconds: number }> {
  await db.query(`delete from match_candidate; delete from entry_match_key; update page set status = 'extracted'`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < pageIds.length) {
        const pageId = pageIds[next++]!;
        await db.transaction((sql) => matchStage.run({ pageId }, { instance: 'bench', sql }));
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

/**
 * Imports `existing` synthetic records (a tenth first, to time the same incoming entries against both
 * sizes) and matches `incoming` entries against them with `workers` concurrent match workers.
 */
export async function benchMatch(serverUrl: string, options: { existing: number; incoming: number; workers: number; seed?: number }, say: (line: string) => void): Promise<MatchBench> {
  const seed = options.seed ?? 2026;
  const scratch = await createScratchDatabase(serverUrl, 'civreg_benchmatch');
  const dir = await mkdtemp(join(tmpdir(), 'civreg-bench-match-'));
  try {
    const { db } = scratch;
    const small = Math.round(options.existing / 10);
    const kept: ExistingRecord[] = [];
    const all = syntheticExisting(options.existing, seed);
    const take = function* (n: number) {
      for (let i = 0; i < n; i++) {
        const next = all.next();
        if (next.done) return;
        yield next.value;
      }
    };
    const keepEvery = Math.max(1, Math.floor(small / options.incoming));
    await writeJsonl(join(dir, 'part1.jsonl'), take(small), kept, keepEvery);
    await writeJsonl(join(dir, 'part2.jsonl'), take(options.existing - small), [], options.existing);
    say(`match: ${options.existing} synthetic existing records written`);

    const importStarted = performance.now();
    const first = await importExisting(db, join(dir, 'part1.jsonl'), 'jsonl');
    const entries = incomingEntries(options.incoming, kept, seed + 7);
    const pageIds = await insertIncoming(db, entries);
    await db.query('analyze');
    const { seconds: smallSeconds } = await matchPages(db, pageIds, options.workers);
    say(`match: ${options.incoming} entries against ${small} existing records in ${smallSeconds.toFixed(1)} s`);

    const secondStarted = performance.now();
    const second = await importExisting(db, join(dir, 'part2.jsonl'), 'jsonl');
    const importSeconds = (performance.now() - secondStarted) / 1000 + (secondStarted - importStarted) / 1000;
    const imported = first.inserted + second.inserted;
    say(`match: imported ${imported} records in ${importSeconds.toFixed(1)} s`);
    await db.query('analyze');
    const { seconds, cpuSeconds } = await matchPages(db, pageIds, options.workers);
    say(`match: ${options.incoming} entries against ${imported} existing records in ${seconds.toFixed(1)} s`);
    const [counts] = await db.query<{ links: number; reviews: number }>(
      `select count(*) filter (where decision = 'link')::int as links, count(*) filter (where decision = 'review')::int as reviews from match_candidate`,
    );
    return {
      existing: imported,
      incoming: options.incoming,
      seconds: Math.round(seconds * 10) / 10,
      nodeCpuSeconds: Math.round(cpuSeconds * 10) / 10,
      loadAverage: Math.round(loadavg()[0]! * 10) / 10,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      growth: [{ existing: first.inserted, seconds: Math.round(smallSeconds * 10) / 10 }, { existing: imported, seconds: Math.round(seconds * 10) / 10 }],
      import: { rows: imported, seconds: Math.round(importSeconds), rowsPerSecond: Math.round(imported / importSeconds) },
      links: counts!.links,
      reviews: counts!.reviews,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await scratch.drop();
  }
}
