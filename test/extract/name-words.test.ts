import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract.ts';
import { loadNameWords, nameWordsFrom, rareSpellings } from '../../src/extract/name-words.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { ocrWords } from './ocr-words.ts';

const words = nameWordsFrom([
  { word: 'Nguyễn', n: 400 }, { word: 'Thị', n: 300 }, { word: 'Chi', n: 40 }, { word: 'Chí', n: 12 }, { word: 'Thủy', n: 30 }, { word: 'Thúy', n: 25 },
  { word: 'Thuỵ', n: 3 }, { word: 'Hà', n: 80 }, { word: 'Hạ', n: 1 },
]);

describe('name spellings', () => {
  it('finds a word spelled as names almost never are while its other spellings are common', () => {
    expect(rareSpellings('Nguyễn Thị Chi', words)).toEqual([]);
    expect(rareSpellings('Nguyễn Thị Chỉ', words)).toEqual(['Chỉ']); // never seen, its letters 52 times
    expect(rareSpellings('Nguyễn Thị Thuy', words)).toEqual(['Thuy']);
    expect(rareSpellings('Nguyễn Thị Thuỵ', words)).toEqual([]); // rare but seen, among few spellings
    expect(rareSpellings('Nguyễn Thị Hạ', words)).toEqual(['Hạ']); // 1 of 81
    // a word nobody has seen in any spelling proves nothing
    expect(rareSpellings('Nguyễn Thị Xoan', words)).toEqual([]);
  });

  it('sends a name with such a word to a person instead of accepting it', () => {
    const page = (name: string) => ({
      id: 1, registerType: 'birth' as const, era: '2016-' as const, yearFrom: 2020, yearTo: 2020, width: 2480, height: 3508,
      words: ocrWords(['Số: 5 Quyển số: 01/2020', `Họ, chữ đệm, tên: ${name}`, 'Ngày, tháng, năm đăng ký: 26/04/2020']),
    });
    const fullName = (name: string) => extractPage(page(name), words)[0]!.fields.find((f) => f.field === 'fullName')!;
    expect(fullName('Nguyễn Thị Chi').reasons).toEqual([]);
    expect(fullName('Nguyễn Thị Chỉ').reasons).toEqual(['not_in_dictionary']);
    expect(fullName('Nguyễn Thị Chỉ').confidence).toBeLessThan(fullName('Nguyễn Thị Chi').confidence);
  });
});

describe('name words from the database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('counts the words of existing records’ names, not of their places', async () => {
    await t.db.query(
      `insert into existing_record (source_id, register_type, fields, source_file, source_row, content_hash, block_keys)
       select 'E' || i, 'birth', jsonb_build_object('fullName', 'Lê Thị Chi', 'motherName', 'Phạm Thị Hà', 'birthPlace', 'Xã Chi Lăng'), 'x.jsonl', i, md5(i::text), '{}'
         from generate_series(1, 6) i`);
    const counted = await loadNameWords(t.db);
    expect(counted.count('Chi')).toBe(6); // the place "Xã Chi Lăng" is not a name
    expect(counted.count('Thị')).toBe(12);
    expect(counted.spellings('Chỉ')).toBe(6);
    expect(rareSpellings('Lê Thị Chỉ', counted)).toEqual(['Chỉ']);
  });
});
