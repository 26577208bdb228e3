import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertNoteEvents } from '../../src/db/entries.ts';
import { parseNotes } from '../../src/extract/notes.ts';
import { settleEntry } from '../../src/review/settle.ts';
import { createLocalBlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { seedEntry } from '../http/review-seed.ts';

describe('the events of a marginal note a person read', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'civreg-note-events-'));
  });
  afterAll(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('replace the events the machine made of its own reading, and a re-run does not add the misread again', async () => {
    const misread = 'Đã chết ngày 50/11/2024, khai tử số 105 ngày 6/12/2024';
    const read = 'Đã chết ngày 30/11/2024, khai tử số 103 ngày 6/12/2024';
    const seeded = await seedEntry(t.db, createLocalBlobStore(dir), { entryNo: 577, fields: [{ field: 'notes', value: misread, reasons: ['marginal_note'] }, { field: 'fullName', value: 'Lê Phương Hà' }] });
    await insertNoteEvents(t.db, seeded.entryId, parseNotes(misread, []), true);
    const events = () => t.db.query<{ kind: string; date: string | null; raw: string; source: string }>(
      `select kind, event_date as date, raw, source from entry_event where entry_id = $1 order by id`, [seeded.entryId]);
    // the day 50 is no date: the machine's event has none
    expect(await events()).toEqual([{ kind: 'death', date: null, raw: misread, source: 'machine' }]);

    await t.db.transaction(async (tx) => {
      await tx.query(`update entry_field set value = $2, status = 'verified', source = 'verifier' where entry_id = $1 and field = 'notes'`, [seeded.entryId, read]);
      await tx.query(`update review_item set status = 'done' where id = $1`, [seeded.items.notes]);
      await settleEntry(tx, seeded.entryId, 'notes');
    });
    expect(await events()).toEqual([{ kind: 'death', date: '2024-11-30', raw: read, source: 'machine' }]);
    // extraction run again reads the note wrong again: the person's reading stands
    await insertNoteEvents(t.db, seeded.entryId, parseNotes(misread, []), true);
    expect(await events()).toEqual([{ kind: 'death', date: '2024-11-30', raw: read, source: 'machine' }]);
  });
});
