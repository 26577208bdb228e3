import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract.ts';
import { entryNumberAlike } from '../../src/extract/values.ts';
import { BIRTH_2016, page } from './birth-form.ts';

describe('entry numbers with a figure read as a letter', () => {
  it('reads O as 0 and S as 5, and a full stop after the number, nothing else', () => {
    // seed 3342 b13: 56 read "S6" beside the gap after it; seed 3341 b10: 100 read "10O"
    expect(entryNumberAlike('S6')).toBe('56');
    expect(entryNumberAlike('10O')).toBe('100');
    expect(entryNumberAlike('90.')).toBe('90');
    expect(entryNumberAlike('2o :')).toBe('20');
    // a 6 read "ó", a 2 read "Z", letters alone, a word glued to the number: not read
    for (const text of ['1ó', 'Z4', 'SO', 'O', '205Lê', 'T1', '9?', '0S']) expect(entryNumberAlike(text)).toBeNull();
  });

  it('keeps the number so read on the entry for the book checks, never accepted', () => {
    const lines = BIRTH_2016.map((line) => (line === 'Số: 203 Quyển số: 01/2020' ? 'Số: 2O3 Quyển số: 01/2020' : line));
    const [entry] = extractPage(page(lines));
    expect(entry!.entryNo).toBe(203);
    const field = entry!.fields.find((f) => f.field === 'entryNo')!;
    expect(field).toMatchObject({ value: '203', raw: '2O3', reasons: ['parse_failed'] });
    expect(field.confidence).toBeLessThanOrEqual(0.3);
  });
});
