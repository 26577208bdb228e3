import { describe, expect, it } from 'vitest';
import { findBookIssues, pageShortfalls, placeKeyedEntries, type BookEntry } from '../../src/extract/numbering.ts';
import { extractPage } from '../../src/extract/extract.ts';
import { expectedEntries } from '../../src/extract/unread.ts';
import { ocrWords } from './ocr-words.ts';

/** A 2006–2015 birth form as OCR reads a hand-filled one: the printed labels, the fill as `fill` gives it. */
const birthForm = (no: string, fill = (value: string) => value) => [
  `Số: ${fill(no)} Quyển số: ${fill('01/2012')}`,
  `Họ và tên: ${fill('Nguyễn Văn An')} Giới tính: ${fill('Nam')}`,
  `Ngày, tháng, năm sinh: ${fill('12/03/2012')}`,
  `Ghi bằng chữ: ${fill('Ngày mười hai tháng ba năm hai nghìn không trăm mười hai')}`,
  `Nơi sinh: ${fill('Bệnh viện Bạch Mai, Hà Nội')}`,
  `Dân tộc: ${fill('Kinh')} Quốc tịch: ${fill('Việt Nam')}`,
  `Quê quán: ${fill('Xã Yên Thắng, Huyện Ý Yên, Tỉnh Nam Định')}`,
  `Họ và tên mẹ: ${fill('Trần Thị Hoa')}`,
  `Năm sinh: ${fill('1985')} Dân tộc: ${fill('Kinh')} Quốc tịch: ${fill('Việt Nam')}`,
  `Nơi cư trú: ${fill('Phường Bạch Mai, Hai Bà Trưng, Hà Nội')}`,
  `Họ và tên cha: ${fill('Nguyễn Văn Bình')}`,
  `Năm sinh: ${fill('1982')} Dân tộc: ${fill('Kinh')} Quốc tịch: ${fill('Việt Nam')}`,
  `Nơi cư trú: ${fill('Phường Bạch Mai, Hai Bà Trưng, Hà Nội')}`,
  `Họ và tên người đi khai sinh: ${fill('Nguyễn Văn Bình')}`,
  `Quan hệ với người được khai sinh: ${fill('Cha')}`,
  `Ngày, tháng, năm đăng ký: ${fill('20/03/2012')}`,
  `Cán bộ Tư pháp - Hộ tịch: ${fill('Lê Thị Mai')}`,
  'Ghi chú:',
];
/** Hand fill OCR cannot follow: stroke-like scraps with no label in them. */
const scrawl = (value: string) => value.replace(/\S+/g, (w) => (w.length > 2 ? 'ıı~' : 'ı'));
const page = (lines: string[]) => ({ id: 9, registerType: 'birth' as const, era: '2006-2015' as const, yearFrom: 2012, yearTo: 2012, width: 2480, height: 3508, words: ocrWords(lines) });

describe('entries a page holds, counted by the printed labels', () => {
  it('counts every form on the page, read or not, and no more', () => {
    const readable = [...birthForm('15'), ...birthForm('16')];
    expect(expectedEntries(ocrWords(readable), 'birth', '2006-2015')).toBe(2);
    expect(extractPage(page(readable))).toHaveLength(2);
    // the second form's fill is unreadable and its number and name lines lost: extraction runs it into the first entry
    const second = birthForm('16', scrawl).slice(2);
    const lines = [...birthForm('15'), ...second];
    expect(extractPage(page(lines))).toHaveLength(1);
    expect(expectedEntries(ocrWords(lines), 'birth', '2006-2015')).toBe(2);
    // one form: one entry
    expect(expectedEntries(ocrWords(birthForm('15')), 'birth', '2006-2015')).toBe(1);
  });

  it('does not count the rest of an entry begun on the page before, nor a stray label in a value', () => {
    const rest = birthForm('14').slice(10); // "Họ và tên cha:" onwards: the continuation
    expect(expectedEntries(ocrWords([...rest, ...birthForm('15')]), 'birth', '2006-2015')).toBe(1);
    const stray = [...birthForm('15').slice(0, 12), 'Nơi sinh: Hà Nội', ...birthForm('15').slice(12)];
    expect(expectedEntries(ocrWords(stray), 'birth', '2006-2015')).toBe(1);
  });

  it('does not count a ruled page by labels (it has none; its rules count it), nor pages of a register the era did not keep', () => {
    expect(expectedEntries(ocrWords(birthForm('15')), 'birth', '1961-1998')).toBeNull();
    expect(expectedEntries(ocrWords(birthForm('15')), 'recognition', '1999-2005')).toBeNull();
  });
});

describe('book checks with entries not read', () => {
  let id = 0;
  const entries = (pageId: number, numbers: number[]): BookEntry[] =>
    numbers.map((entryNo) => ({ id: ++id, pageId, pageOrder: pageId, printedPageNo: null, year: 2012, entryNo, numberSure: true, registrationDate: '2012-05-01', struck: false }));
  const book = { yearFrom: 2012, yearTo: 2012 };

  it('raises a page only where fewer entries were found than its labels show', () => {
    expect([...pageShortfalls([{ pageId: 1, expected: 3, found: 2 }, { pageId: 2, expected: 2, found: 2 }, { pageId: 3, expected: 2, found: 3 }, { pageId: 4, expected: 2, found: 0 }, { pageId: 5, expected: null, found: 1 }])])
      .toEqual([[1, 1]]);
  });

  it('claims no gap an unread entry of the pages around it explains, and claims it again once that is keyed', () => {
    const read = [...entries(1, [1, 2, 3]), ...entries(2, [5, 6, 7])];
    // without the count: 4 is a gap at the page break
    expect(findBookIssues(read, book).map((i) => i.kind)).toEqual(['entry_gap']);
    // page 1 holds an entry not read: 4 is most likely that one
    expect(findBookIssues(read, book, new Map([[1, 1]]))).toEqual([]);
    // an unread entry explains one number only: 4 and 5 skipped is still a gap of one
    expect(findBookIssues([...entries(3, [1, 2, 3, 4, 5, 6]), ...entries(4, [9, 10, 11, 12, 13, 14])], book, new Map([[3, 1]]))).toEqual([
      expect.objectContaining({ kind: 'entry_gap', detail: { after: 6, missing: [expect.any(Number)] } }),
    ]);
    // an unread entry on a page elsewhere in the book explains nothing here
    expect(findBookIssues([...entries(5, [1, 2, 3]), ...entries(6, [5, 6, 7]), ...entries(7, [8, 9, 10])], book, new Map([[7, 1]])).map((i) => i.kind)).toEqual(['entry_gap']);
  });

  it('puts a keyed entry where its number goes on its page', () => {
    const [a, c] = entries(8, [1, 3]);
    const [b] = entries(8, [2]);
    const ordered = placeKeyedEntries([a!, c!, { ...b!, keyed: true }]);
    expect(ordered.map((e) => e.entryNo)).toEqual([1, 2, 3]);
    expect(findBookIssues(ordered, book)).toEqual([]);
  });
});
