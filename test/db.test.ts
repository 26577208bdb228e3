import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertUtf8, migrate } from '../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';

describe('database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    // migrated here from nothing, not copied from the run's template: the migrations themselves are under test
    t = await createTestDatabase({ fromNothing: true });
  });
  afterAll(() => t.drop());

  it('is UTF-8 and handles Vietnamese text in functions and trigram search', async () => {
    await assertUtf8(t.db);
    const [row] = await t.db.query<{ up: string; nfc: boolean; sim: number }>(
      `select upper('đức') as up, normalize(U&'Nguye\\0302\\0303n', NFC) = 'Nguyễn' as nfc, similarity('Nguyễn Thị Hoà', 'Nguyễn Thị Hòa') as sim`,
    );
    expect(row!.up).toBe('ĐỨC');
    expect(row!.nfc).toBe(true);
    expect(row!.sim).toBeGreaterThan(0.3);
  });

  it('applies each migration once, even when asked again concurrently', async () => {
    const again = await Promise.all([migrate(t.db), migrate(t.db)]);
    expect(again).toEqual([[], []]);
    const rows = await t.db.query<{ version: number }>('select version from schema_migration order by version');
    const files = (await readdir(new URL('../migrations/', import.meta.url))).filter((f) => /^\d{3}_.+\.sql$/.test(f));
    expect(rows.map((r) => r.version)).toEqual(files.map((f) => Number(f.slice(0, 3))).sort((a, b) => a - b));
    expect(rows.length).toBeGreaterThan(0);
  });

  it('refuses invalid statuses and keeps the audit trail append-only', async () => {
    await expect(t.db.query(`insert into registry_office (code, name) values ('X', 'X'); `)).resolves.toBeDefined();
    await expect(
      t.db.query(`insert into book (office_id, register_type, book_no) select id, 'divorce', '1' from registry_office where code = 'X'`),
    ).rejects.toThrow(/check constraint/);
    await t.db.query(`insert into audit_event (actor, action, object_type, object_id) values ('t', 'x', 'book', '1')`);
    await expect(t.db.query(`delete from audit_event`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`update audit_event set actor = 'y'`)).rejects.toThrow(/append-only/);
  });
});
