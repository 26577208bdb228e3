import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract.ts';
import { CLOSED_AFTER, loadVocabulary, namedPlace, rareName, rareSpellings, streetName, wordsFrom } from '../../src/extract/vocabulary.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { ocrWords } from './ocr-words.ts';

const names = wordsFrom([
  { word: 'Nguyễn', n: 400 }, { word: 'Thị', n: 300 }, { word: 'Chi', n: 40 }, { word: 'Chí', n: 12 }, { word: 'Thủy', n: 30 }, { word: 'Thúy', n: 25 },
  { word: 'Thuỵ', n: 3 }, { word: 'Hà', n: 80 }, { word: 'Hạ', n: 1 },
]);

describe('spellings checked against verified and existing values', () => {
  it('finds a word spelled as names almost never are while its other spellings are common', () => {
    expect(rareSpellings('Nguyễn Thị Chi', names)).toEqual([]);
    expect(rareSpellings('Nguyễn Thị Chỉ', names)).toEqual(['Chỉ']); // never seen, its letters 52 times
    expect(rareSpellings('Nguyễn Thị Thuy', names)).toEqual(['Thuy']);
    expect(rareSpellings('Nguyễn Thị Thuỵ', names)).toEqual([]); // rare but seen, among few spellings
    expect(rareSpellings('Nguyễn Thị Hạ', names)).toEqual(['Hạ']); // 1 of 81
    // a word nobody has seen in any spelling proves nothing, and neither does no evidence at all
    expect(rareSpellings('Nguyễn Thị Xoan', names)).toEqual([]);
    expect(rareSpellings('Nguyễn Thị Chỉ', undefined)).toEqual([]);
  });

  it('finds the street of a place as written, not a unit whose name has "phố" in it', () => {
    expect(streetName('Số 2 phố Hàm Nghi, P. Cầu Diễn, Q. Nam Từ Liêm, Thành phố Hà Nội')).toBe('Hàm Nghi');
    expect(streetName('Số 5 đường Nguyễn Tuân, Phường Thanh Xuân Trung')).toBe('Nguyễn Tuân');
    expect(streetName('Phòng 3, Khu phố Hoàn Kiếm, Thành phố Hà Nội')).toBeNull();
    expect(streetName('Xã Kiêu Kỵ, Huyện Gia Lâm')).toBeNull();
    // an alley of a street, by its number
    expect(streetName('Số 44 ngõ 20 Nguyễn Tuân, P. Thượng Đình, Q. Thanh Xuân')).toBe('Nguyễn Tuân');
    expect(streetName('Số 7 ngách 3/12 Khương Trung, P. Khương Trung')).toBe('Khương Trung');
    expect(streetName('Ngõ 5, phố Huế')).toBe('Huế');
    // a village or hamlet by its name, which the gazetteer does not hold either (its name judged whole); one by its number has none
    expect(streetName('Thôn Đào Xuyên, X. Dương Xá, H. Gia Lâm, Hà Nội')).toBeNull();
    expect(namedPlace('Thôn Đào Xuyên, X. Dương Xá, H. Gia Lâm, Hà Nội')).toBe('Đào Xuyên');
    expect(namedPlace('xóm Giữa, X. Kiêu Kỵ')).toBe('Giữa');
    expect(namedPlace('Số 2 phố Hàm Nghi, P. Cầu Diễn')).toBe('Hàm Nghi');
    expect(namedPlace('Xóm 11, X. Kiêu Kỵ')).toBe('11');
  });

  it('finds a word never seen so when its other spellings were seen a few times, whatever the tone placement (seed 2851: Tháo, Đảo Xuyên)', () => {
    const few = wordsFrom([{ word: 'Bùi', n: 9 }, { word: 'Thu', n: 4 }, { word: 'Thảo', n: 2 }, { word: 'Hòa', n: 3 }, { word: 'Lan', n: 1 }]);
    expect(rareSpellings('Bùi Thu Tháo', few)).toEqual(['Tháo']);
    expect(rareSpellings('Bùi Thu Thảo', few)).toEqual([]);
    // "Hoà" and "Hòa" are one name, the tone mark placed the new way or the old
    expect(rareSpellings('Bùi Thị Hoà', few)).toEqual([]);
    // seen once, another spelling proves little yet
    expect(rareSpellings('Bùi Thị Lân', few)).toEqual([]);
    // a village's name, whole: never written so, its letters twice; one never written at all proves nothing
    const villages = wordsFrom([{ word: 'Đào Xuyên', n: 2 }, { word: 'Đông Cù', n: 1 }]);
    expect(rareName(namedPlace('Thôn Đảo Xuyên, X. Dương Xá, H. Gia Lâm, Hà Nội')!, villages)).toBe(true);
    expect(rareName('Đào Xuyên', villages)).toBe(false);
    expect(rareName('Sơn Đồng', villages)).toBe(false);
    expect(rareName('Đông Củ', villages)).toBe(false);
  });

  it('takes a word never seen in any spelling as a misread once enough words were counted: fewer for causes of death than for names', () => {
    const causes = (n: number) => wordsFrom([{ word: 'Tai', n }, { word: 'biến', n }, { word: 'mạch', n }, { word: 'máu', n }, { word: 'não', n }]);
    expect(rareSpellings('Tai biến mạc', causes(40), CLOSED_AFTER.deathCause)).toEqual(['mạc']); // "mạch" cut short: 200 words counted
    expect(rareSpellings('Tai biến mạc', causes(39), CLOSED_AFTER.deathCause)).toEqual([]); // too few to say
    expect(rareSpellings('Nguyễn Thị Vến', names, CLOSED_AFTER.name)).toEqual([]); // 891 name words: a rare name may be real
    const many = wordsFrom([{ word: 'Nguyễn', n: 2000 }, { word: 'Thị', n: 900 }, { word: 'Yến', n: 100 }]);
    expect(rareSpellings('Nguyễn Thị Vến', many, CLOSED_AFTER.name)).toEqual(['Vến']); // "Yến" misread, among 3,000
  });

  it('finds a word never seen whose first letter read as another print takes for it makes a common word (V for Y)', () => {
    // few words counted: the vocabulary is not closed, but "Yến" is common and "Vến" never seen
    const few = wordsFrom([{ word: 'Nguyễn', n: 200 }, { word: 'Thị', n: 150 }, { word: 'Yến', n: 12 }, { word: 'Vân', n: 20 }, { word: 'Yên', n: 2 }, { word: 'Vinh', n: 6 }]);
    expect(rareSpellings('Nguyễn Thị Vến', few, CLOSED_AFTER.name)).toEqual(['Vến']);
    // the common word itself, a word whose other reading is not common, and a rare word seen before stay
    expect(rareSpellings('Nguyễn Thị Yến', few, CLOSED_AFTER.name)).toEqual([]);
    expect(rareSpellings('Nguyễn Thị Vên', few, CLOSED_AFTER.name)).toEqual([]);
    expect(rareSpellings('Nguyễn Thị Vân', few, CLOSED_AFTER.name)).toEqual([]);
    expect(rareSpellings('Nguyễn Văn Yinh', wordsFrom([{ word: 'Vinh', n: 6 }, { word: 'Yinh', n: 1 }]), CLOSED_AFTER.name)).toEqual([]);
  });

  it('sends a name or a cause of death with such a word to a person instead of accepting it', () => {
    const vocabulary = new Map([
      ['name', names], ['deathCause', wordsFrom([{ word: 'Viêm', n: 9 }, { word: 'phổi', n: 12 }, { word: 'Suy', n: 7 }, { word: 'tim', n: 7 }])],
      ['street', wordsFrom([{ word: 'Hàm', n: 8 }, { word: 'Nghi', n: 8 }])],
    ] as const);
    const page = (lines: string[], type: 'birth' | 'death') => ({
      id: 1, registerType: type, era: '2016-' as const, yearFrom: 2020, yearTo: 2020, width: 2480, height: 3508,
      words: ocrWords(['Số: 5 Quyển số: 01/2020', ...lines, 'Ngày, tháng, năm đăng ký: 26/04/2020']),
    });
    const field = (lines: string[], type: 'birth' | 'death', name: string) => extractPage(page(lines, type), vocabulary)[0]!.fields.find((f) => f.field === name)!;
    expect(field(['Họ, chữ đệm, tên: Nguyễn Thị Chi'], 'birth', 'fullName').reasons).toEqual([]);
    expect(field(['Họ, chữ đệm, tên: Nguyễn Thị Chỉ'], 'birth', 'fullName').reasons).toEqual(['not_in_dictionary']);
    expect(field(['Nguyên nhân chết: Viêm phổi'], 'death', 'deathCause').reasons).toEqual([]);
    expect(field(['Nguyên nhân chết: Viêm phối'], 'death', 'deathCause').reasons).toEqual(['not_in_dictionary']);
    const residence = (street: string) => field(['Họ, chữ đệm, tên người mẹ: Nguyễn Thị Chi', `Nơi cư trú: Số 2 phố ${street}, P. Cầu Diễn, Q. Nam Từ Liêm, Hà Nội`], 'birth', 'motherResidence');
    expect(residence('Hàm Nghi').reasons).toEqual([]);
    expect(residence('Hàm Nghĩ').reasons).toEqual(['not_in_dictionary']);
  });
});

