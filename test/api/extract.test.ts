import type { FastifyInstance } from 'fastify';
import { createCanvas } from '@napi-rs/canvas';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueExtract, sealRecord, verifyExtract } from '../../src/certified/extract.ts';
import { setIssuer } from '../../src/certified/issuer.ts';
import { QR_BOX } from '../../src/certified/pdf.ts';
import { addressKey, createRateLimiter } from '../../src/http/rate-limit.ts';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeSigningKey, contentHash, rotateSigningKey, sealExtract } from '../../src/certified/signing.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { apiApp, newClient } from './app.ts';
import { seedBook, seedEntry } from './seed.ts';

/** The text of every page as pdfjs extracts it (what a reader's search and copy see), one string per page. */
async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false });
  const doc = await task.promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    // Wrapped lines join with one space, as a reader's copy and search treat them.
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('').replace(/\s+/g, ' '));
  }
  await task.destroy();
  return pages;
}

describe('certified extract', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let headers: Record<string, string>;
  let birth: { id: number; publicId: string };
  let death: { id: number; publicId: string };
  let marriage: { id: number; publicId: string };
  let keys: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    keys = join(await mkdtemp(join(tmpdir(), 'civreg-keys-')), 'keys');
    app = await apiApp({ db: t.db, signingKeyDir: keys, publicUrl: 'https://hotich.example.gov.vn' });
    ({ headers } = await newClient(t.db, 'desk'));
    const births = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    await setIssuer(t.db, { office: 'HBT', superior: null, heading: ['ỦY BAN NHÂN DÂN', 'QUẬN HAI BÀ TRƯNG'], place: 'Hai Bà Trưng' }, 'test');
    birth = await seedEntry(t.db, births, {
      year: 1962, entryNo: 12, registerType: 'birth',
      fields: {
        fullName: 'Nguyễn Thị Thu Hà', sex: 'female', birthDate: '1962-03-15', birthPlace: 'Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội',
        hometown: 'Xã Đông La, Huyện Đông Hưng, Tỉnh Thái Bình', ethnicity: 'Kinh', nationality: 'Việt Nam',
        motherName: 'Trần Thị Hoà', motherBirthYear: '1940', motherEthnicity: { value: null }, fatherName: 'Nguyễn Văn Đức', fatherBirthYear: '1938',
        registrationDate: '1962-03-20', declarantName: 'Nguyễn Văn Đức', declarantRelation: 'cha', registrarName: 'Phạm Văn Lưỡng',
      },
      events: [
        { kind: 'correction', field: 'fullName', oldValue: 'Nguyễn Thị Hà', newValue: 'Nguyễn Thị Thu Hà', date: '1980-05-02', raw: 'Cải chính họ tên' },
        { kind: 'guardianship', field: null, oldValue: null, newValue: 'Trần Văn Bình', date: '1970-01-09', raw: 'Đăng ký giám hộ: người giám hộ là Trần Văn Bình' },
      ],
    });
    const deaths = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'death', bookNo: '02', yearFrom: 1999 });
    death = await seedEntry(t.db, deaths, {
      year: 1999, entryNo: 5, registerType: 'death',
      fields: { fullName: 'Lê Văn Thuỷ', birthDate: '1930', sex: 'male', deathTime: '14:30', deathDate: '1999-11-02', deathPlace: 'Bệnh viện Bạch Mai', deathCause: 'Già yếu' },
    });
    const marriages = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'marriage', bookNo: '03', yearFrom: 1985 });
    marriage = await seedEntry(t.db, marriages, {
      year: 1985, entryNo: 4, registerType: 'marriage',
      fields: { husbandName: 'Lê Văn Nam', husbandBirthDate: '1960-01-02', wifeName: 'Nguyễn Thị Thu Hà', wifeBirthDate: '1962-03-15', registrationDate: '1985-06-01' },
    });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('is a PDF whose text extracts as correct Vietnamese, laid out like the birth extract and marked as a reference copy', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/records/${birth.publicId}/extract.pdf`, headers });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const bytes = response.rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeLessThan(150_000);
    const pages = await pdfText(bytes);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    for (const expected of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'QUẬN HAI BÀ TRƯNG', 'TRÍCH LỤC KHAI SINH',
      'BẢN ĐIỆN TỬ ĐỂ THAM KHẢO', 'người có thẩm quyền ký, đóng dấu', 'Họ, chữ đệm, tên:', 'Nguyễn Thị Thu Hà', 'Trần Thị Hoà', 'Nguyễn Văn Đức',
      '15/03/1962', 'Ngày mười lăm tháng ba năm một nghìn chín trăm sáu mươi hai', 'Nữ', 'Xã Đông La, Huyện Đông Hưng, Tỉnh Thái Bình',
      'Trích từ Sổ đăng ký khai sinh quyển số 01, năm 1962, số 12', '02/05/1980: Cải chính họ, chữ đệm, tên từ Nguyễn Thị Hà thành Nguyễn Thị Thu Hà',
      '09/01/1970: Giám hộ: Trần Văn Bình', 'NGƯỜI KÝ TRÍCH LỤC', 'chức vụ', '/verify/1.',
    ]) {
      expect(text, expected).toContain(expected);
    }
    // Every font is embedded: no standard (unembedded) font, which has no Vietnamese glyphs.
    const dicts = (await PDFDocument.load(bytes)).context.enumerateIndirectObjects().map(([, o]) => o).filter((o) => o instanceof PDFDict);
    const descriptors = dicts.filter((d) => d.get(PDFName.of('Type')) === PDFName.of('FontDescriptor'));
    expect(descriptors.length).toBeGreaterThanOrEqual(4);
    for (const d of descriptors) expect(d.has(PDFName.of('FontFile2')) || d.has(PDFName.of('FontFile3'))).toBe(true);
    expect(dicts.filter((d) => d.get(PDFName.of('Subtype')) === PDFName.of('Type1'))).toHaveLength(0);
  });

  it('prints its number line, where it is issued, the reference notice once, and never a blank row to fill in', async () => {
    const { pdf, content } = await issueExtract(t.db, keys, birth.id, 'http://x', new Date('2026-02-04T20:00:00Z'));
    const [text] = await pdfText(pdf);
    expect(text).toContain('Số: ………/TLKS-BS');
    // the place without its unit word; the day is the signing officer's to write (extract-layout.test.ts)
    expect(text).toContain('Hai Bà Trưng, ngày ....... tháng');
    expect(text!.match(/bản điện tử để tham khảo/gi)).toHaveLength(1);
    expect(text).not.toMatch(/…{4,}/);
    // a 1962 birth book had no ID number line; it had the parents' ethnicity: a verifier saw the mother's empty in
    // the book, nobody said anything of the father's
    expect(text).toMatch(/Số định danh cá nhân:\s*Không có trong sổ gốc/);
    expect(text).toMatch(/Người mẹ\s*Họ, chữ đệm, tên:\s*Trần Thị Hoà\s*Năm sinh:\s*1940\s*Dân tộc:\s*Sổ gốc không ghi/);
    expect(text).toMatch(/Người cha\s*Họ, chữ đệm, tên:\s*Nguyễn Văn Đức\s*Năm sinh:\s*1938\s*Dân tộc:\s*Chưa đối chiếu/);
    const ids = content.sections.flatMap((s) => s.rows).filter((r) => r.label === 'Số định danh cá nhân');
    expect(ids).toEqual([{ label: 'Số định danh cá nhân', value: 'Không có trong sổ gốc', missing: 'not_in_book' }]);
    const [deathText] = await pdfText((await issueExtract(t.db, keys, death.id, 'http://x', new Date('2026-11-27T20:00:00Z'))).pdf);
    expect(deathText).toContain('Số: ………/TLKT-BS');
    expect(deathText).toContain('Bản điện tử tạo ngày 28/11/2026');
    expect(deathText).toMatch(/Số định danh cá nhân:\s*Không có trong sổ gốc/);
    expect(deathText).toMatch(/Nơi cư trú cuối cùng:\s*Chưa đối chiếu/);
  });

  it('is refused for an entry without its subject’s name or date, naming the fields, and is logged', async () => {
    const births = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '09', yearFrom: 1962 });
    const half = await seedEntry(t.db, births, { year: 1962, entryNo: 3, registerType: 'birth', fields: { fullName: 'Lê Văn An', birthDate: { value: null }, registrationDate: '1962-04-01' } });
    const refused = await app.inject({ method: 'GET', url: `/api/v1/records/${half.publicId}/extract.pdf`, headers });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({ error: { code: 'extract_incomplete', message: expect.stringContaining('Chưa cấp được trích lục'), fields: ['birthDate'] } });
    const [logged] = await t.db.query<{ status: number; code: string }>(`select status, code from lookup_log order by id desc limit 1`);
    expect(logged).toEqual({ status: 409, code: 'extract_incomplete' });
  });

  it('seals the record’s values only: an extract of the first layout still says genuine, whatever its empty rows say now or the book’s era', async () => {
    const books = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '07', yearFrom: 1975 });
    // the mother's age was blank in the book (or did not parse): no birth year was derived from it
    const e = await seedEntry(t.db, books, {
      year: 1975, entryNo: 31, registerType: 'birth',
      fields: {
        fullName: 'Phạm Minh Tuấn', sex: 'male', birthDate: '1975-08-19', birthPlace: 'Bệnh viện Bạch Mai, Hà Nội', ethnicity: 'Kinh', nationality: 'Việt Nam',
        motherName: 'Đỗ Thị Lan', motherEthnicity: { value: null }, fatherName: 'Phạm Văn Hùng', fatherBirthYear: { value: '1949', precision: 'year' },
        registrationDate: '1975-08-25', declarantName: 'Phạm Văn Hùng', declarantRelation: 'cha',
      },
      events: [{ kind: 'correction', field: 'fullName', oldValue: 'Phạm Minh Tuân', newValue: 'Phạm Minh Tuấn', date: '1990-04-11', raw: 'Cải chính họ tên' }],
    });
    const recordId = '5b0c7a0e-3f1d-4c2a-9e8b-1a2b3c4d5e6f';
    await t.db.query(`update entry set public_id = $1 where id = $2`, [recordId, e.id]);
    // Made once by the first layout's code, with a test seeding this same entry and calling its sealRecord:
    // `git checkout 42e222e^` (content.ts extractContent without `missing`, canonicalContent = JSON.stringify),
    // the seal's fifth part. Never recompute it from the current code: it is what extracts already issued hold.
    const FIRST_LAYOUT_DIGEST = '0_3mMvixLwuPbLlDt28H_A';
    const key = await activeSigningKey(t.db, keys);
    const issued = sealExtract(key, recordId, new Date('2026-01-10T03:00:00Z'), FIRST_LAYOUT_DIGEST);
    expect((await verifyExtract(t.db, issued)).verdict).toBe('genuine');
    // a new extract holds the same digest although its empty rows now say why
    const { seal, content } = await sealRecord(t.db, keys, e.id);
    expect(seal.split('.')[4]).toBe(FIRST_LAYOUT_DIGEST);
    const rows = content.sections.flatMap((s) => s.rows.map((r) => ({ heading: s.heading, ...r })));
    // the 1961–1998 form asks the parents' ages: it had the line, nobody has said what it holds
    expect(rows.find((r) => r.heading === 'Người mẹ' && r.label === 'Năm sinh')).toMatchObject({ value: 'Chưa đối chiếu', missing: 'not_checked' });
    expect(rows.find((r) => r.label === 'Số định danh cá nhân')).toMatchObject({ missing: 'not_in_book' });
    // the book's era settled later changes what empty rows say, not whether the extract is genuine
    await t.db.query(`update book set era = '2016-' where id = (select book_id from entry where id = $1)`, [e.id]);
    expect((await sealRecord(t.db, keys, e.id)).content.sections.flatMap((s) => s.rows).find((r) => r.label === 'Số định danh cá nhân')).toMatchObject({ missing: 'not_checked' });
    expect((await verifyExtract(t.db, issued)).verdict).toBe('genuine');
    // a value that changes does change the verdict
    await t.db.query(`update entry_field set value = 'Phạm Văn Hưng' where entry_id = $1 and field = 'fatherName'`, [e.id]);
    expect((await verifyExtract(t.db, issued)).verdict).toBe('changed');
  });

  it('points its QR code and verify link at the configured public address, never at the Host the caller sent', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/records/${birth.publicId}/extract.pdf`, headers: { ...headers, host: '10.1.2.3:3000' } });
    expect(response.statusCode).toBe(200);
    const [text] = await pdfText(response.rawPayload);
    expect(text).toContain('https://hotich.example.gov.vn/verify/1.');
    expect(text).not.toContain('10.1.2.3');
  });

  it('without a public address uses the address the server listens on, and issues none before it listens', async () => {
    const local = await apiApp({ db: t.db, signingKeyDir: keys });
    try {
      const unbound = await local.inject({ method: 'GET', url: `/api/v1/records/${birth.publicId}/extract.pdf`, headers });
      expect([unbound.statusCode, unbound.json().error.code]).toEqual([503, 'extract_unavailable']);
      const origin = await local.listen({ host: '127.0.0.1', port: 0 });
      const response = await fetch(`${origin}/api/v1/records/${birth.publicId}/extract.pdf`, { headers: { ...headers, 'x-forwarded-host': 'evil.example' } });
      expect(response.status).toBe(200);
      const [text] = await pdfText(new Uint8Array(await response.arrayBuffer()));
      expect(text).toContain(`${origin}/verify/1.`);
      expect(text).not.toContain('evil.example');
    } finally {
      await local.close();
    }
  });

  it('lays out death and marriage extracts after their own forms, keeping what the book gives of a date', async () => {
    const [deathText] = await pdfText((await issueExtract(t.db, keys, death.id, 'http://x')).pdf);
    for (const expected of ['TRÍCH LỤC KHAI TỬ', 'Lê Văn Thuỷ', 'năm 1930', '14 giờ 30 phút', '02/11/1999', 'Nơi chết:', 'Bệnh viện Bạch Mai']) expect(deathText, expected).toContain(expected);
    const [marriageText] = await pdfText((await issueExtract(t.db, keys, marriage.id, 'http://x')).pdf);
    for (const expected of ['TRÍCH LỤC KẾT HÔN', 'Bên chồng', 'Lê Văn Nam', 'Bên vợ', '15/03/1962']) expect(marriageText, expected).toContain(expected);
  });

  it('draws a QR code whose modules are exactly those of the verify URL, and that URL says the extract is genuine', async () => {
    const { pdf, seal } = await issueExtract(t.db, keys, birth.id, 'https://civreg.example');
    const expected = QRCode.create(`https://civreg.example/verify/${seal}`, { errorCorrectionLevel: 'M' }).modules;
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const task = pdfjs.getDocument({ data: new Uint8Array(pdf) });
    const page = await (await task.promise).getPage(1);
    const scale = 4;
    const viewport = page.getViewport({ scale });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    await page.render({ canvasContext: context as never, canvas: canvas as never, viewport }).promise;
    const cell = QR_BOX.size / (expected.size + 2 * QR_BOX.quiet);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    let mismatches = 0;
    for (let row = 0; row < expected.size; row++) {
      for (let col = 0; col < expected.size; col++) {
        // The centre of each module, from PDF points (origin bottom left) to canvas pixels (origin top left).
        const x = Math.round((QR_BOX.x + (QR_BOX.quiet + col + 0.5) * cell) * scale);
        const y = Math.round((viewport.height / scale - (QR_BOX.y + QR_BOX.size - (QR_BOX.quiet + row + 0.5) * cell)) * scale);
        const at = (y * canvas.width + x) * 4;
        const dark = pixels.data[at + 3]! > 128 && pixels.data[at]! < 128;
        if (dark !== Boolean(expected.get(row, col))) mismatches++;
      }
    }
    await task.destroy();
    expect(mismatches).toBe(0);
    // What a phone opens from the code: the verify page of this server, for this extract.
    const opened = await app.inject({ method: 'GET', url: new URL(`https://civreg.example/verify/${seal}`).pathname, headers: { accept: 'application/json' } });
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({ verdict: 'genuine', recordId: birth.publicId });
  });

  it('carries a signed seal that verifies, and fails when any part of it is altered', async () => {
    const { seal } = await sealRecord(t.db, keys, birth.id, new Date('2026-11-27T08:00:00Z'));
    expect(seal.length).toBeLessThan(200);
    const ok = await verifyExtract(t.db, seal);
    expect(ok).toMatchObject({ verdict: 'genuine', recordId: birth.publicId, issuedAt: '2026-11-27T08:00:00.000Z' });

    const parts = seal.split('.');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const alter = (i: number) => parts.map((p, j) => (j === i ? flip(p) : p)).join('.');
    expect(await verifyExtract(t.db, alter(5))).toEqual({ verdict: 'not_genuine', reason: 'bad_signature' }); // signature
    expect(await verifyExtract(t.db, alter(4))).toEqual({ verdict: 'not_genuine', reason: 'bad_signature' }); // content hash
    const otherRecord = parts.map((p, j) => (j === 2 ? death.publicId.replaceAll('-', '') : p)).join('.');
    expect(await verifyExtract(t.db, otherRecord)).toEqual({ verdict: 'not_genuine', reason: 'bad_signature' });
    const laterDate = parts.map((p, j) => (j === 3 ? String(Number(p) + 86_400) : p)).join('.');
    expect(await verifyExtract(t.db, laterDate)).toEqual({ verdict: 'not_genuine', reason: 'bad_signature' });
    expect(await verifyExtract(t.db, parts.map((p, j) => (j === 1 ? 'ffffffffffffffff' : p)).join('.'))).toEqual({ verdict: 'not_genuine', reason: 'unknown_key' });
    expect(await verifyExtract(t.db, 'not-a-seal')).toEqual({ verdict: 'not_genuine', reason: 'malformed' });
  });

  it('shows on a phone-sized public page who the extract is about, as signed, and by which office; JSON on request', async () => {
    const { seal } = await sealRecord(t.db, keys, birth.id, new Date('2026-11-27T20:00:00Z'));
    const page = await app.inject({ method: 'GET', url: `/verify/${seal}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-verdict="genuine"');
    // the content matches; the paper is valid only once signed and stamped, and the page never says it is valid
    expect(page.body).toContain('<h1 data-verdict="genuine">Nội dung khớp với hồ sơ gốc</h1>');
    expect(page.body).toContain('<p class="validity" id="validity">Trang này chỉ xác nhận nội dung. Bản giấy chỉ có giá trị pháp lý khi có chữ ký của người có thẩm quyền và đóng dấu của cơ quan cấp.</p>');
    expect(page.body).not.toContain('hợp lệ');
    expect(page.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    // the book's office, which may no longer exist (2025): the seal does not hold who issued the paper
    expect(page.body).toContain('lấy từ sổ hộ tịch của Quận Hai Bà Trưng');
    expect(page.body).toContain('<dt>Sổ gốc của</dt><dd>Quận Hai Bà Trưng</dd>');
    expect(page.body).not.toMatch(/ cấp và|Cơ quan cấp/);
    // What the paper must say: the name and date of birth exactly as sealed; the issue date on Vietnam's calendar.
    for (const expected of ['<dd>Nguyễn Thị Thu Hà</dd>', '<dd>15/03/1962</dd>', '<dd>28/11/2026</dd>']) expect(page.body, expected).toContain(expected);
    // Nothing beyond the cross-check: not the parents, the place or the notes.
    for (const absent of ['Trần Thị Hoà', 'Nguyễn Văn Đức', 'Bạch Mai', 'Trần Văn Bình']) expect(page.body, absent).not.toContain(absent);

    const [deathPage, marriagePage] = await Promise.all([death.id, marriage.id].map(async (id) => (await app.inject({ method: 'GET', url: `/verify/${(await sealRecord(t.db, keys, id)).seal}` })).body));
    for (const expected of ['<dd>Lê Văn Thuỷ</dd>', '<dd>02/11/1999</dd>']) expect(deathPage, expected).toContain(expected);
    for (const expected of ['<dd>Lê Văn Nam</dd>', '<dd>Nguyễn Thị Thu Hà</dd>', 'bên chồng', 'bên vợ']) expect(marriagePage, expected).toContain(expected);

    const tampered = seal.slice(0, -10) + (seal.at(-10) === 'A' ? 'B' : 'A') + seal.slice(-9);
    const json = await app.inject({ method: 'GET', url: `/verify/${tampered}`, headers: { accept: 'application/json' } });
    expect(json.json()).toEqual({ verdict: 'not_genuine', reason: 'bad_signature' });
    const forged = await app.inject({ method: 'GET', url: `/verify/${tampered}` });
    expect(forged.body).toContain('data-verdict="not_genuine"');
    expect(forged.body).not.toContain('Nguyễn');
  });

  it('records every verify view in the audit trail, with ids and verdicts only', async () => {
    const { seal } = await sealRecord(t.db, keys, death.id);
    const before = Number((await t.db.query<{ n: string }>(`select max(id) as n from audit_event`))[0]?.n ?? 0);
    await app.inject({ method: 'GET', url: `/verify/${seal}` });
    await app.inject({ method: 'GET', url: `/verify/${seal}`, headers: { accept: 'application/json' } });
    await app.inject({ method: 'GET', url: '/verify/not-a-seal' });
    const rows = await t.db.query<{ actor: string; action: string; object_type: string; object_id: string; detail: Record<string, unknown> }>(
      `select actor, action, object_type, object_id, detail from audit_event where id > $1 order by id`, [before],
    );
    expect(rows.map((r) => [r.action, r.object_type, r.object_id, r.detail.verdict])).toEqual([
      ['verify_extract', 'record', death.publicId, 'genuine'],
      ['verify_extract', 'record', death.publicId, 'genuine'],
      ['verify_extract', 'extract', '-', 'not_genuine'],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/Lê Văn Thuỷ|1999-11-02|02\/11\/1999/);
  });

  it('shows no one on the page of a record changed since its extract was issued', async () => {
    const book = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'death', bookNo: '04', yearFrom: 1999 });
    const fresh = await seedEntry(t.db, book, {
      year: 1999, entryNo: 9, registerType: 'death', fields: { fullName: 'Đỗ Văn Tám', birthDate: '1931', deathDate: '1999-12-01', deathCause: 'Già yếu' },
    });
    const { seal } = await sealRecord(t.db, keys, fresh.id);
    await t.db.query(`update entry_field set value = 'Đỗ Văn Tâm', verified_at = now() where entry_id = $1 and field = 'fullName'`, [fresh.id]);
    const page = await app.inject({ method: 'GET', url: `/verify/${seal}` });
    expect(page.body).toContain('data-verdict="changed"');
    expect(page.body).toContain('lấy từ sổ hộ tịch của Quận Hai Bà Trưng, nhưng hồ sơ đã được cải chính');
    expect(page.body).not.toMatch(/Đỗ Văn|01\/12\/1999/);
  });

  it('says when the record changed after the extract was issued, and still verifies after a key rotation', async () => {
    const before = await sealRecord(t.db, keys, death.id);
    const oldKid = before.seal.split('.')[1]!;
    const rotated = await rotateSigningKey(t.db, keys);
    expect(rotated.retired).toBe(oldKid);
    const after = await sealRecord(t.db, keys, death.id);
    expect(after.seal.split('.')[1]).toBe(rotated.active);
    expect(rotated.active).not.toBe(oldKid);
    // The retired key's private file is gone; its public key still verifies what it sealed.
    expect(await readdir(keys)).toEqual([`${rotated.active}.pem`]);
    expect((await verifyExtract(t.db, before.seal)).verdict).toBe('genuine');
    expect((await verifyExtract(t.db, after.seal)).verdict).toBe('genuine');

    await t.db.query(`update entry_field set value = 'Suy tim', verified_at = now() where entry_id = $1 and field = 'deathCause'`, [death.id]);
    expect((await verifyExtract(t.db, before.seal)).verdict).toBe('changed');
    expect((await verifyExtract(t.db, after.seal)).verdict).toBe('changed');
    await t.db.query(`update entry_field set status = 'review' where entry_id = $1 and field = 'deathCause'`, [death.id]);
    expect((await verifyExtract(t.db, after.seal)).verdict).toBe('unavailable');
  });

  it('keeps the private key in a file readable by its owner only, never in the database', async () => {
    const { seal } = await sealRecord(t.db, keys, birth.id);
    const kid = seal.split('.')[1]!;
    expect(((await stat(keys)).mode & 0o777).toString(8)).toBe('700');
    expect(((await stat(join(keys, `${kid}.pem`))).mode & 0o777).toString(8)).toBe('600');
    const columns = await t.db.query<{ column_name: string }>(`select column_name from information_schema.columns where table_name = 'signing_key'`);
    expect(columns.map((c) => c.column_name).sort()).toEqual(['created_at', 'kid', 'public_key', 'retired_at']);
  });

  it('lets one address check only so many extracts a minute: 429 with a Vietnamese page, a run of refusals audited once', async () => {
    const limited = await apiApp({ db: t.db, signingKeyDir: keys, verifyLimit: { perMinute: 1, burst: 2 } });
    try {
      const { seal } = await sealRecord(t.db, keys, death.id);
      const check = (remoteAddress: string, accept = 'text/html') => limited.inject({ method: 'GET', url: `/verify/${seal}`, remoteAddress, headers: { accept } });
      const before = Number((await t.db.query<{ n: string }>(`select max(id) as n from audit_event`))[0]?.n ?? 0);
      expect((await check('203.0.113.7')).statusCode).toBe(200);
      expect((await check('203.0.113.7')).statusCode).toBe(200);
      const refused = await check('203.0.113.7');
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('60');
      expect(refused.body).toContain('data-verdict="rate_limited"');
      expect(refused.body).toContain('Hãy chờ một phút rồi thử lại.');
      expect(refused.body).not.toContain('Lê Văn Thuỷ');
      const again = await check('203.0.113.7', 'application/json');
      // the API's error shape
      expect([again.statusCode, again.json()]).toEqual([429, { error: { code: 'rate_limited', message: expect.stringContaining('Hãy chờ một phút rồi thử lại.') } }]);
      // another address is not held back by the first
      expect((await check('198.51.100.2')).statusCode).toBe(200);
      const events = await t.db.query<{ action: string; detail: Record<string, unknown> }>(`select action, detail from audit_event where id > $1 order by id`, [before]);
      expect(events.map((e) => e.action)).toEqual(['verify_extract', 'verify_extract', 'verify_rate_limited', 'verify_extract']);
      // a tag of the address, never the address: the audit trail is append-only and holds no personal data
      expect(events[2]!.detail).toEqual({ address: expect.stringMatching(/^[\w-]{12}$/), json: false });
      expect(JSON.stringify(events)).not.toContain('203.0.113');
      // an IPv6 address is limited by its /64: another address of the same block is held back too, not one of the next
      expect((await check('2001:db8:1:2::a')).statusCode).toBe(200);
      expect((await check('2001:db8:1:2::a')).statusCode).toBe(200);
      expect((await check('2001:db8:1:2:ffff::b')).statusCode).toBe(429);
      expect((await check('2001:db8:1:3::a')).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('counts a flood as one run of refusals until the address has kept quiet long enough to fill its bucket', () => {
    let now = 0;
    const limit = createRateLimiter({ perMinute: 30, burst: 20, now: () => now });
    // 100 requests a second for a minute: some get through as the bucket refills, the run goes on
    let firstRefusals = 0;
    for (let i = 0; i < 6000; i++, now += 10) if (limit.take('a').firstRefusal) firstRefusals++;
    expect(firstRefusals).toBe(1);
    // quiet for the 40 s the 20 checks take to come back: the next flood is a new run
    now += 40_000;
    for (let i = 0; i < 20; i++) expect(limit.take('a').allowed).toBe(true);
    expect(limit.take('a').firstRefusal).toBe(true);
    expect(['2001:db8:1:2:a::1', '2001:DB8:1:2::', '2001:0db8:0001:0002:ffff:0:0:1'].map(addressKey)).toEqual(Array(3).fill('2001:db8:1:2::/64'));
    expect([addressKey('::ffff:203.0.113.7'), addressKey('203.0.113.7'), addressKey('2001:db8::1')]).toEqual(['203.0.113.7', '203.0.113.7', '2001:db8:0:0::/64']);
  });

  it('refills an address’s checks with time, and forgets the least recent address past its bound', () => {
    let now = 0;
    const limit = createRateLimiter({ perMinute: 6, burst: 1, maxKeys: 2, now: () => now });
    expect(limit.take('a')).toEqual({ allowed: true, firstRefusal: false, retryAfterSeconds: 0 });
    expect(limit.take('a')).toEqual({ allowed: false, firstRefusal: true, retryAfterSeconds: 10 });
    now += 4000;
    expect(limit.take('a')).toEqual({ allowed: false, firstRefusal: false, retryAfterSeconds: 6 });
    now += 6000;
    expect(limit.take('a').allowed).toBe(true);
    expect(limit.take('b').allowed).toBe(true);
    expect(limit.take('c').allowed).toBe(true);
    // 'a' was the least recently seen of three, past the bound of two: forgotten, it starts full again
    expect(limit.take('a').allowed).toBe(true);
    expect(limit.take('c').allowed).toBe(false);
  });

  it('refuses to issue an extract when the signing key file is missing, and says so', async () => {
    const { seal } = await sealRecord(t.db, keys, birth.id);
    const elsewhere = join(await mkdtemp(join(tmpdir(), 'civreg-keys-')), 'keys');
    await expect(sealRecord(t.db, elsewhere, birth.id)).rejects.toThrow(/is not in .*signing-key rotate/);
    const other = await apiApp({ db: t.db, signingKeyDir: elsewhere });
    try {
      const response = await other.inject({ method: 'GET', url: `/api/v1/records/${birth.publicId}/extract.pdf`, headers });
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe('extract_unavailable');
    } finally {
      await other.close();
      await rm(elsewhere, { recursive: true, force: true });
    }
    expect((await verifyExtract(t.db, seal)).verdict).toBe('genuine');
  });

  it('is refused to a client that may not see every field of the form, and is logged', async () => {
    const narrow = await newClient(t.db, 'narrow', { fields: ['fullName', 'birthDate'] });
    const response = await app.inject({ method: 'GET', url: `/api/v1/records/${birth.publicId}/extract.pdf`, headers: narrow.headers });
    expect(response.statusCode).toBe(403);
    const { error } = response.json();
    expect(error.code).toBe('scope_field');
    // It says the refusal is about the extract, and which of the form's fields the client lacks.
    expect(error.message).toMatch(/^Không cấp được trích lục: .*motherName, .*fatherName/);
    expect(error.fields).toContain('birthPlace');
    expect(error.fields).not.toContain('fullName');
    const [row] = await t.db.query<Record<string, unknown>>('select * from lookup_log where client_id = $1', [narrow.client.id]);
    expect(row).toMatchObject({ outcome: 'refused', code: 'scope_field', route: 'GET /api/v1/records/:id/extract.pdf' });
  });
});
