import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook } from '../../src/db/books.ts';
import { checkBook } from '../../src/extract/book-checks.ts';
import type { buildServer } from '../../src/http/server.ts';
import { seedBook, seedEntry } from '../api/seed.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

const OFFICE = { officeCode: 'KL', officeName: 'Phường Kim Liên, Quận Đống Đa' };

describe('a change tied to its original by a supervisor', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let thu: Browser;
  let changeBook: { bookId: number; pageId: number };
  let originalBook: { bookId: number; pageId: number };
  let change: { id: number };
  let original: { id: number };
  let issueId: number;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    const db = p.services.db;
    originalBook = await seedBook(db, { ...OFFICE, registerType: 'birth', bookNo: '01', yearFrom: 1999 });
    original = await seedEntry(db, originalBook, { year: 1999, entryNo: 45, registerType: 'birth', fields: { fullName: 'Nguyễn Văn Bình', sex: 'male', registrationDate: '1999-03-10' } });
    // the register wrote the person under another name: the machine holds the change (name_disagrees)
    changeBook = await seedBook(db, { ...OFFICE, registerType: 'change', bookNo: '02', yearFrom: 2012 });
    change = await seedEntry(db, changeBook, {
      year: 2012, entryNo: 7, registerType: 'change',
      fields: {
        personName: 'Trần Văn Bình', refType: 'Khai sinh', refEntryNo: '45', refBookNo: '01', refDate: '1999-03-10', refOffice: OFFICE.officeName,
        changeContent: 'Cải chính họ, chữ đệm, tên', oldValue: '', newValue: 'Nguyễn Văn Bính', registrationDate: '2012-05-02',
      },
    });
    await db.transaction((tx) => checkBook(tx, changeBook.bookId));
    [{ id: issueId }] = (await db.query<{ id: number }>(`select id from book_issue where kind = 'change_unresolved' and entry_id = $1 and status = 'open'`, [change.id])) as [{ id: number }];
    await addAccount(db, 'thu', 'supervisor', ['KL']);
    await addAccount(db, 'lan', 'staff', ['KL']);
    thu = (await signIn(app, 'thu')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const tie = (s: Browser, form: Record<string, string>) =>
    as(app, s, { method: 'POST', url: `/book-issues/${issueId}/tie`, payload: new URLSearchParams({ _csrf: s.csrf!, ...form }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, csrf: null });
  const form = (over: Record<string, string> = {}) => ({
    registerType: 'birth', officeId: '0', bookNo: '01', year: '1999', entryNo: '45', kind: 'correction', field: 'fullName',
    oldValue: '', newValue: 'Nguyễn Văn Bính', date: '2/5/2012', note: 'Đối chiếu bản gốc: sổ thay đổi ghi nhầm họ', ...over,
  });
  const officeId = async () => String((await p.services.db.query<{ id: number }>(`select id from registry_office where code = 'KL'`))[0]!.id);

  it('shows the change as read with a form filled in from its reference, to supervisors only', async () => {
    const page = (await as(app, thu, { url: `/book-issues/${issueId}` })).body;
    expect(page).toContain('Trần Văn Bình');
    expect(page).toContain('<option value="birth" selected>Khai sinh</option>');
    expect(page).toMatch(/name="year" required inputmode="numeric" value="1999"/);
    expect(page).toMatch(/name="entryNo" required inputmode="numeric" value="45"/);
    expect(page).toContain('<option value="correction" selected>Cải chính</option>');
    expect(page).toMatch(/<optgroup label="Khai sinh">[^]*?<option value="fullName" selected>/);
    // what was read is chosen; the empty first choice is not (it is there for what the machine could not read)
    expect(page).toContain('<select name="field" required><option value="">— chọn —</option>');
    expect(page).toContain('<select name="registerType" required><option value="">— chọn —</option>');
    // a tie sent without choosing what the change changes is refused, not written onto the first field
    const noField = await tie(thu, form({ officeId: await officeId(), field: '', note: 'ghi theo giấy cải chính' }));
    expect(noField.statusCode).toBe(400);
    // the form again with every value as sent, the refusal beside the field not chosen
    expect(noField.body).toContain('<select name="field" required aria-invalid="true"');
    expect(noField.body).toContain('data-field="field">Hãy chọn trường được thay đổi.</small>');
    expect(noField.body).toContain('>ghi theo giấy cải chính</textarea>');
    expect(noField.body).toMatch(/name="entryNo" required inputmode="numeric" value="45"/);
    const lan = (await signIn(app, 'lan')).session;
    const staffView = (await as(app, lan, { url: `/book-issues/${issueId}` })).body;
    expect(staffView).toContain('Trần Văn Bình');
    expect(staffView).not.toContain('Ghi vào mục gốc');
    expect((await tie(lan, form({ officeId: await officeId() }))).statusCode).toBe(403);
  });

  it('refuses a reference that names no entry, or a value the field cannot hold, and writes nothing', async () => {
    const none = await tie(thu, form({ officeId: await officeId(), entryNo: '46' }));
    expect(none.statusCode).toBe(409);
    expect(none.body).toContain('data-code="change_original_not_found"');
    // an original at an office the supervisor does not cover
    const other = await ensureBook(p.services.db, { officeCode: 'BD', officeName: 'Quận Ba Đình', registerType: 'birth', bookNo: '01', yearFrom: 1999 });
    const [{ id: bd }] = (await p.services.db.query<{ id: number }>(`select office_id as id from book where id = $1`, [other])) as [{ id: number }];
    expect((await tie(thu, form({ officeId: String(bd) }))).statusCode).toBe(403);
    const badDate = await tie(thu, form({ officeId: await officeId(), field: 'birthDate', newValue: '31/2/1999' }));
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toMatch(/name="newValue" required value="31\/2\/1999" aria-invalid="true"[^>]*><small class="field-error"[^>]*data-code="bad_value" data-field="newValue">/);
    expect(none.body).toMatch(/name="entryNo" required inputmode="numeric" value="46" aria-invalid="true"/);
    expect(await p.services.db.query('select 1 from entry_event where entry_id = $1', [original.id])).toEqual([]);
  });

  it('writes the event on the original, settles the issue, and the machine does not judge the change again', async () => {
    const done = await tie(thu, form({ officeId: await officeId() }));
    expect(done.statusCode).toBe(303);
    const events = () => p.services.db.query(`select kind, field, old_value, new_value, event_date, source, source_entry_id from entry_event where entry_id = $1`, [original.id]);
    const expected = [{ kind: 'correction', field: 'fullName', old_value: 'Nguyễn Văn Bình', new_value: 'Nguyễn Văn Bính', event_date: '2012-05-02', source: 'supervisor', source_entry_id: change.id }];
    expect(await events()).toEqual(expected);
    const [issue] = await p.services.db.query(`select status, handled_note from book_issue where id = $1`, [issueId]);
    expect(issue).toEqual({ status: 'resolved', handled_note: 'Đối chiếu bản gốc: sổ thay đổi ghi nhầm họ' });
    // the change book checked again (a verifier's decision): the person's tie stands, no issue comes back
    await p.services.db.transaction((tx) => checkBook(tx, changeBook.bookId));
    expect(await events()).toEqual(expected);
    expect(await p.services.db.query(`select 1 from book_issue where entry_id = $1 and status = 'open'`, [change.id])).toEqual([]);
    const [audit] = await p.services.db.query<{ detail: Record<string, unknown> }>(`select detail from audit_event where action = 'change_tied'`);
    expect(JSON.stringify(audit!.detail)).not.toContain('Bính');
    expect((await tie(thu, form({ officeId: await officeId() }))).statusCode).toBe(409);
    // the original's book checked again: its changes are judged again, the tie stands
    await p.services.db.transaction((tx) => checkBook(tx, originalBook.bookId));
    expect(await events()).toEqual(expected);
  });

  it('undoes the tie when a re-run of extraction moved the original, and holds the change for a person again', async () => {
    // a re-read of the birth page gave the entry tied to another number: it is no longer the original named
    await p.services.db.query(`update entry set entry_no = 44 where id = $1`, [original.id]);
    await p.services.db.transaction((tx) => checkBook(tx, changeBook.bookId));
    expect(await p.services.db.query('select 1 from entry_event where source_entry_id = $1', [change.id])).toEqual([]);
    const [ref] = await p.services.db.query(`select manual, status, reason from change_reference where entry_id = $1`, [change.id]);
    expect(ref).toEqual({ manual: false, status: 'review', reason: 'original_not_found' });
    expect(await p.services.db.query(`select detail->>'reason' as reason from book_issue where entry_id = $1 and status = 'open'`, [change.id])).toEqual([{ reason: 'original_not_found' }]);
    // the issue says the tie was undone, and still does when the book is checked again
    await p.services.db.transaction((tx) => checkBook(tx, changeBook.bookId));
    const [issue] = await p.services.db.query<{ id: number }>(`select id from book_issue where entry_id = $1 and status = 'open'`, [change.id]);
    expect((await as(app, thu, { url: `/book-issues/${issue!.id}` })).body).toContain('việc gắn đã bị gỡ');
    // once the machine finds the original itself, nothing of the undone tie is left to say
    await p.services.db.query(`update entry set entry_no = 45 where id = $1`, [original.id]);
    await p.services.db.query(`update entry_field set value = 'Trần Văn Bình' where entry_id = $1 and field = 'fullName'`, [original.id]);
    await p.services.db.transaction((tx) => checkBook(tx, changeBook.bookId));
    expect(await p.services.db.query(`select status, tie_undone_at from change_reference where entry_id = $1`, [change.id])).toEqual([{ status: 'resolved', tie_undone_at: null }]);
  });
});
