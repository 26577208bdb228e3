/**
 * The lookup bench's database: `records` synthetic verified birth records (the match bench's people: names
 * by generation, Hà Nội places written as of the registration day), one book per registration year, ten
 * fields each. Loaded with COPY into tables whose secondary indexes are built afterwards, then marked
 * complete; a later run with the same size, seed and layout reuses it instead of loading it again.
 */
import pg from 'pg';
import { copyRows, copyValue } from '../db/copy.ts';
import { migrate } from '../db/migrate.ts';
import { createDatabase, type Database } from '../db/sql.ts';
import { syntheticExisting } from './match.ts';

/** The bench's own database on the server; never the archive's. */
export const LOOKUP_BENCH_DATABASE = 'civreg_bench_lookup';
/** Bump when what is seeded changes, so an older bench database is rebuilt rather than reused. */
const SEED_LAYOUT = 3;
const CHUNK = 50_000;
const FIELDS = ['fullName', 'sex', 'birthDate', 'birthPlace', 'motherName', 'motherBirthYear', 'fatherName', 'fatherBirthYear', 'registrationDate', 'idNumber'] as const;
const YEARS = { from: 1950, to: 2030 };

/** A known person the bench asks for. */
export interface Target {
  fullName: string;
  birthDate: string;
  birthPlace: string;
  idNumber: string;
  year: number;
  entryNo: number;
}

export interface SeededDatabase {
  db: Database;
  /** True when a complete earlier load was reused. */
  reused: boolean;
  seedSeconds: number;
}

/** A 12-digit personal ID number unique per record: province 001, century-and-sex digit, birth year, serial. */
const idNumberOf = (serial: number, birthDate: string, sex: string) => {
  const birthYear = Number(birthDate.slice(0, 4));
  const centurySex = (birthYear >= 2000 ? 2 : 0) + (sex === 'female' ? 1 : 0);
  return `001${centurySex}${String(birthYear % 100).padStart(2, '0')}${String(serial).padStart(6, '0').slice(-6)}`;
};

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Opens the bench database, loading it first unless a complete load of the same size, seed and layout is there. */
export async function openLookupBenchDatabase(serverUrl: string, name: string, records: number, seed: number, say: (line: string) => void): Promise<SeededDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad bench database name ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const exists = await onServer(serverUrl, async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
  if (exists) {
    const db = createDatabase(url.toString(), { max: 20, applicationName: 'civreg-bench' });
    const marked = await db
      .query<{ records: number; seed: number; layout: number }>('select records, seed, layout from bench_seed')
      .then(([m]) => m?.records === records && m.seed === seed && m.layout === SEED_LAYOUT, () => false);
    if (marked) {
      await migrate(db);
      say(`lookup: reusing ${records} records in database ${name}`);
      await ensurePeopleTable(db);
      return { db, reused: true, seedSeconds: 0 };
    }
    await db.close();
    await onServer(serverUrl, (c) => c.query(`drop database ${name} with (force)`));
  }
  await onServer(serverUrl, (c) => c.query(`create database ${name} encoding 'UTF8' template template0`));
  const db = createDatabase(url.toString(), { max: 20, applicationName: 'civreg-bench' });
  await migrate(db);
  const started = performance.now();
  await seed_(db, records, seed, say);
  const seedSeconds = (performance.now() - started) / 1000;
  say(`lookup: ${records} verified records loaded in ${seedSeconds.toFixed(0)} s`);
  await ensurePeopleTable(db);
  return { db, reused: false, seedSeconds };
}

