import sharp from 'sharp';
import { SUGGEST_NAMES_SQL } from '../../src/review/suggest.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook } from '../../src/db/books.ts';
import { checkValue, displayValue } from '../../src/review/field-rules.js';
import { buildServer } from '../../src/http/server.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { seedEntry, storeViewCopy } from './review-seed.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

describe('field rules (shared by the screen and the server)', () => {
  it('reads typed dates with two-digit years at or before the entry year', () => {
    expect(checkValue('birthDate', '15/3/62', { pivot: 1962 })).toMatchObject({ ok: true, value: '1962-03-15', display: '15/03/1962', precision: 'day' });
    expect(checkValue('birthDate', '15/3/63', { pivot: 1962 })).toMatchObject({ ok: true, value: '1863-03-15' });
    expect(checkValue('deathDate', '3/1975', { pivot: 1980 })).toMatchObject({ ok: true, value: '1975-03', precision: 'month' });
    expect(checkValue('registrationDate', '1962', { pivot: 1962 })).toMatchObject({ ok: true, value: '1962', precision: 'year' });
    expect(checkValue('birthDate', '31/2/62', { pivot: 1962 }).ok).toBe(false);
    expect(checkValue('birthDate', '15/3/1970', { pivot: 1962 }).message).toContain('1970');
    expect(displayValue('birthDate', '1962-03-15')).toBe('15/03/1962');
  });

  it('normalises names, sex, ID numbers, years and times, and refuses what breaks the rules', () => {
    expect(checkValue('fullName', '  nguyễn   thị hoà ')).toMatchObject({ ok: true, value: 'Nguyễn Thị Hoà' });
    expect(checkValue('fullName', 'Nguyen 2').ok).toBe(false);
    expect(checkValue('fullName', 'Nguye\u0302\u0303n Văn A').value).toBe('Nguyễn Văn A'); // decomposed input stored NFC
    expect(checkValue('sex', 'nữ')).toMatchObject({ value: 'female', display: 'Nữ' });
    expect(checkValue('idNumber', '001 062 012345')).toMatchObject({ ok: true, value: '001062012345' });
    expect(checkValue('idNumber', '12345').ok).toBe(false);
    expect(checkValue('motherBirthYear', '1935', { pivot: 1962 })).toMatchObject({ ok: true, value: '1935' });
    // two figures are the age a book before 1999 shows for the parent, not a year: "27" was stored as 1927
    expect(checkValue('motherBirthYear', '27', { pivot: 1962 }).ok).toBe(false);
    expect(checkValue('motherBirthYear', '1963', { pivot: 1962 }).ok).toBe(false);
    expect(checkValue('deathTime', '7g30')).toMatchObject({ ok: true, value: '07:30' });
    expect(checkValue('fullName', '').ok).toBe(false);
  });
});

