import { describe, expect, it } from 'vitest';
import { spelledOtherwise } from '../../src/extract/book-spelling.ts';

describe('names a book repeats, spelled one way there', () => {
  const v = (id: number, value: string, verified = false) => ({ id, value, verified });

  it('doubts the reading with other marks than most of the book’s (seed 2851: "Bùi Thị Hoa" among "Bùi Thị Hoà")', () => {
    expect(spelledOtherwise([v(1, 'Bùi Thị Hoà'), v(2, 'Bùi Thị Hoà'), v(3, 'Bùi Thị Hoa'), v(4, 'Bùi Thị Hòa'), v(5, 'Lê Văn Nam')])).toEqual([3]);
  });

  it('takes the spelling a person confirmed, and doubts both when none stands out', () => {
    expect(spelledOtherwise([v(1, 'Bùi Thị Hoà'), v(2, 'Bùi Thị Hoà'), v(3, 'Bùi Thị Hoa', true)])).toEqual([1, 2]);
    expect(spelledOtherwise([v(1, 'Bùi Thị Hoà'), v(2, 'Bùi Thị Hoa')])).toEqual([1, 2]);
  });

  it('leaves names of other letters alone, and two registrars of one book', () => {
    expect(spelledOtherwise([v(1, 'Bùi Thị Hoà'), v(2, 'Chu Thị Phượng'), v(3, 'Chu Thị Phượng')])).toEqual([]);
    expect(spelledOtherwise([])).toEqual([]);
  });
});