async function seed_(db: Database, records: number, seed: number, say: (line: string) => void): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query(`set synchronous_commit = off; set maintenance_work_mem = '256MB'`);
    // Foreign keys are known to hold (the books and pages are made here): skip their per-row checks when allowed.
    await client.query('set session_replication_role = replica').catch(() => {});
    const [office] = (await client.query<{ id: number }>(`insert into registry_office (code, name) values ('BENCH', 'Quận Bench') returning id`)).rows;
    const books = (
      await client.query<{ year: number; bookId: number; pageId: number }>(
        `with b as (insert into book (office_id, register_type, book_no, year_from, year_to)
                    select $1, 'birth', '01', y, y from generate_series($2::int, $3::int) y returning id, year_from),
              u as (insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by)
                    select id, 1, 'bench', 'bench', 0, 'bench' from b returning id, book_id)
         insert into page (book_id, upload_id, file_index, label, status)
         select u.book_id, u.id, 0, 'bench', 'routed' from u
         returning (select year_from from b where b.id = page.book_id) as year, book_id as "bookId", id as "pageId"`,
        [office!.id, YEARS.from, YEARS.to],
      )
    ).rows;
    const bookOf = new Map(books.map((b) => [b.year, { ...b, next: 1 }]));
    // Secondary indexes are built once at the end: far cheaper than maintaining them row by row.
    const indexes = (
      await client.query<{ name: string; definition: string }>(
        `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
           from pg_index i where i.indrelid in ('entry'::regclass, 'entry_field'::regclass)
            and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
      )
    ).rows;
    for (const index of indexes) await client.query(`drop index ${index.name}`);

    const generator = syntheticExisting(records, seed);
    let serial = 0;
    while (serial < records) {
      const entryLines: string[] = [];
      const fieldLines: string[] = [];
      for (let next = generator.next(); !next.done; next = generator.next()) {
        serial++;
        const fields = next.value.fields as Record<string, string>;
        const year = Math.min(YEARS.to, Math.max(YEARS.from, Number((fields.registrationDate ?? '2000').slice(0, 4))));
        const book = bookOf.get(year)!;
        const entryNo = book.next++;
        fields.idNumber = idNumberOf(serial, fields.birthDate!, fields.sex!);
        entryLines.push(`${serial}\t${book.bookId}\t${book.pageId}\t${entryNo}\t{${book.pageId}}\t${year}\t${entryNo}\tbirth\tverified`);
        for (const key of FIELDS) {
          const value = fields[key];
          if (value !== undefined) fieldLines.push(`${serial}\t${key}\t${copyValue(value)}\t${copyValue(value)}\t1\tverifier\tverified\tbench\tnow`);
        }
        if (serial % CHUNK === 0) break;
      }
      await copyRows(client, 'entry (id, book_id, page_id, seq, page_ids, year, entry_no, register_type, status)', entryLines);
      await copyRows(client, 'entry_field (entry_id, field, raw, value, confidence, source, status, verified_by, verified_at)', fieldLines);
      if (serial % (CHUNK * 4) === 0) say(`lookup: ${serial}/${records} records copied`);
    }
    say('lookup: building indexes');
    for (const index of indexes) await client.query(index.definition);
    await client.query(`select setval(pg_get_serial_sequence('entry', 'id'), $1)`, [records + 1]);
    await client.query('vacuum analyze entry');
    await client.query('vacuum analyze entry_field');
    await client.query('create table bench_seed (records int not null, seed int not null, layout int not null, at timestamptz not null default now())');
    await client.query('insert into bench_seed (records, seed, layout) values ($1, $2, $3)', [records, seed, SEED_LAYOUT]);
  } finally {
    await client.query('reset session_replication_role').catch(() => {});
    client.release();
  }
}

/**
 * The bench's own copy of what it asks about each record (`bench_person`, made once per database): the
 * people to ask for are read from here, not from `entry_field`, so choosing them does not bring the very
 * pages the API will read into the cache before it is measured.
 */
async function ensurePeopleTable(db: Database): Promise<void> {
  const [present] = await db.query<{ ok: boolean }>(`select to_regclass('bench_person') is not null as ok`);
  if (present!.ok) return;
  await db.transaction(async (tx) => {
    await tx.query(
      `create table bench_person as
         select e.id, e.year, e.entry_no as "entryNo", jsonb_object_agg(f.field, f.value) as fields
           from entry e join entry_field f on f.entry_id = e.id
          where f.field in ('fullName', 'birthDate', 'birthPlace', 'idNumber') group by e.id`,
    );
    await tx.query('alter table bench_person add primary key (id)');
  });
}

/** These records (ids 1…records) as known people to ask for (from `bench_person`). */
export async function loadTargets(db: Database, ids: number[]): Promise<Target[]> {
  const rows = await db.query<{ year: number; entryNo: number; fields: Record<string, string> }>(
    `select year, "entryNo", fields from bench_person where id = any($1::bigint[])`,
    [ids],
  );
  return rows.map((r) => ({ fullName: r.fields.fullName!, birthDate: r.fields.birthDate!, birthPlace: r.fields.birthPlace!, idNumber: r.fields.idNumber!, year: r.year, entryNo: r.entryNo }));
}

/** Drops a bench database (tests use one of their own). */
export async function dropBenchDatabase(serverUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad bench database name ${name}`);
  await onServer(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
}
