import type { FastifyInstance } from 'fastify';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealRecord } from '../../src/certified/extract.ts';
import { FIELD_LABELS } from '../../src/review/field-rules.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/auth/accounts.ts';
import { checkBook } from '../../src/extract/book-checks.ts';
import { keyedFields, keyMissingEntry, KeyingRefusal } from '../../src/review/keying.ts';
import { createLocalBlobStore } from '../../src/store/blobs.ts';
import type { TestPipeline } from '../helpers/services.ts';
import { seedUnreadPage } from './review-seed.ts';
import { ensureBook } from '../../src/db/books.ts';
import { addAccount, as, signIn, startWebDesk, type Browser } from './web-helpers.ts';
import { buildServer } from '../../src/http/server.ts';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('keying an entry extraction did not find', () => {
  let p: TestPipeline;
  let app: FastifyInstance;
  let hoa: Browser;
  let lan: Browser;
  let khanh: Browser;
  let minh: Browser;
  beforeAll(async () => {
    ({ p, app, sessions: [hoa, lan, minh] } = await startWebDesk([['hoa', 'verifier', ['HBT']], ['lan', 'staff', ['HBT']], ['minh', 'supervisor', ['HBT']]]));
    // a verifier of another office
    await ensureBook(p.services.db, { officeCode: 'DD', officeName: 'Quận Đống Đa', registerType: 'birth', bookNo: '01', yearFrom: 2012 });
    await addAccount(p.services.db, 'khanh', 'verifier', ['DD']);
    khanh = (await signIn(app, 'khanh')).session;
  });
  afterAll(async () => {
    await app?.close();
    await p?.close();
  });
  const issues = (bookId: number) => p.services.db.query<{ kind: string; pageId: number; status: string; detail: Record<string, unknown> }>(
    `select kind, page_id as "pageId", status, detail from book_issue where book_id = $1 order by id`, [bookId]);

  it('stores the entry verified by the verifier, matches it, audits it and runs the book checks again', async () => {
    const db = p.services.db;
    const { bookId, pageIds: [first] } = await seedUnreadPage(db, p.services.blobs, { bookNo: 'db' });
    // the person the unread entry is about is already in the electronic database
    await db.query(`insert into registry_office (code, name) values ('eval', 'eval') on conflict do nothing`);
    const { loadExisting } = await import('../../src/eval/match.ts');
    const { oneBookCorpus } = await import('../helpers/corpus.ts');
    await loadExisting(db, oneBookCorpus([], { existing: [{ id: 'E-3', registerType: 'birth', registeredAt: 'Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội',
      fields: { fullName: 'Lê Văn Cường', birthDate: '2012-04-02', sex: 'male', motherName: 'Phạm Thị Hạnh', fatherName: 'Lê Văn Dũng', registrationDate: '2012-05-10' } }] }));
    await db.transaction((tx) => checkBook(tx, bookId));
    // entry 3 is on the first page, unread: no gap is claimed for it
    expect(await issues(bookId)).toEqual([{ kind: 'entry_not_read', pageId: first, status: 'open', detail: { expected: 3, found: 2, missing: 1 } }]);

    const account: Account = { id: 0, name: 'hoa', role: 'verifier', allOffices: false, officeIds: [(await db.query<{ id: number }>(`select office_id as id from book where id = $1`, [bookId]))[0]!.id], mustChangePassword: false };
    const { entryId } = await keyMissingEntry(db, account, { pageId: first, entryNo: '3', fields: {
      fullName: 'lê văn cường', sex: 'nam', birthDate: '2/4/2012', motherName: 'Phạm Thị Hạnh', fatherName: 'Lê Văn Dũng', registrationDate: '10/5/2012', hometown: '' }, marks: { birthPlace: 'blank' } });
    const fields = await db.query<{ field: string; value: string; source: string; status: string; verifiedBy: string }>(
      `select field, value, source, status, verified_by as "verifiedBy" from entry_field where entry_id = $1 order by field`, [entryId]);
    expect(fields).toHaveLength(8);
    expect(fields.every((f) => f.source === 'verifier' && f.status === 'verified' && f.verifiedBy === 'hoa')).toBe(true);
    // the line the verifier saw empty in the book is a verified field without a value
    expect(Object.fromEntries(fields.map((f) => [f.field, f.value]))).toMatchObject({ entryNo: '3', fullName: 'Lê Văn Cường', sex: 'male', birthDate: '2012-04-02', registrationDate: '2012-05-10', birthPlace: null });
    // on the extract, only the line marked «Sổ để trống» says the book has nothing there; a line passed over
    // with Enter is not a statement about the book (a slip would certify a blank): it stays unchecked
    const { content } = await sealRecord(db, await mkdtemp(join(tmpdir(), 'civreg-keys-')), entryId);
    const rows = content.sections.flatMap((s) => s.rows);
    expect(rows.find((r) => r.label === FIELD_LABELS.birthPlace)).toMatchObject({ missing: 'not_written' });
    expect(rows.find((r) => r.label === FIELD_LABELS.hometown)).toMatchObject({ missing: 'not_checked' });
    const [entry] = await db.query(`select page_id as "pageId", year, entry_no as "entryNo", status, keyed_by as "keyedBy" from entry where id = $1`, [entryId]);
    expect(entry).toEqual({ pageId: first, year: 2012, entryNo: 3, status: 'verified', keyedBy: 'hoa' });
    // matched like any entry: a link to the existing record (every field trusted, a full date and parents vouch)
    const pairs = await db.query<{ decision: string }>(`select c.decision from match_candidate c join existing_record r on r.id = c.existing_record_id where c.entry_id = $1 and r.source_id = 'E-3'`, [entryId]);
    expect(pairs).toEqual([{ decision: 'link' }]);
    const audit = await db.query<{ actor: string; detail: Record<string, unknown> }>(`select actor, detail from audit_event where action = 'entry_keyed' and object_id = $1`, [String(entryId)]);
    expect(audit).toEqual([{ actor: 'hoa', detail: { pageId: first, fields: 8, empty: 1 } }]);
    // the page's count is met: no issue left, and no gap
    expect(await issues(bookId)).toEqual([]);
  });

  it('refuses a value against the field rules, a number the book has, and a field the register lacks', async () => {
    const db = p.services.db;
    const { pageIds: [first] } = await seedUnreadPage(db, p.services.blobs, { bookNo: 'bad' });
    const account: Account = { id: 0, name: 'hoa', role: 'verifier', allOffices: true, officeIds: [], mustChangePassword: false };
    const refusal = (fields: Record<string, string>, entryNo = '3') => keyMissingEntry(db, account, { pageId: first, entryNo, fields }).then(() => null, (e: unknown) => e instanceof KeyingRefusal ? [e.code, e.field] : e);
    expect(await refusal({ birthDate: '31/2/2012' })).toEqual(['bad_value', 'birthDate']);
    // a unit cut short is refused here as on the review screen (src/review/value-check.ts)
    expect(await refusal({ birthPlace: 'Phường Bạch, Quận Hai Bà Trưng, Hà Nội' })).toEqual(['bad_value', 'birthPlace']);
    expect(await refusal({ fullName: 'An' }, '2')).toEqual(['entry_exists', 'entryNo']);
    expect(await refusal({ fullName: 'An' }, 'ba')).toEqual(['entry_no_required', 'entryNo']);
    expect(await refusal({ deathCause: 'x' })).toEqual(['unknown_field', 'deathCause']);
    expect(await refusal({ registrationDate: '1/1/2011' })).toEqual(['year_outside_book', 'registrationDate']);
    expect(await db.query(`select 1 from entry where page_id = $1 and keyed_by is not null`, [first])).toEqual([]);
  });

  it('refuses an entry that leaves a required field empty unless the verifier says why, and stores what they said', async () => {
    const db = p.services.db;
    const { pageIds: [first] } = await seedUnreadPage(db, p.services.blobs, { bookNo: 'half' });
    const account: Account = { id: 0, name: 'hoa', role: 'verifier', allOffices: true, officeIds: [], mustChangePassword: false };
    const half = { fullName: 'Lê Văn Cường', birthDate: '2/4/2012', registrationDate: '10/5/2012' };
    const key = (marks: Record<string, 'blank' | 'unreadable'>, fields: Record<string, string> = half) =>
      keyMissingEntry(db, account, { pageId: first, entryNo: '3', fields, marks }).then((r) => r, (e: unknown) => e instanceof KeyingRefusal ? [e.code, e.field] : e);
    // sex, place of birth and the mother's name are required lines of a birth entry
    expect(await key({})).toEqual(['required_field_empty', 'sex']);
    expect(await key({ sex: 'blank', birthPlace: 'unreadable' })).toEqual(['required_field_empty', 'motherName']);
    expect(await key({ sex: 'blank', fullName: 'blank', birthPlace: 'blank', motherName: 'blank' })).toEqual(['mark_with_value', 'fullName']);
    // no record lacks the person's name: «Sổ để trống» is refused there, as on the review screen
    const { fullName: _, ...nameless } = half;
    expect(await key({ sex: 'blank', fullName: 'blank', birthPlace: 'blank', motherName: 'blank' }, nameless)).toEqual(['blank_refused', 'fullName']);
    expect(await db.query(`select 1 from entry where page_id = $1 and keyed_by is not null`, [first])).toEqual([]);
    const { entryId } = await key({ sex: 'blank', birthPlace: 'unreadable', motherName: 'blank' }) as { entryId: number };
    const fields = await db.query<{ field: string; value: string | null; status: string }>(
      `select field, value, status from entry_field where entry_id = $1 and field in ('sex', 'birthPlace', 'motherName', 'fullName') order by field`, [entryId]);
    expect(fields).toEqual([
      { field: 'birthPlace', value: null, status: 'unreadable' },
      { field: 'fullName', value: 'Lê Văn Cường', status: 'verified' },
      { field: 'motherName', value: null, status: 'verified' },
      { field: 'sex', value: null, status: 'verified' },
    ]);
  });

  it('offers the printed form’s fields of the register and era', () => {
    expect(keyedFields('birth', '2006-2015').slice(0, 4)).toEqual(['fullName', 'sex', 'birthDate', 'birthPlace']);
    expect(keyedFields('birth', '2006-2015')).not.toContain('idNumber');
    expect(keyedFields('birth', '2016-')).toContain('idNumber');
    // books before 1999 asked parents' ages: keyed as written, stored as birth years
    expect(keyedFields('birth', '1961-1998')).toEqual(expect.arrayContaining(['fatherAge', 'motherAge']));
    expect(keyedFields('birth', '1961-1998')).not.toContain('motherBirthYear');
  });

  it('keys a parent’s age as the book wrote it and stores the birth year it gives, with year precision', async () => {
    const db = p.services.db;
    const { bookId, pageIds: [first] } = await seedUnreadPage(db, p.services.blobs, { bookNo: 'ages' });
    await db.query(`update book set era = '1961-1998', year_from = 1985, year_to = 1985 where id = $1`, [bookId]);
    const account: Account = { id: 0, name: 'hoa', role: 'verifier', allOffices: true, officeIds: [], mustChangePassword: false };
    const entry = { fullName: 'Lê Văn Cường', sex: 'nam', birthPlace: 'Xã Vân Hà, Huyện Đông Anh, Hà Nội', motherName: 'Phạm Thị Hạnh', registrationDate: '10/5/1985' };
    const key = (fields: Record<string, string>) =>
      keyMissingEntry(db, account, { pageId: first, entryNo: '3', fields }).then((r) => r, (e: unknown) => e instanceof KeyingRefusal ? [e.code, e.field] : e);
    // the year comes from the child's: without it the age says nothing
    expect(await key({ ...entry, motherAge: '31 tuổi' })).toEqual(['age_needs_birth_date', 'birthDate']);
    // a year typed where the book has an age is refused, not taken for an age
    expect(await key({ ...entry, birthDate: '2/4/1985', motherAge: '1954' })).toEqual(['bad_value', 'motherAge']);
    const { entryId } = await key({ ...entry, birthDate: '2/4/1985', motherAge: '31 tuổi', fatherAge: '33' }) as { entryId: number };
    expect(await db.query(`select field, raw, value, precision from entry_field where entry_id = $1 and (field like '%BirthYear' or field = 'birthDate') order by field`, [entryId])).toEqual([
      { field: 'birthDate', raw: '2/4/1985', value: '1985-04-02', precision: 'day' },
      { field: 'fatherBirthYear', raw: '33 tuổi', value: '1952', precision: 'year' },
      { field: 'motherBirthYear', raw: '31 tuổi', value: '1954', precision: 'year' },
    ]);
  });

  it('shows a fault of ours while saving as a Vietnamese page with the entry as typed, JSON only to JSON clients', async () => {
    const { pageIds: [first] } = await seedUnreadPage(p.services.db, p.services.blobs, { bookNo: 'fault' });
    // the database refuses to save (a transaction fails), but pages still read
    const broken = buildServer({ db: { ...p.services.db, transaction: () => Promise.reject(new Error('disk full')) }, boss: p.services.boss, blobs: p.services.blobs,
      uploadDir: p.dataDir, maxUploadBytes: 1024, ocr: null, workersRunning: () => false });
    try {
      const typed = { entryNo: '3', f_fullName: 'Lê Văn Cường', f_registrationDate: '10/5/2012' };
      const page = await as(broken, hoa, { method: 'POST', url: `/pages/${first}/key-entry`, payload: form(typed), headers: { ...FORM, accept: 'text/html' } });
      expect(page.statusCode).toBe(500);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('<p class="error" role="alert" id="refusal" data-code="internal_error">Chưa lưu được: Lỗi hệ thống.');
      expect(page.body).toContain('value="Lê Văn Cường"');
      expect(page.body).not.toContain('disk full');
      const api = await as(broken, hoa, { method: 'POST', url: `/pages/${first}/key-entry`, payload: form(typed), headers: { ...FORM, accept: 'application/json' } });
      expect([api.statusCode, api.json().error]).toEqual([500, 'internal_error']);
    } finally {
      await broken.close();
    }
  });

  it('lets only verifiers of the office key, with the form’s CSRF token, and closes the page when done', async () => {
    const { bookId, pageIds: [first] } = await seedUnreadPage(p.services.db, createLocalBlobStore(p.dataDir + '/blobs'), { bookNo: 'web' });
    await p.services.db.transaction((tx) => checkBook(tx, bookId));
    // the book's page names the issue; it links to the keying screen only for those who may open it (a supervisor,
    // not staff, who would get a 403 page), on the issue's own page too
    const dashboard = await as(app, minh, { url: `/books/${bookId}`, headers: { accept: 'text/html' } });
    expect(dashboard.body).toContain(`Còn thiếu 1 mục. <a href="/pages/${first}/key-entry">Nhập mục còn thiếu</a>`);
    const forStaff = await as(app, lan, { url: `/books/${bookId}`, headers: { accept: 'text/html' } });
    expect(forStaff.body).toContain('Còn thiếu 1 mục.');
    expect(forStaff.body).not.toContain('key-entry');
    const [issueId] = (await p.services.db.query<{ id: number }>(`select id from book_issue where book_id = $1 and page_id = $2`, [bookId, first])).map((r) => r.id);
    expect((await as(app, lan, { url: `/book-issues/${issueId}`, headers: { accept: 'text/html' } })).body).not.toContain('key-entry');
    expect((await as(app, minh, { url: `/book-issues/${issueId}`, headers: { accept: 'text/html' } })).body).toContain(`<a href="/pages/${first}/key-entry">Nhập mục còn thiếu</a>`);
    const list = await as(app, hoa, { url: '/keying', headers: { accept: 'text/html' } });
    expect(list.body).toContain(`/pages/${first}/key-entry`);
    const screen = await as(app, hoa, { url: `/pages/${first}/key-entry`, headers: { accept: 'text/html' } });
    expect(screen.statusCode).toBe(200);
    expect(screen.body).toContain('Nhập mục còn thiếu');
    expect(screen.body).toContain('name="f_motherName"');
    // a function key means one thing on every screen: the keying screen's legends against review's and match review's
    const legends = (html: string) => [...html.matchAll(/<kbd>(F\d+)<\/kbd> ([^·<(.]+)/g)].map((m) => [m[1]!, m[2]!.trim()] as const);
    const screens = { keying: screen.body, review: (await as(app, hoa, { url: '/review' })).body, matches: (await as(app, hoa, { url: '/matches' })).body };
    const meaning = new Map<string, string>();
    for (const [name, html] of Object.entries(screens)) {
      expect(legends(html).length, name).toBeGreaterThan(0);
      for (const [key, text] of legends(html)) {
        expect(text, `${key} on ${name}`).toBe(meaning.get(key) ?? text);
        meaning.set(key, text);
      }
    }
    expect(new Map(legends(screens.keying))).toEqual(new Map([['F2', 'không đọc được'], ['F6', 'sổ để trống']]));
    expect(meaning.get('F3')).toBe('lấy giá trị đề xuất');
    // every required line is marked, the entry number too
    expect(screen.body).toContain('<label>Số (số thứ tự trong sổ) *<input name="entryNo"');
    expect((await as(app, lan, { url: `/pages/${first}/key-entry` })).statusCode).toBe(403);
    expect((await as(app, khanh, { url: `/pages/${first}/key-entry` })).statusCode).toBe(403);
    const post = (who: Browser, fields: Record<string, string>, csrf?: string | null) =>
      as(app, who, { method: 'POST', url: `/pages/${first}/key-entry`, payload: form(fields), headers: { ...FORM, accept: 'text/html' }, csrf });
    expect((await post(hoa, { entryNo: '3', f_fullName: 'Lê Văn Cường' }, null)).statusCode).toBe(403);
    expect((await post(khanh, { entryNo: '3', f_fullName: 'Lê Văn Cường' })).statusCode).toBe(403);
    const bad = await post(hoa, { entryNo: '3', f_fullName: 'Lê Văn Cường', f_birthDate: '31/2/2012' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('data-code="bad_value"');
    expect(bad.body).toContain('value="Lê Văn Cường"'); // nothing typed is lost
    expect(bad.body).toMatch(/name="f_birthDate" data-field="birthDate" value="31\/2\/2012" aria-invalid="true"[^>]*><small class="check"[^>]*><\/small><small class="field-error"[^>]*data-code="bad_value" data-field="f_birthDate">/);
    // the field at fault is named before the refusal, without brackets nested in brackets
    expect(bad.body).toContain(`Chưa lưu được: ${FIELD_LABELS.birthDate}: Ngày 31/2/2012 không có trong lịch.`);
    const taken = await post(hoa, { entryNo: '2', f_fullName: 'Lê Văn Cường', f_registrationDate: '10/5/2012', m_sex: 'blank', m_birthDate: 'unreadable', m_birthPlace: 'blank', m_motherName: 'blank' });
    expect(taken.body).toContain('data-code="entry_exists"');
    expect(taken.body).toContain('Sổ đã có mục mang số này trong năm này. Hãy kiểm tra lại số thứ tự.');
    expect(taken.body).not.toMatch(/\([^()<]*\([^()<]*\)\)/);
    // half an entry is refused, as typed, the first required field left empty marked
    const half = await post(hoa, { entryNo: '3', f_fullName: 'Lê Văn Cường', f_registrationDate: '10/5/2012', m_sex: 'blank' });
    expect(half.statusCode).toBe(400);
    expect(half.body).toMatch(/name="f_birthDate"[^>]*aria-invalid="true"/);
    expect(half.body).toContain('data-code="required_field_empty"');
    expect(half.body).toMatch(/<select name="m_sex"[^>]*>.*<option value="blank" selected>Sổ để trống<\/option>/);
    const saved = await post(hoa, { entryNo: '3', f_fullName: 'Lê Văn Cường', f_registrationDate: '10/5/2012', m_sex: 'blank', m_birthDate: 'unreadable', m_birthPlace: 'blank', m_motherName: 'blank' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toMatch(new RegExp(`^/pages/${first}/key-entry\\?saved=\\d+$`));
    expect(await issues(bookId)).toEqual([]);
    // a page counted wrong: the verifier closes its issue, and it stays closed
    await p.services.db.query(`update page set entries_expected = 4 where id = $1`, [first]);
    await p.services.db.transaction((tx) => checkBook(tx, bookId));
    expect((await issues(bookId)).map((i) => i.status)).toEqual(['open']);
    const done = await as(app, hoa, { method: 'POST', url: `/pages/${first}/keying-done`, payload: form({}), headers: FORM });
    expect(done.statusCode).toBe(303);
    await p.services.db.transaction((tx) => checkBook(tx, bookId));
    expect((await issues(bookId)).map((i) => i.status)).toEqual(['dismissed']);
  });
});
