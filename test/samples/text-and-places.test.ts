import { describe, expect, it } from 'vitest';
import { drawName, fullName, SURNAMES } from '../../src/samples/names.ts';
import { swapTonePlacement } from '../../src/text/normalise.ts';
import { officeName, placeParts, writePlace } from '../../src/samples/places.ts';
import { Rng } from '../../src/samples/rng.ts';
import { dateInWords, decodePersonalId, numberInWords, personalIdNumber } from '../../src/samples/vietnamese.ts';

describe('Vietnamese numbers and dates in words', () => {
  it('writes the forms DOMAIN.md lists (mốt, tư, lăm, linh)', () => {
    expect(dateInWords({ y: 1962, m: 3, d: 15 })).toBe('ngày mười lăm tháng ba năm một nghìn chín trăm sáu mươi hai');
    expect(numberInWords(2005)).toBe('hai nghìn không trăm linh năm');
    expect(numberInWords(21)).toBe('hai mươi mốt');
    expect(numberInWords(24)).toBe('hai mươi tư');
    expect(numberInWords(14)).toBe('mười bốn');
    expect(numberInWords(1000)).toBe('một nghìn');
    expect(numberInWords(2005, { thousand: 'ngàn', zeroTen: 'lẻ', fourAfterTen: 'bốn' })).toBe('hai ngàn không trăm lẻ năm');
    expect(dateInWords({ y: 1975, m: 4, d: 30 }, undefined, 'month')).toBe('tháng tư năm một nghìn chín trăm bảy mươi lăm');
  });
});

describe('personal ID numbers', () => {
  it('encode province, century and sex, and birth year', () => {
    const r = new Rng(1);
    const id = personalIdNumber(r, '001', 'female', 2018);
    expect(id).toMatch(/^001318\d{6}$/);
    expect(decodePersonalId(id)).toEqual({ province: '001', sex: 'female', birthYear: 2018 });
    expect(decodePersonalId(personalIdNumber(r, '036', 'male', 1975))).toEqual({ province: '036', sex: 'male', birthYear: 1975 });
  });
});

describe('names', () => {
  it('draws surnames at about the shares of DOMAIN.md', () => {
    const r = new Rng(7);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const s = drawName(r, 'male', 1980).surname;
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const total = SURNAMES.reduce((a, [, w]) => a + w, 0);
    expect((counts.get('Nguyễn') ?? 0) / 20_000).toBeCloseTo(38 / total, 1);
    expect((counts.get('Trần') ?? 0) / 20_000).toBeCloseTo(12 / total, 1);
  });

  it('gives older women "Thị" far more often than girls born after 2000', () => {
    const r = new Rng(3);
    const share = (year: number) => Array.from({ length: 2000 }, () => drawName(r, 'female', year).middle.includes('Thị')).filter(Boolean).length / 2000;
    expect(share(1930)).toBeGreaterThan(0.8);
    expect(share(2015)).toBeLessThan(0.2);
    expect(fullName(drawName(r, 'male', 1990, 'Lê'))).toMatch(/^Lê \S+/);
  });
});

describe('tone-mark placement variants', () => {
  it('swaps the placement only in open syllables, where both are accepted', () => {
    expect(swapTonePlacement('Hoà')).toBe('Hòa');
    expect(swapTonePlacement('Thủy Tiên')).toBe('Thuỷ Tiên');
    expect(swapTonePlacement('Nguyễn Thị Hoà Bình')).toBe('Nguyễn Thị Hòa Bình');
    for (const closed of ['Hoàng', 'Toàn', 'Quỳnh', 'Khoát']) expect(swapTonePlacement(closed)).toBe(closed);
  });
});

describe('places by date', () => {
  it('names Hà Đông in Hà Tây before 1 Aug 2008 and in Hà Nội after', () => {
    expect(placeParts({ district: 'ha-dong', ward: 3 }, { y: 2005, m: 6, d: 1 })).toMatchObject({ ward: 'Phường Mộ Lao', district: 'Thị xã Hà Đông', province: 'Hà Tây' });
    expect(placeParts({ district: 'ha-dong', ward: 3 }, { y: 2008, m: 9, d: 1 })).toMatchObject({ district: 'Thành phố Hà Đông', province: 'Hà Nội' });
    expect(placeParts({ district: 'ha-dong', ward: 3 }, { y: 2012, m: 1, d: 1 })).toMatchObject({ district: 'Quận Hà Đông', province: 'Hà Nội' });
  });

  it('has no district level after the 1 July 2025 reform, and tiểu khu / khu phố before 1981', () => {
    expect(placeParts({ district: 'hai-ba-trung', ward: 0 }, { y: 2025, m: 7, d: 1 })).toEqual({ line: undefined, ward: 'Phường Bạch Mai', province: 'Hà Nội' });
    expect(officeName('hai-ba-trung', 0, { y: 1975, m: 1, d: 1 })).toBe('Tiểu khu Bạch Mai, Khu phố Hai Bà Trưng');
    expect(officeName('hai-ba-trung', 0, { y: 1999, m: 1, d: 1 })).toBe('Phường Bạch Mai, Quận Hai Bà Trưng');
  });

  it('abbreviates the way clerks do', () => {
    const parts = placeParts({ district: 'cau-giay', ward: 0, line: 'Số 15 ngõ 165 Cầu Giấy' }, { y: 2010, m: 8, d: 16 });
    expect(writePlace(parts, 'abbrev')).toBe('Số 15 ngõ 165 Cầu Giấy, P. Dịch Vọng, Q. Cầu Giấy, Hà Nội');
    expect(writePlace(parts, 'full')).toBe('Số 15 ngõ 165 Cầu Giấy, Phường Dịch Vọng, Quận Cầu Giấy, Thành phố Hà Nội');
  });
});
