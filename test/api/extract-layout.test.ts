import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueExtract, verifyExtract } from '../../src/certified/extract.ts';
import { clearIssuer, issuerFor, IssuerNotSetError, listIssuers, officesWithoutIssuer, setIssuer } from '../../src/certified/issuer.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { apiApp, newClient } from './app.ts';
import { seedBook, seedEntry } from './seed.ts';

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  eol: boolean;
}

/** Every text run of every page with where it sits (points from the bottom left), as pdfjs reads them. */
async function pdfItems(bytes: Uint8Array): Promise<Item[][]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false });
  const doc = await task.promise;
  const pages: Item[][] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.flatMap((item) => ('str' in item ? [{ str: item.str, x: item.transform[4] as number, y: item.transform[5] as number, width: item.width, eol: item.hasEOL }] : [])));
  }
  await task.destroy();
  return pages.map(joinRuns);
}

/** Joins the runs a line is drawn in (one per font subset: "C", "Ộ", "NG HÒA") into one item per line of text. */
function joinRuns(items: Item[]): Item[] {
  const out: Item[] = [];
  for (const item of items) {
    const last = out.at(-1);
    if (last && !last.eol && Math.abs(last.y - item.y) < 0.5 && Math.abs(last.x + last.width - item.x) < 1) {
      last.str += item.str;
      last.width = item.x + item.width - last.x;
      last.eol = item.eol;
    } else out.push({ ...item });
  }
  return out;
}

/** A page's text as a reader's copy and search see it: runs joined, wrapped lines joined with one space. */
const pageText = (items: Item[]) => items.map((i) => i.str + (i.eol ? '\n' : '')).join('').replace(/\s+/g, ' ').trim();

/** A birth entry as an ordinary book holds it: every line written, long places, a few changes in the margin. */
const ORDINARY_BIRTH = {
  fullName: 'Nguyễn Thị Thu Hà', sex: 'female', birthDate: '1962-03-15', birthPlace: 'Nhà hộ sinh khu vực Bạch Mai, Phường Bạch Mai, Quận Hai Bà Trưng, Thành phố Hà Nội',
  hometown: 'Xã Đông La, Huyện Đông Hưng, Tỉnh Thái Bình', ethnicity: 'Kinh', nationality: 'Việt Nam', idNumber: '001162012345',
  motherName: 'Trần Thị Hoà', motherBirthYear: '1940', motherEthnicity: 'Kinh', motherNationality: 'Việt Nam', motherResidence: 'Số 12 ngõ 35 phố Bạch Mai, Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội',
  fatherName: 'Nguyễn Văn Đức', fatherBirthYear: '1938', fatherEthnicity: 'Kinh', fatherNationality: 'Việt Nam', fatherResidence: 'Số 12 ngõ 35 phố Bạch Mai, Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội',
  registrationDate: '1962-03-20', declarantName: 'Nguyễn Văn Đức', declarantRelation: 'cha', registrarName: 'Phạm Văn Lưỡng',
};
const EVENTS = [
  { kind: 'correction', field: 'fullName', oldValue: 'Nguyễn Thị Hà', newValue: 'Nguyễn Thị Thu Hà', date: '1980-05-02', raw: 'Cải chính họ tên' },
  { kind: 'correction', field: 'birthPlace', oldValue: 'Bạch Mai', newValue: 'Nhà hộ sinh khu vực Bạch Mai', date: '1981-07-12', raw: 'Cải chính nơi sinh' },
  { kind: 'guardianship', field: null, oldValue: null, newValue: 'Trần Văn Bình', date: '1970-01-09', raw: 'Đăng ký giám hộ: người giám hộ là Trần Văn Bình' },
];

