import { describe, expect, it } from 'vitest';
import { parseDateFigures, parseDateWords, parseNumberWords, parseTime } from '../../src/extract/dates.ts';

describe('dates as registers write them', () => {
  it('reads dates in figures with their precision and refuses impossible ones', () => {
    expect(parseDateFigures('15/03/1962')?.iso).toBe('1962-03-15');
    expect(parseDateFigures('5.3.1962')?.iso).toBe('1962-03-05');
    // a full stop after the year (seed 3151: "28/03/1921.", "22/01/2009." went to people unparsed)
    expect(parseDateFigures('28/03/1921.')?.iso).toBe('1921-03-28');
    expect(parseDateFigures('năm 1962.')?.iso).toBe('1962');
    expect(parseDateFigures('15.3.')).toBeNull();
    expect(parseDateFigures('ngày 15 tháng 3 năm 1962')?.iso).toBe('1962-03-15');
    expect(parseDateFigures('tháng 3 năm 1962')).toMatchObject({ iso: '1962-03', precision: 'month' });
    expect(parseDateFigures('03/1962')).toMatchObject({ iso: '1962-03', precision: 'month' });
    expect(parseDateFigures('năm 1931')).toMatchObject({ iso: '1931', precision: 'year' });
    expect(parseDateFigures('31/02/1962')).toBeNull();
    expect(parseDateFigures('15/3/62')).toBeNull(); // the century would be a guess
    expect(parseDateFigures('18/899/2989')).toBeNull();
  });

  it('reads numbers and dates in words with the writers’ variants', () => {
    expect(parseNumberWords('một nghìn chín trăm sáu mươi hai'.split(' '))).toBe(1962);
    expect(parseNumberWords('hai nghìn không trăm linh năm'.split(' '))).toBe(2005);
    expect(parseNumberWords('hai ngàn không trăm lẻ năm'.split(' '))).toBe(2005);
    expect(parseNumberWords('hai mươi mốt'.split(' '))).toBe(21);
    expect(parseNumberWords('hai mươi tư'.split(' '))).toBe(24);
    expect(parseNumberWords('mười lăm'.split(' '))).toBe(15);
    expect(parseNumberWords('tư'.split(' '))).toBeNull();
    expect(parseDateWords('ngày mười lăm tháng ba năm một nghìn chín trăm sáu mươi hai')?.iso).toBe('1962-03-15');
    expect(parseDateWords('Ngày mười bảy tháng tư năm hai nghìn không trăm hai mươi')?.iso).toBe('2020-04-17');
    // "tháng năm năm …": May, then the year
    expect(parseDateWords('ngày một tháng năm năm hai nghìn không trăm mười')?.iso).toBe('2010-05-01');
    expect(parseDateWords('Mười sáu giờ, ngày một tháng mười một năm hai ngàn không trăm mười hai')?.iso).toBe('2012-11-01');
    // diacritics lost by OCR still read
    expect(parseDateWords('ngay muoi tam thang chin nam hai nghin khong tram linh ba')?.iso).toBe('2003-09-18');
    expect(parseDateWords('ngày ba mươi hai tháng một năm hai nghìn')).toBeNull();
  });

  it('reads times of death', () => {
    expect(parseTime('16 giờ')).toBe('16:00');
    expect(parseTime('11 giờ 50 phút')).toBe('11:50');
    expect(parseTime('23h30')).toBe('23:30');
    expect(parseTime('25 giờ')).toBeNull();
  });
});