describe('vocabulary from the database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('counts the words of existing records’ names and causes of death, not of their places, and of their places’ streets', async () => {
    await t.db.query(
      `insert into existing_record (source_id, register_type, fields, source_file, source_row, content_hash, block_keys)
       select 'E' || i, 'death', jsonb_build_object('fullName', 'Lê Thị Chi', 'declarantName', 'Phạm Thị Hà', 'deathPlace', 'Xã Chi Lăng', 'deathCause', 'Viêm phổi',
                'residence', 'Số 2 phố Hàm Nghi, P. Cầu Diễn, Thành phố Hà Nội', 'hometown', 'Số 4 ngõ 20 Nguyễn Tuân, P. Thanh Xuân Trung', 'birthPlace', 'Thôn Đào Xuyên, X. Dương Xá'),
              'x.jsonl', i, md5(i::text), '{}'
         from generate_series(1, 6) i`);
    const vocabulary = await loadVocabulary(t.db);
    const streets = vocabulary.get('street')!;
    expect(streets.count('Nghi')).toBe(6);
    expect(streets.count('Nội')).toBe(0); // "Thành phố Hà Nội" is no street
    expect(streets.count('Tuân')).toBe(6); // the street of an alley, after its number
    // street and village names whole, the same pattern in SQL as in namedPlace
    const named = vocabulary.get('streetName')!;
    expect([named.count('Hàm Nghi'), named.count('Nguyễn Tuân'), named.count('Đào Xuyên'), named.count('Nghi')]).toEqual([6, 6, 6, 0]);
    expect(streets.count('Xuyên')).toBe(0); // a village's words are not a street's
    expect(rareSpellings('Hàm Nghĩ', streets)).toEqual(['Nghĩ']);
    const names = vocabulary.get('name')!;
    expect(names.count('Chi')).toBe(6); // the place "Xã Chi Lăng" is not a name
    expect(names.count('Thị')).toBe(12);
    expect(rareSpellings('Lê Thị Chỉ', names)).toEqual(['Chỉ']);
    expect(rareSpellings('Viêm phối', vocabulary.get('deathCause'))).toEqual(['phối']);
  });
});
