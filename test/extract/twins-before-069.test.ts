import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_REASONS } from '../../schemas/entries.ts';
import { withdrawBookTwins } from '../../src/extract/book-twins.ts';
import { createLocalBlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { seedEntry } from '../http/review-seed.ts';

describe('migration 070: values stored before the book twins\' columns (069)', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'civreg-twins070-'));
  });
  afterAll(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lets no value accepted before 069 vouch, gives legacy copies the twin the trail names, sends the others back for their own reason', async () => {
    const seed = (entryNo: number) => seedEntry(t.db, createLocalBlobStore(dir), { bookNo: '70', year: 1982, entryNo, fields: [{ field: 'registrarName', value: 'Vũ Văn Nam' }] });
    const sure = await seed(1);
    const named = await seed(2);
    const unnamed = await seed(3);
    const later = await seed(4);
    const decided = await seed(5);
    const onLegacy = await seed(6);
    const fieldId = async (entryId: number) => (await t.db.query<{ id: string }>(`select id from entry_field where entry_id = $1 and field = 'registrarName'`, [entryId]))[0]!.id;
    // three copies accepted on a twin's word before 069: the trail names the twin of two, one a person decided since,
    // one the machine accepted before 069 (which may itself have been confirmed by a copy on its page)
    await t.db.query(`update entry_field set reasons = '{twin_in_book}', confidence = 0.995 where entry_id = any($1)`, [[named.entryId, unnamed.entryId, onLegacy.entryId]]);
    await t.db.query(`update entry_field set status = 'verified', source = 'verifier' where entry_id = $1`, [decided.entryId]);
    await t.db.query(`insert into audit_event (actor, action, object_type, object_id, detail) values ('machine', 'field_accepted_by_twin', 'entry_field', $1, $2)`,
      [`${onLegacy.entryId}:registrarName`, JSON.stringify({ twinFieldId: Number(await fieldId(sure.entryId)) })]);
    await t.db.query(`update entry set status = 'verified' where id = $1`, [unnamed.entryId]);
    await t.db.query(`insert into review_item (kind, entry_id, field, priority, status) values ('field', $1, 'registrarName', 100, 'cancelled')`, [unnamed.entryId]);
    await t.db.query(`insert into audit_event (actor, action, object_type, object_id, detail) values ('machine', 'field_accepted_by_twin', 'entry_field', $1, $2)`,
      [`${named.entryId}:registrarName`, JSON.stringify({ twinFieldId: Number(await fieldId(decided.entryId)) })]);
    // all stored before 069 was applied, but the value of entry 4, read again since
    await t.db.query(`update entry_field set updated_at = now() - interval '2 days'`);
    await t.db.query(`update schema_migration set applied_at = now() - interval '1 day' where version = 69`);
    await t.db.query(`update entry_field set updated_at = now() where entry_id = $1`, [later.entryId]);

    await t.db.query(await readFile(new URL('../../migrations/070_twins_before_069.sql', import.meta.url), 'utf8'));

    const field = async (entryId: number) => (await t.db.query<{ status: string; reasons: string[]; confirmedBy: string | null; twin: string | null }>(
      `select status, reasons, confirmed_by as "confirmedBy", twin_field_id as twin from entry_field where entry_id = $1 and field = 'registrarName'`, [entryId]))[0]!;
    expect(await field(sure.entryId)).toMatchObject({ status: 'auto_accepted', confirmedBy: 'unknown' });
    expect(await field(later.entryId)).toMatchObject({ status: 'auto_accepted', confirmedBy: null });
    expect(await field(named.entryId)).toMatchObject({ status: 'auto_accepted', reasons: ['twin_in_book'], twin: await fieldId(decided.entryId) });
    expect(await field(unnamed.entryId)).toMatchObject({ status: 'review', reasons: ['twin_unrecorded'], twin: null });
    // the twin the trail names was accepted by the machine before 069: it vouches no more, and the copy goes back for that
    expect(await field(onLegacy.entryId)).toMatchObject({ status: 'auto_accepted', confirmedBy: null });
    await withdrawBookTwins(t.db, sure.bookId, new Set());
    expect(await field(onLegacy.entryId)).toMatchObject({ status: 'review', reasons: ['twin_unrecorded'], twin: null });
    expect(await field(named.entryId)).toMatchObject({ status: 'auto_accepted', reasons: ['twin_in_book'] });
    expect(await t.db.query(`select priority from review_item where entry_id = $1 and status = 'open'`, [unnamed.entryId])).toEqual([{ priority: 100 }]);
    expect((await t.db.query<{ status: string }>(`select status from entry where id = $1`, [unnamed.entryId]))[0]!.status).toBe('needs_review');
    expect(await t.db.query(`select 1 from audit_event where action = 'field_twin_withdrawn' and object_id = $1`, [`${unnamed.entryId}:registrarName`])).toHaveLength(1);
    // the reviewer reads why, in Vietnamese
    expect(ROUTE_REASONS.twin_unrecorded).toBe(ROUTE_REASONS.twin_unrecorded.normalize('NFC'));
  });
});