describe('certified extract layout', () => {
  let t: TestDatabase;
  let keys: string;
  let ordinary: number;
  let longNotes: number;
  let longOffice: number;
  let abolished: number;
  let unset: { id: number; publicId: string };

  beforeAll(async () => {
    t = await createTestDatabase();
    keys = join(await mkdtemp(join(tmpdir(), 'civreg-keys-')), 'keys');
    const book = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 2016 });
    ordinary = (await seedEntry(t.db, book, { year: 2016, entryNo: 12, registerType: 'birth', fields: { ...ORDINARY_BIRTH, notes: 'Đã cấp bản sao ngày 20/3/2016' }, events: EVENTS })).id;
    const notes = Array.from({ length: 30 }, (_, i) => ({ kind: 'guardianship', field: null, oldValue: null, newValue: `Người giám hộ số ${i + 1}, cư trú tại Phường Bạch Mai, Quận Hai Bà Trưng`, date: `1970-01-${String(i + 1).padStart(2, '0')}`, raw: 'Đăng ký giám hộ' }));
    longNotes = (await seedEntry(t.db, book, { year: 2016, entryNo: 13, registerType: 'birth', fields: ORDINARY_BIRTH, events: notes })).id;
    const far = await seedBook(t.db, { officeCode: 'DH', officeName: 'Phòng Tư pháp Huyện Hoàng Su Phì, Tỉnh Hà Giang', registerType: 'birth', bookNo: '02', yearFrom: 2016 });
    longOffice = (await seedEntry(t.db, far, { year: 2016, entryNo: 3, registerType: 'birth', fields: ORDINARY_BIRTH })).id;
    const district = await seedBook(t.db, { officeCode: 'DHG', officeName: 'Huyện Đông Hưng, Tỉnh Thái Bình', registerType: 'birth', bookNo: '05', yearFrom: 1999 });
    abolished = (await seedEntry(t.db, district, { year: 1999, entryNo: 7, registerType: 'birth', fields: ORDINARY_BIRTH })).id;
    const commune = await seedBook(t.db, { officeCode: 'TL', officeName: 'Xã Thư Lâm', registerType: 'birth', bookNo: '01', yearFrom: 2016 });
    unset = await seedEntry(t.db, commune, { year: 2016, entryNo: 1, registerType: 'birth', fields: ORDINARY_BIRTH });
    // who issues extracts is set by staff (civreg issuer set); TL and DHG have nobody yet
    await setIssuer(t.db, { office: 'HBT', superior: null, heading: ['Ủy ban nhân dân', 'quận Hai Bà Trưng'], place: 'Hai Bà Trưng' }, 'test');
    await setIssuer(t.db, { office: 'DH', superior: 'Ủy ban nhân dân huyện Hoàng Su Phì', heading: ['Phòng Tư pháp'], place: 'Hoàng Su Phì' }, 'test');
  });
  afterAll(async () => {
    await t.drop();
  });

  it('fits an ordinary birth extract, every line written and changes in its margin, on one page', async () => {
    const pages = await pdfItems((await issueExtract(t.db, keys, ordinary, 'https://hotich.example.gov.vn')).pdf);
    expect(pages).toHaveLength(1);
    const text = pageText(pages[0]!);
    for (const expected of ['Nhà hộ sinh khu vực Bạch Mai', 'Đã cấp bản sao ngày 20/3/2016', 'Cải chính nơi sinh', 'Giám hộ: Trần Văn Bình', 'NGƯỜI KÝ TRÍCH LỤC']) expect(text, expected).toContain(expected);
    expect(text).not.toContain('Trang 1/');
  });

  it('goes on to more pages only when it must, every page saying "Trang x/y" and the extract’s number', async () => {
    const pages = await pdfItems((await issueExtract(t.db, keys, longNotes, 'https://hotich.example.gov.vn')).pdf);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((items, i) => {
      const text = pageText(items);
      expect(text, `page ${i + 1}`).toContain(`Trang ${i + 1}/${pages.length}`);
      expect(text, `page ${i + 1}`).toContain('TLKS-BS');
      expect(text, `page ${i + 1}`).toContain('TRÍCH LỤC KHAI SINH');
    });
    // every note is printed, once; the signature closes the last page
    const all = pages.map(pageText).join(' ');
    for (let n = 1; n <= 30; n++) expect(all.match(new RegExp(`Người giám hộ số ${n},`, 'g')), `note ${n}`).toHaveLength(1);
    expect(pageText(pages.at(-1)!)).toContain('NGƯỜI KÝ TRÍCH LỤC');
    expect(pages.slice(0, -1).some((p) => pageText(p).includes('NGƯỜI KÝ TRÍCH LỤC'))).toBe(false);
    // the notes are headed once, and a page they go on to says so before its first note
    expect(all.match(/Ghi chú:/g)).toHaveLength(1);
    const goOn = pages.slice(1).filter((p) => pageText(p).includes('Người giám hộ số'));
    expect(goOn.length).toBeGreaterThan(0);
    for (const items of goOn) {
      const text = pageText(items);
      expect(text.indexOf('Ghi chú (tiếp theo):'), text.slice(0, 120)).toBeGreaterThan(-1);
      expect(text.indexOf('Ghi chú (tiếp theo):')).toBeLessThan(text.indexOf('– '));
    }
  });

  it('heads the extract with the people’s committee over the issuing office, wrapped clear of the national motto', async () => {
    const [items] = await pdfItems((await issueExtract(t.db, keys, ordinary, 'http://x')).pdf);
    const text = pageText(items!);
    expect(text).toMatch(/^ỦY BAN NHÂN DÂN QUẬN HAI BÀ TRƯNG .*CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
    const [far] = await pdfItems((await issueExtract(t.db, keys, longOffice, 'http://x')).pdf);
    const farText = pageText(far!);
    expect(farText).toContain('ỦY BAN NHÂN DÂN HUYỆN HOÀNG SU PHÌ');
    expect(farText).toContain('PHÒNG TƯ PHÁP');
    // the heading's two columns, above the title: nothing of the left one reaches into the right one
    const title = far!.find((i) => i.str === 'TRÍCH LỤC KHAI SINH')!;
    const heading = far!.filter((i) => i.str.trim() && i.y > title.y);
    const centre = (i: Item) => i.x + i.width / 2;
    const left = heading.filter((i) => centre(i) < 297);
    const right = heading.filter((i) => centre(i) >= 297);
    expect(left.map((i) => i.str)).toEqual(['ỦY BAN NHÂN DÂN HUYỆN HOÀNG SU PHÌ', 'PHÒNG TƯ PHÁP', 'Số: ………/TLKS-BS']);
    expect(right.map((i) => i.str)).toContain('Hoàng Su Phì, ngày ....... tháng ....... năm ..........');
    const rightEdge = Math.max(...left.map((i) => i.x + i.width));
    expect(rightEdge).toBeLessThan(Math.min(...right.map((i) => i.x)) - 4);
  });

  it('names the signer’s title in the caption and keeps the room to sign and stamp clear of the printed lines', async () => {
    const [items] = await pdfItems((await issueExtract(t.db, keys, ordinary, 'https://hotich.example.gov.vn')).pdf);
    expect(pageText(items!)).toContain('(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)');
    const title = items!.find((i) => i.str === 'NGƯỜI KÝ TRÍCH LỤC')!;
    const caption = items!.filter((i) => i.y < title.y && i.y > title.y - 30);
    const captionBottom = Math.min(...caption.map((i) => i.y));
    // a round seal of 4 cm (113 pt) centred under the title, down to the page's foot
    const cx = title.x + title.width / 2;
    const stamp = { left: cx - 60, right: cx + 60, top: captionBottom - 4, bottom: 20 };
    const inside = items!.filter((i) => i.str.trim() && i.y < stamp.top && i.y > stamp.bottom && i.x < stamp.right && i.x + i.width > stamp.left);
    expect(inside.map((i) => i.str)).toEqual([]);
    // the technical lines are still there, beside it
    expect(pageText(items!)).toMatch(/Mã khóa ký: \w+/);
    expect(pageText(items!)).toContain('/verify/1.');
  });

  it('leaves the day of issue to the officer who signs, and says when the electronic copy was made', async () => {
    const [items] = await pdfItems((await issueExtract(t.db, keys, ordinary, 'http://x', new Date('2026-02-04T20:00:00Z'))).pdf);
    const text = pageText(items!);
    expect(text).toContain('Hai Bà Trưng, ngày ....... tháng ....... năm ..........');
    expect(text).not.toMatch(/ngày 0?5 tháng 0?2 năm 2026/);
    expect(text).toContain('Bản điện tử tạo ngày 05/02/2026');
  });

  it('is refused while nobody is set to issue the extracts of the book’s office, never headed by the book’s office', async () => {
    expect(await issuerFor(t.db, { code: 'TL', name: 'Xã Thư Lâm' })).toBeNull();
    await expect(issueExtract(t.db, keys, unset.id, 'http://x')).rejects.toBeInstanceOf(IssuerNotSetError);
    // a procedure service is told why, in Vietnamese, and what the registry's staff must do; the refusal is logged
    const app = await apiApp({ db: t.db, signingKeyDir: keys, publicUrl: 'https://hotich.example.gov.vn' });
    try {
      const { headers } = await newClient(t.db, 'desk');
      const refused = await app.inject({ method: 'GET', url: `/api/v1/records/${unset.publicId}/extract.pdf`, headers });
      // 409: nothing is down, so a client must not retry; the message names the office and whom to ask, not a command
      expect(refused.statusCode).toBe(409);
      const { message } = refused.json().error as { message: string };
      expect(refused.json()).toEqual({ error: { code: 'issuer_not_set', message } });
      expect(message).toBe('Chưa cấp được trích lục: chưa khai báo cơ quan cấp trích lục cho Xã Thư Lâm (mã TL). Hãy đề nghị quản trị viên khai báo cơ quan cấp cho cơ quan này.');
      expect(message.split(/\s+/).length).toBeLessThanOrEqual(35);
      expect(message).not.toContain('civreg');
      const [logged] = await t.db.query<{ status: number; code: string }>('select status, code from lookup_log order by id desc limit 1');
      expect(logged).toEqual({ status: 409, code: 'issuer_not_set' });
      // start-up and `civreg status` warn of the offices with verified records and nobody to issue their extracts
      const unsetOffices = (await officesWithoutIssuer(t.db)).map((o) => o.code);
      expect(unsetOffices).toEqual(expect.arrayContaining(['TL', 'DHG']));
      expect(unsetOffices).not.toContain('HBT');
    } finally {
      await app.close();
    }
  });

  it('heads an abolished district’s extract with the issuer set for its office, naming the district only as the book’s office', async () => {
    await expect(issueExtract(t.db, keys, abolished, 'http://x')).rejects.toMatchObject({ code: 'issuer_not_set', office: { code: 'DHG' } });
    await setIssuer(t.db, { office: 'DHG', superior: null, heading: ['ỦY BAN NHÂN DÂN', 'XÃ ĐÔNG QUAN'], place: 'Đông Quan' }, 'test');
    const before = await issueExtract(t.db, keys, abolished, 'http://x');
    const [items] = await pdfItems(before.pdf);
    const text = pageText(items!);
    expect(text).toMatch(/^ỦY BAN NHÂN DÂN XÃ ĐÔNG QUAN Số/);
    expect(text).toContain('Đông Quan, ngày ....... tháng ....... năm ..........');
    expect(text).not.toContain('HUYỆN ĐÔNG HƯNG');
    expect(text).not.toContain('Đông Hưng, ngày');
    // the book's office, as it was then, stays where the extract says which book it copies
    expect(text).toContain('quyển số 05, năm 1999, số 7, Huyện Đông Hưng, Tỉnh Thái Bình.');
    // the heading is not sealed: an extract issued before the setting changes is still genuine
    await setIssuer(t.db, { office: 'DHG', superior: 'ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN', heading: ['ỦY BAN NHÂN DÂN', 'XÃ ĐÔNG QUAN'], place: 'Đông Quan' }, 'test');
    expect((await verifyExtract(t.db, before.seal)).verdict).toBe('genuine');
  });

  it('stores heading lines in capitals and audits who set and cleared the issuer, with the setting before and after', async () => {
    const events = () => t.db.query<{ actor: string; action: string; object_id: string; detail: { before: unknown; after: unknown } }>(
      "select actor, action, object_id, detail from audit_event where object_type = 'extract_issuer' and object_id = 'TL' order by id");
    await setIssuer(t.db, { office: 'TL', superior: 'ủy ban nhân dân thành phố hà nội', heading: ['Ủy ban nhân dân', 'xã Thư Lâm'], place: 'Thư Lâm' }, 'clerk-a');
    const [stored] = (await listIssuers(t.db)).filter((i) => i.office === 'TL');
    expect(stored).toMatchObject({ superior: 'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI', heading: ['ỦY BAN NHÂN DÂN', 'XÃ THƯ LÂM'], place: 'Thư Lâm' });
    expect(stored!.heading.every((line) => line === line.normalize('NFC'))).toBe(true);
    await setIssuer(t.db, { office: 'TL', superior: null, heading: ['Ủy ban nhân dân', 'phường Bạch Mai'], place: 'Bạch Mai' }, 'clerk-b');
    expect(await clearIssuer(t.db, 'TL', 'clerk-c')).toBe(true);
    expect(await clearIssuer(t.db, 'TL', 'clerk-c')).toBe(false);
    const trail = await events();
    expect(trail.map((e) => [e.actor, e.action])).toEqual([['clerk-a', 'issuer_set'], ['clerk-b', 'issuer_set'], ['clerk-c', 'issuer_cleared']]);
    expect(trail[0]!.detail.before).toBeNull();
    expect(trail[1]!.detail).toMatchObject({ before: { heading: ['ỦY BAN NHÂN DÂN', 'XÃ THƯ LÂM'], place: 'Thư Lâm' }, after: { superior: null, heading: ['ỦY BAN NHÂN DÂN', 'PHƯỜNG BẠCH MAI'], place: 'Bạch Mai' } });
    expect(trail[2]!.detail).toEqual({ before: { superior: null, heading: ['ỦY BAN NHÂN DÂN', 'PHƯỜNG BẠCH MAI'], place: 'Bạch Mai' }, after: null });
  });

  it('uses the deployment’s default issuer for offices without their own, an office’s own before it', async () => {
    try {
      await setIssuer(t.db, { office: null, superior: 'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI', heading: ['SỞ TƯ PHÁP'], place: 'Hà Nội' }, 'test');
      expect(await issuerFor(t.db, { code: 'TL', name: 'Xã Thư Lâm' })).toMatchObject({ superior: 'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI', issuer: ['SỞ TƯ PHÁP'], place: 'Hà Nội', origin: 'default' });
      expect(await issuerFor(t.db, { code: 'DHG', name: 'Huyện Đông Hưng, Tỉnh Thái Bình' })).toMatchObject({ issuer: ['ỦY BAN NHÂN DÂN', 'XÃ ĐÔNG QUAN'], origin: 'office' });
      const [items] = await pdfItems((await issueExtract(t.db, keys, unset.id, 'http://x')).pdf);
      expect(pageText(items!)).toMatch(/^ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI SỞ TƯ PHÁP Số/);
      expect((await listIssuers(t.db)).map((i) => i.office)).toEqual([null, 'DH', 'DHG', 'HBT']);
      await expect(setIssuer(t.db, { office: 'NOPE', superior: null, heading: ['X'], place: 'Y' }, 'test')).rejects.toMatchObject({ code: 'unknown_office' });
      await expect(setIssuer(t.db, { office: null, superior: null, heading: [' '], place: 'Y' }, 'test')).rejects.toMatchObject({ code: 'bad_issuer' });
    } finally {
      expect(await clearIssuer(t.db, null, 'test')).toBe(true);
    }
    expect(await issuerFor(t.db, { code: 'TL', name: 'Xã Thư Lâm' })).toBeNull();
  });
});
