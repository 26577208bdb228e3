import { describe, expect, it } from 'vitest';
import type { ExtractedField } from '../../schemas/entries.ts';
import { holdRepeatedNumbers } from '../../src/extract/page-doubts.ts';

describe('an entry number read for several entries of a page (number_repeated)', () => {
  const entry = (no: string | null, struck = false) => ({
    struck, fields: [{ field: 'entryNo', raw: no ?? '', value: no, precision: null, pageId: 1, box: null, confidence: 0.99, reasons: [] } as ExtractedField],
  });
  const reasons = (entries: ReturnType<typeof entry>[]) => entries.map((e) => e.fields[0]!.reasons);

  it('sends every copy to a person and leaves the page’s other numbers', () => {
    const page = [entry('27'), entry('27'), entry('27'), entry('279')];
    holdRepeatedNumbers(page);
    expect(reasons(page)).toEqual([['number_repeated'], ['number_repeated'], ['number_repeated'], []]);
  });

  it('does not count a struck entry’s number written again below it, nor numbers not read', () => {
    const page = [entry('31', true), entry('31'), entry(null), entry(null)];
    holdRepeatedNumbers(page);
    expect(reasons(page)).toEqual([[], [], [], []]);
  });
});
