import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBook } from '../../src/extract/book-checks.ts';
import { pagesNamedAlike, type NamedEntry } from '../../src/extract/rescans-named.ts';
import { createLocalBlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { seedEntry } from '../http/review-seed.ts';

/** A typed book of 1972 (seed 3346 b04): no entry number read, the first page scanned again after a spread. */
const PEOPLE = [
  [')Nguyễn Văn Hưng', 'Nguyễn Văn Bảo', 'Hoàng Thị Nhàn'],
  ['IPhan Ngọc Hoa', 'Phan Văn Cường', 'Nguyễn Thị Liên'],
  ['?Nguyễn Thị 0anh', 'Nguyễn Văn Sáu', 'Lê Thị Gấm'],
  ['Lý Thị Dung', 'Lý Đức Lục', 'Huỳnh Thị Mận'],
  ['¡Nguyễn Văn Hải', 'Nguyễn Văn Khánh', 'Đoàn Thị Hương'],
  ["'Ngô Văn Sơn", 'Ngô Văn Thắng', 'Trần Thị Mai'],
];
const AGAIN = [[')Nguyễn Văn Hưng', 'Nguyễn Văn Bảo', 'Hoàng Thị Nhàn'], ['IPhan Ngọc Hoa', 'Phan Văn Cường', 'Nguyễn Thị Liên'], ['PNguyễn Thị 0anh', 'Nguyễn Văn Sáu', 'Lê Thị Gấm']];
let id = 0;
const named = (pageId: number, [fullName = null, fatherName = null, motherName = null]: (string | null)[]): NamedEntry =>
  ({ id: ++id, pageId, pageOrder: pageId, names: { fullName, fatherName, motherName, registrarName: 'Phạm Thị Tuất' } });

describe('pages scanned twice told by the names their entries read', () => {
  it('finds the page whose entries name the people an earlier page names, a mark before a name read otherwise', () => {
    const book = [...PEOPLE.map((p, k) => named(1 + Math.floor(k / 3), p)), ...AGAIN.map((p) => named(3, p))];
    expect(pagesNamedAlike(book)).toEqual([{ pageId: 3, of: 1, entries: 3 }]);
  });

  it('takes no page for a second scan for parents alone, one entry alike, or a registrar every entry names', () => {
    // a family's second child on a later page: the same parents, another child
    const sibling = [...PEOPLE.map((p, k) => named(1 + Math.floor(k / 3), p)), named(3, ['Nguyễn Văn Hùng Cường', 'Nguyễn Văn Bảo', 'Hoàng Thị Nhàn']), named(3, ['Trần Văn Bình', 'Trần Văn Hòa', 'Vũ Thị Lan'])];
    expect(pagesNamedAlike(sibling)).toEqual([]);
    // one entry of three alike (a struck entry written again on the next page)
    const once = [...PEOPLE.map((p, k) => named(1 + Math.floor(k / 3), p)), named(3, PEOPLE[2]!), named(3, ['Trần Văn Bình', 'Trần Văn Hòa', 'Vũ Thị Lan']), named(3, ['Đỗ Thị Hạnh', 'Đỗ Văn Tâm', 'Lê Thị Hoa'])];
    expect(pagesNamedAlike(once)).toEqual([]);
    // only the registrar alike
    const registrar = PEOPLE.map((p, k) => named(1 + Math.floor(k / 3), [p[0]!, 'x', 'y']));
    expect(pagesNamedAlike(registrar)).toEqual([]);
  });
});

describe('pages named alike: a family, and a large book', () => {
  it('takes no page for a second scan for brothers and sisters registered on consecutive pages, their parents alike', () => {
    // five children of one family registered late, three on one page and two on the next, no entry number read
    const children = ['Trần Văn An', 'Trần Thị Bình', 'Trần Văn Cường', 'Trần Thị Dung', 'Trần Văn Em'];
    const family = children.map((child, k) => named(k < 3 ? 1 : 2, [child, 'Trần Văn Phúc', 'Lê Thị Gấm']));
    expect(pagesNamedAlike(family)).toEqual([]);
    // the same page scanned again is still found: the children are named again too
    expect(pagesNamedAlike([...family, ...family.slice(0, 3).map((e) => ({ ...e, id: ++id, pageId: 3, pageOrder: 3 }))])).toEqual([{ pageId: 3, of: 1, entries: 3 }]);
  });

  it('tells a marriage from another only by both spouses', () => {
    const marriage = (pageId: number, husbandName: string, wifeName: string): NamedEntry => ({ id: ++id, pageId, pageOrder: pageId, names: { husbandName, wifeName, registrarName: 'Phạm Thị Tuất' } });
    const first = [marriage(1, 'Nguyễn Văn Hưng', 'Lê Thị Mai'), marriage(1, 'Phan Văn Cường', 'Đỗ Thị Liên')];
    expect(pagesNamedAlike([...first, marriage(2, 'Nguyễn Văn Hưng', 'Lê Thị Mai'), marriage(2, 'Phan Văn Cường', 'Đỗ Thị Liên')])).toEqual([{ pageId: 2, of: 1, entries: 2 }]);
    // one spouse alike on each (a husband married again): no second scan
    expect(pagesNamedAlike([...first, marriage(2, 'Nguyễn Văn Hưng', 'Vũ Thị Hoa'), marriage(2, 'Trần Văn Nam', 'Đỗ Thị Liên')])).toEqual([]);
  });

  it('stays fast on a book of 600 pages whose entries all name the same parents', () => {
    // made-up six-letter words: no two children's names within one edit, so every entry is a candidate to compare
    let seed = 7;
    const letter = () => 'abcdeghiklmnopqrstuvxy'[(seed = (seed * 48271) % 2147483647) % 22];
    const word = () => Array.from({ length: 6 }, letter).join('');
    const book = Array.from({ length: 3000 }, (_, k) => named(1 + Math.floor(k / 5), [`${word()} ${word()}`, 'Trần Văn Phúc', 'Lê Thị Gấm']));
    const started = performance.now();
    expect(pagesNamedAlike(book)).toEqual([]);
    // comparing every entry with every earlier page's grew with the square of the book: 2.6 s for 300 pages alone on
    // the machine, about 10 s for 600; keyed by the own name it is well under a second (test/eval/rescans-named-time.ts)
    expect(performance.now() - started).toBeLessThan(4000);
  });
});

describe('book checks: a page scanned twice, found by the names read', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'civreg-rescan-named-'));
  });
  afterAll(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('raises the second scan where no entry number was read and the pixels were not compared', async () => {
    const blobs = createLocalBlobStore(dir);
    const pages: number[] = [];
    let bookId = 0;
    for (const [k, [fullName, fatherName, motherName]] of [...PEOPLE, ...AGAIN].entries()) {
      const entry = await seedEntry(t.db, blobs, { bookNo: '05', year: 1972, fields: [
        { field: 'entryNo', value: null, reasons: ['parse_failed'] }, { field: 'fullName', value: fullName! }, { field: 'fatherName', value: fatherName! }, { field: 'motherName', value: motherName! },
      ] });
      bookId = entry.bookId;
      // three entries a page: the seeded entry goes onto its page's first seeded page
      if (k % 3 === 0) pages.push(entry.pageId);
      else {
        await t.db.query('update entry set page_id = $2, page_ids = array[$2::bigint], seq = $3 where id = $1', [entry.entryId, pages.at(-1), k % 3]);
        await t.db.query('update entry_field set page_id = $2 where entry_id = $1', [entry.entryId, pages.at(-1)]);
        await t.db.query(`update page set status = 'duplicate', duplicate_of = $2 where id = $1`, [entry.pageId, pages.at(-1)]);
      }
    }
    await t.db.query('update entry set entry_no = null where book_id = $1', [bookId]);
    await checkBook(t.db, bookId);
    const issues = await t.db.query<{ kind: string; pageId: number; detail: Record<string, unknown> }>(`select kind, page_id::int as "pageId", detail from book_issue where book_id = $1 and kind = 'duplicate_page' and not detail ? 'identicalImage'`, [bookId]);
    expect(issues).toEqual([{ kind: 'duplicate_page', pageId: pages[2], detail: { of: pages[0], sameNames: 3 } }]);
  });
});