describe('review queue and decisions', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let hoa: Browser;
  let minh: Browser;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    await ensureBook(p.services.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    await ensureBook(p.services.db, { officeCode: 'BD', officeName: 'Quận Ba Đình', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    await addAccount(p.services.db, 'minh', 'verifier', ['HBT']);
    await addAccount(p.services.db, 'bac', 'verifier', ['BD']);
    hoa = (await signIn(app, 'hoa')).session;
    minh = (await signIn(app, 'minh')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const next = (s: Browser) => as(app, s, { method: 'POST', url: '/review/next', payload: {} });
  const decide = (s: Browser, itemId: number, body: Record<string, unknown>) => as(app, s, { method: 'POST', url: `/review/items/${itemId}`, payload: { ms: 1500, ...body } });

  it('hands out entries by priority, one verifier each, and only in their offices', async () => {
    const low = await seedEntry(p.services.db, p.services.blobs, { entryNo: 1, fields: [{ field: 'fullName', value: 'Nguyễn Văn An', reasons: ['low_confidence'], priority: 1 }] });
    const high = await seedEntry(p.services.db, p.services.blobs, { entryNo: 2, fields: [{ field: 'fullName', value: 'Trần Thị Bình', reasons: ['check_failed'], priority: 9 }, { field: 'sex', value: 'female' }] });
    const firstResponse = await next(hoa);
    const first = firstResponse.json();
    expect(first.entry.entryId).toBe(high.entryId);
    expect(first.entry.items).toHaveLength(1);
    expect(first.entry.items[0]).toMatchObject({ field: 'fullName', label: 'Họ, chữ đệm, tên', machine: 'Trần Thị Bình', reasons: ['Không khớp khi đối chiếu với các trường khác.'] });
    // The same verifier asking again gets the same entry back (one at a time); another gets the next one.
    expect((await next(hoa)).json().entry.entryId).toBe(high.entryId);
    expect((await next(minh)).json().entry.entryId).toBe(low.entryId);
    // A verifier of another office sees nothing.
    const bac = (await signIn(app, 'bac')).session;
    expect((await next(bac)).json().entry).toBeNull();
    // Finish both so later tests start from an empty queue.
    await decide(hoa, high.items.fullName!, { action: 'accept' });
    await decide(minh, low.items.fullName!, { action: 'accept' });
  });

  it('accepts with Enter and corrects with a checked value: verified, source verifier, machine value kept, audited, entry verified', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, {
      entryNo: 3,
      fields: [
        { field: 'fullName', value: 'Lê Văn Cường', reasons: ['low_confidence'] },
        { field: 'birthDate', value: '1962-08-15', reasons: ['words_disagree'] },
        { field: 'ethnicity', value: 'Kinh' },
      ],
    });
    const claimed = (await next(hoa)).json();
    expect(claimed.entry.items.map((i: { field: string; machine: string }) => [i.field, i.machine])).toEqual([['fullName', 'Lê Văn Cường'], ['birthDate', '15/08/1962']]);
    const accepted = await decide(hoa, seeded.items.fullName!, { action: 'accept', ms: 2100 });
    expect(accepted.json()).toMatchObject({ entryVerified: false, stats: { fieldsToday: expect.any(Number) } });
    const bad = await decide(hoa, seeded.items.birthDate!, { action: 'correct', input: '15/3/1970' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_value', message: expect.stringContaining('1970') });
    const corrected = await decide(hoa, seeded.items.birthDate!, { action: 'correct', input: '15/3/62', ms: 4300 });
    expect(corrected.json()).toMatchObject({ entryVerified: true });

    const fields = await p.services.db.query<{ field: string; value: string; machine_value: string; status: string; source: string; verified_by: string; precision: string }>(
      'select field, value, machine_value, status, source, verified_by, precision from entry_field where entry_id = $1 order by id',
      [seeded.entryId],
    );
    expect(fields).toEqual([
      expect.objectContaining({ field: 'fullName', value: 'Lê Văn Cường', machine_value: 'Lê Văn Cường', status: 'verified', source: 'verifier', verified_by: 'hoa' }),
      expect.objectContaining({ field: 'birthDate', value: '1962-03-15', machine_value: '1962-08-15', status: 'verified', source: 'verifier', precision: 'day' }),
      expect.objectContaining({ field: 'ethnicity', value: 'Kinh', status: 'auto_accepted', source: 'machine' }),
    ]);
    const [entry] = await p.services.db.query<{ status: string }>('select status from entry where id = $1', [seeded.entryId]);
    expect(entry!.status).toBe('verified');
    const audit = await p.services.db.query<{ action: string; detail: { ms: number } }>(
      `select action, detail from audit_event where object_type = 'entry_field' and object_id like $1 order by id`,
      [`${seeded.entryId}:%`],
    );
    expect(audit.map((a) => a.action)).toEqual(['review_accept', 'review_correct']);
    expect(audit[1]!.detail.ms).toBe(4300);
    // Audit details carry no personal data.
    expect(JSON.stringify(audit)).not.toContain('Cường');
    const stats = (await next(hoa)).json().stats;
    expect(stats).toMatchObject({ itemsLastHour: 3, fieldsToday: 3 });
    expect(stats.medianMsToday).toBeGreaterThan(0);
  });

  it('refuses to verify a place whose unit is cut short unless the verifier confirms the book says so', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, {
      officeCode: 'CS', entryNo: 4,
      fields: [
        { field: 'birthPlace', value: 'Phường Bạch, Quận Hai Bà Trưng, Hà Nội', reasons: ['low_confidence'] },
        { field: 'motherResidence', value: 'Hà Nội', reasons: ['low_confidence'] },
      ],
    });
    await addAccount(p.services.db, 'vy', 'verifier', ['CS']);
    const vy = (await signIn(app, 'vy')).session;
    expect((await next(vy)).json().entry.entryId).toBe(seeded.entryId);
    // accepting the machine's reading: refused, with the units it may be the start of
    const accepted = await decide(vy, seeded.items.birthPlace!, { action: 'accept' });
    expect(accepted.statusCode).toBe(409);
    expect(accepted.json()).toMatchObject({ error: 'place_cut_short', message: expect.stringContaining('«Phường Bạch» không phải tên một đơn vị hành chính mà chỉ là phần đầu của tên «Bạch Mai»') });
    const fieldOf = async (field: string) => (await p.services.db.query<{ status: string; value: string }>(`select status, value from entry_field where entry_id = $1 and field = $2`, [seeded.entryId, field]))[0];
    expect(await fieldOf('birthPlace')).toMatchObject({ status: 'review' });
    // typed as the image shows: verified
    expect((await decide(vy, seeded.items.birthPlace!, { action: 'correct', input: 'Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội' })).statusCode).toBe(200);
    expect(await fieldOf('birthPlace')).toEqual({ status: 'verified', value: 'Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội' });
    // typed cut short: refused; sent again with the verifier's confirmation: verified, and the confirmation audited
    expect((await decide(vy, seeded.items.motherResidence!, { action: 'correct', input: 'Quận Hai Bà, Hà Nội' })).json()).toMatchObject({ error: 'place_cut_short', message: expect.stringContaining('«Hai Bà Trưng»') });
    expect((await decide(vy, seeded.items.motherResidence!, { action: 'correct', input: 'Quận Hai Bà, Hà Nội', confirmPlace: true })).statusCode).toBe(200);
    expect(await fieldOf('motherResidence')).toEqual({ status: 'verified', value: 'Quận Hai Bà, Hà Nội' });
    const audit = await p.services.db.query<{ action: string; detail: unknown }>(`select action, detail from audit_event where action = 'place_cut_short_confirmed' and object_id = $1`, [String(seeded.items.motherResidence)]);
    expect(audit).toEqual([{ action: 'place_cut_short_confirmed', detail: { field: 'motherResidence', action: 'correct' } }]);
  });

  it('marks unreadable, refuses accepting nothing, and lets a skipped field go to another verifier', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, {
      entryNo: 4,
      fields: [
        { field: 'fatherName', value: null, reasons: ['parse_failed'] },
        { field: 'birthPlace', value: 'Xã Đông Hội', reasons: ['not_in_dictionary'] },
      ],
    });
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    expect((await decide(hoa, seeded.items.fatherName!, { action: 'accept' })).json()).toMatchObject({ error: 'nothing_to_accept' });
    expect((await decide(hoa, seeded.items.fatherName!, { action: 'unreadable' })).statusCode).toBe(200);
    expect((await decide(hoa, seeded.items.birthPlace!, { action: 'skip' })).json()).toMatchObject({ entryVerified: false });
    // Hoa is not offered the skipped field again; Minh is.
    expect((await next(hoa)).json().entry).toBeNull();
    const forMinh = (await next(minh)).json();
    expect(forMinh.entry.items.map((i: { field: string }) => i.field)).toEqual(['birthPlace']);
    expect((await decide(minh, seeded.items.birthPlace!, { action: 'correct', input: 'xã đông hội,  huyện Đông Anh' })).json()).toMatchObject({ entryVerified: true });
    const [father] = await p.services.db.query<{ status: string; value: string | null }>(`select status, value from entry_field where entry_id = $1 and field = 'fatherName'`, [seeded.entryId]);
    expect(father).toEqual({ status: 'unreadable', value: null });
  });

  it('releases an abandoned lease to the next verifier, and refuses the late decision of the first', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 5, fields: [{ field: 'fullName', value: 'Phạm Văn Dũng', reasons: ['low_confidence'] }] });
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    expect((await next(minh)).json().entry).toBeNull();
    await p.services.db.query(`update review_item set claimed_until = now() - interval '1 second' where id = $1`, [seeded.items.fullName]);
    expect((await next(minh)).json().entry.entryId).toBe(seeded.entryId);
    expect((await decide(hoa, seeded.items.fullName!, { action: 'accept' })).json()).toMatchObject({ error: 'lease_lost' });
    expect((await decide(minh, seeded.items.fullName!, { action: 'accept' })).statusCode).toBe(200);
  });

  it('shows what OCR read beside a value the machine put right, and only there', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, {
      entryNo: 7, fields: [{ field: 'fullName', value: 'Lê Văn Bính', reasons: ['corrected'] }, { field: 'motherName', value: 'Trần Thị Hoa', reasons: ['low_confidence'] }],
    });
    await p.services.db.query(`update entry_field set raw = 'Lệ Văn Bính' where entry_id = $1 and field = 'fullName'`, [seeded.entryId]);
    const claimed = (await next(hoa)).json();
    expect(claimed.entry.entryId).toBe(seeded.entryId);
    const items = Object.fromEntries(claimed.entry.items.map((i: { field: string }) => [i.field, i]));
    expect(items.fullName).toMatchObject({ machine: 'Lê Văn Bính', corrected: 'Lệ Văn Bính' });
    expect(items.motherName).toMatchObject({ machine: 'Trần Thị Hoa', corrected: null });
    for (const item of claimed.entry.items) await decide(hoa, item.itemId, { action: 'accept' });
  });

  it('shows the age the book states beside a parent’s birth year worked out from it, and only for such a form', async () => {
    // a 1962 book asks the mother's age; the year a 2016 book asks is the book's own
    const old = await seedEntry(p.services.db, p.services.blobs, { entryNo: 8, fields: [{ field: 'motherBirthYear', value: '1932', reasons: ['low_confidence'] }] });
    await p.services.db.query(`update entry_field set raw = '30 tuổi' where entry_id = $1`, [old.entryId]);
    const modern = await seedEntry(p.services.db, p.services.blobs, { bookNo: '16', year: 2016, entryNo: 3, fields: [{ field: 'motherBirthYear', value: '1990', reasons: ['low_confidence'] }] });
    await p.services.db.query(`update entry_field set raw = '26' where entry_id = $1`, [modern.entryId]);
    const shown: Record<number, unknown> = {};
    for (let i = 0; i < 2; i++) {
      const claimed = (await next(hoa)).json();
      shown[claimed.entry.entryId] = claimed.entry.items[0];
      for (const item of claimed.entry.items) await decide(hoa, item.itemId, { action: 'accept' });
    }
    expect(shown[old.entryId]).toMatchObject({ field: 'motherBirthYear', machine: '1932', statedAge: 30 });
    expect(shown[modern.entryId]).toMatchObject({ field: 'motherBirthYear', machine: '1990', statedAge: null });
  });

  it('serves the field crop from the cleaned page to the verifier holding it, and to no one else', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 6, fields: [{ field: 'fullName', value: 'Đỗ Thị Hạnh', reasons: ['low_confidence'] }] });
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    const crop = await as(app, hoa, { url: `/review/items/${seeded.items.fullName}/image` });
    expect(crop.statusCode).toBe(200);
    expect(crop.headers['content-type']).toBe('image/png');
    const meta = await sharp(crop.rawPayload).metadata();
    expect(meta.width).toBe(700 + 2 * 24);
    expect(meta.height).toBe(50 + 2 * 24);
    const whole = await sharp((await as(app, hoa, { url: `/review/items/${seeded.items.fullName}/image?view=entry` })).rawPayload).metadata();
    expect(whole.width).toBeGreaterThan(meta.width!);
    expect((await as(app, minh, { url: `/review/items/${seeded.items.fullName}/image` })).json()).toMatchObject({ error: 'lease_lost' });
    // the scan as delivered: its stored viewing copy as it is (ingest made it), and both pages' page route alike
    const viewCopy = await storeViewCopy(p.services.db, p.services.blobs, seeded.pageId);
    const original = await as(app, hoa, { url: `/review/items/${seeded.items.fullName}/image?view=original` });
    expect(original.headers['content-type']).toBe('image/jpeg');
    expect(original.rawPayload.equals(viewCopy)).toBe(true);
    await decide(hoa, seeded.items.fullName!, { action: 'accept' });
  });

  it('takes decisions on several fields of one entry saved at the same time, without deadlock', async () => {
    const fields = ['fullName', 'birthPlace', 'hometown', 'ethnicity', 'nationality', 'motherName'];
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 7, fields: fields.map((field) => ({ field, value: 'Kinh', reasons: ['low_confidence'] })) });
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    const answers = await Promise.all(fields.map((f) => decide(hoa, seeded.items[f]!, { action: 'accept' })));
    expect(answers.map((a) => a.statusCode)).toEqual(fields.map(() => 200));
    const [entry] = await p.services.db.query<{ status: string }>('select status from entry where id = $1', [seeded.entryId]);
    expect(entry!.status).toBe('verified');
  });

  it('refuses decisions without the CSRF token and review to staff', async () => {
    await addAccount(p.services.db, 'lan', 'staff', ['HBT']);
    const lan = (await signIn(app, 'lan')).session;
    expect((await next(lan)).json()).toMatchObject({ error: 'forbidden_role' });
    expect((await as(app, hoa, { method: 'POST', url: '/review/next', payload: {}, csrf: null })).json()).toMatchObject({ error: 'csrf_refused' });
  });
});

