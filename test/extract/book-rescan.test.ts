import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBook, recheckBookAfterDecision } from '../../src/extract/book-checks.ts';
import { encodeFingerprint, fingerprintPage } from '../../src/imaging/fingerprint.ts';
import type { Account } from '../../src/auth/accounts.ts';
import { reviewStats } from '../../src/review/stats.ts';
import { createLocalBlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { seedEntry } from '../http/review-seed.ts';
import { formPage } from '../imaging/fingerprint-pages.ts';

describe('book checks: a page scanned twice, found by its pixels', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'civreg-rescan-'));
  });
  afterAll(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('raises the second scan once, keeps its entry out of the numbering, and keeps the finding when a person decides a number', async () => {
    const blobs = createLocalBlobStore(dir);
    // hand-written numbers the machine was unsure of: the number checks cannot see the rescan
    const seeded = [];
    for (const [entryNo, seed] of [[20, 1], [21, 2], [22, 3], [22, 3], [23, 4]] as const) {
      const entry = await seedEntry(t.db, blobs, { entryNo, fields: [{ field: 'entryNo', value: String(entryNo), reasons: ['handwritten'] }, { field: 'fullName', value: 'Trần Văn An' }] });
      const moved = seeded.length === 3 ? { dx: 6, dy: -4, speckle: 0.002 } : undefined;
      await t.db.query('update page set fingerprint = $2 where id = $1', [entry.pageId, encodeFingerprint(await fingerprintPage(await formPage(seed, moved)))]);
      seeded.push(entry);
    }
    const issues = () => t.db.query<{ kind: string; pageId: number; detail: Record<string, unknown> }>(`select kind, page_id::int as "pageId", detail from book_issue order by id`);

    const verifier = { id: 0, name: 'test', allOffices: true, officeIds: [] } as unknown as Account;
    expect((await reviewStats(t.db, verifier)).queued).toBe(5);
    await checkBook(t.db, seeded[0]!.bookId);
    expect((await issues()).filter((i) => i.kind === 'duplicate_page')).toEqual([
      { kind: 'duplicate_page', pageId: seeded[3]!.pageId, detail: { of: seeded[2]!.pageId, similarImage: expect.any(Number) } },
    ]);
    // the second scan's entry is not put before a verifier: its first scan's is
    expect((await reviewStats(t.db, verifier)).queued).toBe(4);

    // a person confirms the numbers: 22 twice is the rescan, not a repeat in the numbering
    await t.db.query(`update entry_field set status = 'verified', source = 'verifier' where field = 'entryNo'`);
    await recheckBookAfterDecision(t.db, seeded[3]!.entryId, 'entryNo');
    const after = await issues();
    expect(after.filter((i) => i.kind === 'duplicate_page').map((i) => i.pageId)).toEqual([seeded[3]!.pageId]);
    expect(after.filter((i) => i.kind === 'entry_repeat')).toEqual([]);
  });

  it('never takes two pages whose entry numbers were read surely and differ for one page, however alike their ink', async () => {
    const blobs = createLocalBlobStore(dir);
    const seeded = [];
    // printed pages of one form with similar values can look alike at the fingerprint's grid
    for (const [entryNo, seed] of [[30, 5], [31, 6], [32, 6], [33, 7]] as const) {
      const entry = await seedEntry(t.db, blobs, { bookNo: '02', entryNo, fields: [{ field: 'entryNo', value: String(entryNo) }, { field: 'fullName', value: 'Trần Văn An' }] });
      await t.db.query(`update entry_field set status = 'auto_accepted' where entry_id = $1 and field = 'entryNo'`, [entry.entryId]);
      await t.db.query('update page set fingerprint = $2 where id = $1', [entry.pageId, encodeFingerprint(await fingerprintPage(await formPage(seed)))]);
      seeded.push(entry);
    }
    await checkBook(t.db, seeded[0]!.bookId);
    const [page] = await t.db.query<{ rescanOf: number | null }>('select rescan_of::int as "rescanOf" from page where id = $1', [seeded[2]!.pageId]);
    expect(page!.rescanOf).toBe(seeded[1]!.pageId);
    const issues = await t.db.query<{ kind: string }>(`select kind from book_issue where book_id = $1`, [seeded[0]!.bookId]);
    expect(issues.filter((i) => i.kind === 'duplicate_page')).toEqual([]);
  });

  it('keeps a page whose printed number repeats an earlier page out of the numbering, though its entry number was read otherwise', async () => {
    const blobs = createLocalBlobStore(dir);
    const seeded = [];
    // pages 72–75, then 73 again; the first scan of 73 had its number misread (306) and not accepted
    for (const [entryNo, printed, sure] of [[302, 72, true], [306, 73, false], [304, 74, true], [305, 75, true], [303, 73, true]] as const) {
      const entry = await seedEntry(t.db, blobs, { bookNo: '03', year: 2012, entryNo, fields: [{ field: 'entryNo', value: String(entryNo), ...(sure ? {} : { reasons: ['handwritten'] }) }] });
      await t.db.query('update page set printed_page_no = $2 where id = $1', [entry.pageId, printed]);
      seeded.push(entry);
    }
    await checkBook(t.db, seeded[0]!.bookId);
    const issues = await t.db.query<{ kind: string; pageId: number }>(`select kind, page_id::int as "pageId" from book_issue where book_id = $1 order by id`, [seeded[0]!.bookId]);
    expect(issues).toEqual([{ kind: 'duplicate_page', pageId: seeded[4]!.pageId }]);
  });
});
