import { describe, expect, it } from 'vitest';
import { encodeLegacy, repairVietnamese } from '../../src/text/legacy-encodings.ts';
import {
  comparable,
  compareDates,
  foldDiacritics,
  nameKey,
  parsePreciseDate,
  splitName,
  surnameKey,
  swapTonePlacement,
  tonePlacementVariants,
  unifyTonePlacement,
} from '../../src/text/normalise.ts';

describe('comparable text', () => {
  it('treats decomposed Unicode, case and spacing as equal', () => {
    expect(comparable('Nguyễn Thị Hà'.normalize('NFD'))).toBe(comparable('  NGUYỄN   thị hà '));
    expect(comparable('Nguyễn Thị Hà'.normalize('NFD'))).toBe('nguyễn thị hà');
  });

  it('reads TCVN3 and VNI text once repaired', () => {
    for (const encoding of ['tcvn3', 'vni'] as const) {
      const stored = encodeLegacy('Huỳnh Thị Thuỷ', encoding);
      expect(stored).not.toBe('Huỳnh Thị Thuỷ');
      expect(comparable(repairVietnamese(stored).text)).toBe(comparable('Huỳnh Thị Thủy'));
    }
  });
});

describe('tone-mark placement', () => {
  it('unifies hoà/hòa, thuý/thúy, thuỷ/thủy, khoẻ/khỏe on the second vowel', () => {
    expect(unifyTonePlacement('Hòa')).toBe('Hoà');
    expect(unifyTonePlacement('Hoà')).toBe('Hoà');
    expect(unifyTonePlacement('thúy')).toBe('thuý');
    expect(unifyTonePlacement('Thủy Tiên, Hòa Bình')).toBe('Thuỷ Tiên, Hoà Bình');
    expect(unifyTonePlacement('khỏe')).toBe('khoẻ');
    expect(comparable('Nguyễn Thị Thúy')).toBe(comparable('Nguyễn Thị Thuý'));
  });

  it('leaves closed syllables and "qu" alone', () => {
    for (const word of ['Hoàng', 'Toàn', 'Quỳnh', 'Khoát', 'Quý', 'Huỳnh']) expect(unifyTonePlacement(word)).toBe(word);
    expect(swapTonePlacement('Quý')).toBe('Quý');
  });

  it('lists one variant per movable word, in text order', () => {
    expect(tonePlacementVariants('Hoà Thủy')).toEqual(['Hòa Thủy', 'Hoà Thuỷ']);
    expect(tonePlacementVariants('Xã Tân Hòa, Huyện Vũ Thư')).toEqual(['Xã Tân Hoà, Huyện Vũ Thư']);
    expect(tonePlacementVariants('Nguyễn Văn An')).toEqual([]);
  });
});

describe('folding and names', () => {
  it('drops every diacritic and reads đ as d', () => {
    expect(foldDiacritics('Đặng Thị Thuỷ')).toBe('dang thi thuy');
    expect(foldDiacritics('ĐỖ ĐỨC')).toBe('do duc');
  });

  it('merges regional surname variants Hoàng/Huỳnh and Vũ/Võ', () => {
    expect(surnameKey('Huỳnh')).toBe(surnameKey('Hoàng'));
    expect(surnameKey('Võ')).toBe(surnameKey('Vũ'));
    expect(surnameKey('Võ')).not.toBe(surnameKey('Vương'));
    expect(nameKey('Huỳnh Thị Hoà')).toBe(nameKey('Hoàng Thị Hòa'));
    expect(nameKey('Võ Văn Thành')).toBe(nameKey('Vũ Văn Thành'));
    expect(nameKey('Nguyễn Văn An')).not.toBe(nameKey('Nguyễn Văn Anh'));
  });

  it('splits a name into surname, middle names and given name', () => {
    expect(splitName('Nguyễn Thị Thu Hà')).toEqual({ surname: 'Nguyễn', middle: 'Thị Thu', given: 'Hà' });
    expect(splitName('Lê An')).toEqual({ surname: 'Lê', middle: '', given: 'An' });
    expect(splitName('Tý')).toEqual({ surname: '', middle: '', given: 'Tý' });
    expect(splitName('  ')).toEqual({ surname: '', middle: '', given: '' });
  });
});

describe('dates with precision', () => {
  it('parses day, month and year precision and refuses impossible dates', () => {
    expect(parsePreciseDate('1962-03-15')).toEqual({ year: 1962, month: 3, day: 15, precision: 'day' });
    expect(parsePreciseDate('1962-03')).toMatchObject({ month: 3, day: null, precision: 'month' });
    expect(parsePreciseDate('1962')).toMatchObject({ year: 1962, precision: 'year' });
    expect(parsePreciseDate('1962-02-30')).toBeNull();
    expect(parsePreciseDate('15/03/1962')).toBeNull();
  });

  it('lets a year-only date agree weakly with any day of that year, never with another year', () => {
    expect(compareDates('1962-03-15', '1962-03-15')).toBe('exact');
    expect(compareDates('1962', '1962-03-15')).toBe('compatible');
    expect(compareDates('1962-11-30', '1962')).toBe('compatible');
    expect(compareDates('1962-03', '1962-03-15')).toBe('compatible');
    expect(compareDates('1962-04', '1962-03-15')).toBe('different');
    expect(compareDates('1963', '1962-03-15')).toBe('different');
  });

  it('recognises swapped day and month, near dates and missing ones', () => {
    expect(compareDates('1962-03-05', '1962-05-03')).toBe('swapped');
    expect(compareDates('1962-03-05', '1962-03-09')).toBe('near');
    expect(compareDates('1962-03-05', '1982-03-05')).toBe('near');
    expect(compareDates('1962-03-05', '1975-08-01')).toBe('different');
    expect(compareDates('1962-03-05', undefined)).toBe('missing');
  });
});