describe('suggestions while typing', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let hoa: Browser;
  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    const seeded = await seedEntry(p.services.db, p.services.blobs, { fields: [{ field: 'fatherName', value: 'Nguyễn Văn Tám' }] });
    // a verified name of another office: not for HBT's verifiers
    const elsewhere = await seedEntry(p.services.db, p.services.blobs, { officeCode: 'CG', fields: [{ field: 'fatherName', value: 'Nguyễn Văn Tấn' }] });
    await p.services.db.query(`update entry_field set status = 'verified' where entry_id = any($1::bigint[])`, [[seeded.entryId, elsewhere.entryId]]);
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    await addAccount(p.services.db, 'mai', 'verifier', 'all');
    hoa = (await signIn(app, 'hoa')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });
  const suggest = async (field: string, q: string, year = 1962) =>
    (await as(app, hoa, { url: `/review/suggest?field=${field}&q=${encodeURIComponent(q)}&year=${year}` })).json().suggestions as string[];

  it('suggests places from the dated gazetteer as they were named in the entry’s year', async () => {
    expect(await suggest('birthPlace', 'Phường Bạch Mai, Khu phố Hai')).toContain('Phường Bạch Mai, Khu phố Hai Bà Trưng');
    expect(await suggest('birthPlace', 'Phường Bạch Mai, Quận Hai', 1990)).toContain('Phường Bạch Mai, Quận Hai Bà Trưng');
    expect(await suggest('birthPlace', 'Phường Bạch Mai, Quận Hai', 1990)).not.toContain('Phường Bạch Mai, Khu phố Hai Bà Trưng');
  });

  it('suggests verified names by frequency and surnames for the first word', async () => {
    expect(await suggest('fatherName', 'nguyễn v')).toEqual(['Nguyễn Văn Tám']);
    expect((await suggest('fullName', 'ng'))).toEqual(expect.arrayContaining(['Nguyễn', 'Ngô', 'Nghiêm']));
    expect(await suggest('birthDate', '15/3')).toEqual([]);
  });

  it('suggests only names of the offices the verifier covers', async () => {
    expect(await suggest('fatherName', 'nguyễn văn t')).toEqual(['Nguyễn Văn Tám']);
    const mai = (await signIn(app, 'mai')).session;
    const all = (await as(app, mai, { url: `/review/suggest?field=fatherName&q=${encodeURIComponent('nguyễn văn t')}&year=1962` })).json().suggestions;
    expect(all).toEqual(['Nguyễn Văn Tám', 'Nguyễn Văn Tấn']);
  });

  it('finds names by their beginning through an index, not by reading every verified field', async () => {
    const plan = await p.services.db.transaction(async (tx) => {
      // the test table is tiny, where reading it whole is cheapest: forbid that to see which index can serve
      await tx.query('set local enable_seqscan = off');
      await tx.query('set local enable_bitmapscan = off');
      const rows = await tx.query<{ 'QUERY PLAN': string }>(`explain ${SUGGEST_NAMES_SQL.replace(/\$(\d)/g, (_m, n: string) => ["'fatherName'", "'nguy%'", '8', 'false', "'{1}'::bigint[]"][Number(n) - 1]!)}`);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index (Only )?Scan using entry_field_verified_prefix/);
    expect(plan).not.toMatch(/Seq Scan on entry_field/);
  });
});
