import { describe, expect, it } from 'vitest';
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import { extractPage } from '../../src/extract/extract.ts';
import { holdPartialFullDates, holdRepeatedNumbers, holdYearsBelowRowTop } from '../../src/extract/page-doubts.ts';
import type { RuledRows } from '../../src/extract/ruled.ts';
import { LAYOUTS, type TableLayout } from '../../src/extract/templates.ts';
import type { OcrWord } from '../../src/extract/words.ts';

const LAYOUT = LAYOUTS.marriage['1961-1998'] as TableLayout;
const LEFT = 100;
/** 10 px per unit of the layout's column widths. */
const UNIT = 10;
const columnX = (item: string) => {
  const at = LAYOUT.columns.findIndex((c) => c.items.includes(item));
  return LEFT + LAYOUT.columns.slice(0, at).reduce((sum, c) => sum + c.width, 0) * UNIT + 8;
};
let line = 0;
/** A typed line of a cell: 22 px a character, 40 px high. */
const typed = (text: string, item: string, y: number): OcrWord[] => {
  line++;
  let at = columnX(item);
  return text.split(' ').map((token) => {
    const word: OcrWord = { text: token, confidence: 0.99, box: [at, y, token.length * 22, 40], line };
    at += (token.length + 1) * 22;
    return word;
  });
};

/** One ruled row (band 500–700) of a typed 1961–1998 marriage register: first line at y 520, the next at 580. */
function row(husbandBirth: OcrWord[], wifeBirth: OcrWord[]): ExtractedEntry[] {
  const words = [
    ...typed('12', 'entryNo', 520), ...typed('Nguyễn Văn Hùng', 'husbandName', 520), ...husbandBirth,
    ...typed('Kinh', 'husbandEthnicity', 520), ...typed('Việt Nam', 'husbandEthnicity', 580),
    ...typed('Phan Thị Tâm', 'wifeName', 520), ...wifeBirth,
    ...typed('Kinh', 'wifeEthnicity', 520), ...typed('Việt Nam', 'wifeEthnicity', 580),
    ...typed('12/3/1972', 'registrationDate', 520),
  ];
  const total = LAYOUT.columns.reduce((sum, c) => sum + c.width, 0);
  const ruled: RuledRows = { left: LEFT, right: LEFT + total * UNIT, bands: [{ from: 500, to: 700, ink: LAYOUT.columns.map(() => 20) }] };
  return extractPage({ id: 1, registerType: 'marriage', era: '1961-1998', yearFrom: 1972, yearTo: 1972, width: 3000, height: 2000, words, ruled });
}
const field = (entry: ExtractedEntry, name: string) => entry.fields.find((f) => f.field === name)!;

describe('year-only dates below their row’s first line (day_month_lost)', () => {
  it('holds a year read on the second line of a date’s cell, whose first line (day and month) OCR lost', () => {
    const entries = row(typed('1948', 'husbandBirthDate', 580), typed('1950', 'wifeBirthDate', 520));
    holdYearsBelowRowTop(entries, LAYOUT);
    expect(field(entries[0]!, 'husbandBirthDate')).toMatchObject({ value: '1948', precision: 'year' });
    expect(field(entries[0]!, 'husbandBirthDate').reasons).toContain('day_month_lost');
    // a year-only date written on the row's first line is a year-only date
    expect(field(entries[0]!, 'wifeBirthDate')).toMatchObject({ value: '1950', reasons: [] });
  });

  it('leaves a wrapped date read whole, and a year-only date on the first line beside values that wrap', () => {
    const entries = row([...typed('03/04/', 'husbandBirthDate', 520), ...typed('1948', 'husbandBirthDate', 580)], typed('1950', 'wifeBirthDate', 526));
    holdYearsBelowRowTop(entries, LAYOUT);
    expect(field(entries[0]!, 'husbandBirthDate')).toMatchObject({ value: '1948-04-03', reasons: [] });
    expect(field(entries[0]!, 'wifeBirthDate').reasons).toEqual([]);
  });

  it('judges only tables: on a form a value follows its label, wherever the line', () => {
    const entries = row(typed('1948', 'husbandBirthDate', 580), []);
    holdYearsBelowRowTop(entries, LAYOUTS.marriage['2006-2015']!);
    expect(field(entries[0]!, 'husbandBirthDate').reasons).toEqual([]);
  });
});

describe('an entry number read for several entries of a page (number_repeated)', () => {
  const entry = (no: string | null, struck = false, year: number | null = 1962) => ({
    year, struck, fields: [{ field: 'entryNo', raw: no ?? '', value: no, precision: null, pageId: 1, box: null, confidence: 0.99, reasons: [] } as ExtractedField],
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

  it('holds a number read twice only within one year: numbering starts again each year', () => {
    const page = [entry('2', false, 1962), entry('3', false, 1962), entry('1', false, 1963), entry('2', false, 1963), entry('3', false, null)];
    holdRepeatedNumbers(page);
    // 1962's no. 2 and 1963's no. 2 are two entries; the no. 3 of a year not read may repeat 1962's
    expect(reasons(page)).toEqual([[], ['number_repeated'], [], [], ['number_repeated']]);
  });
});

describe('a date never written without its day, read to the year or month (day_month_lost)', () => {
  const date = (field: string, value: string, precision: 'day' | 'month' | 'year'): ExtractedField =>
    ({ field, raw: value, value, precision, pageId: 1, box: null, confidence: 0.99, reasons: [] });
  const entry = (template: string, fields: ExtractedField[], struck = false) => ({ template, struck, fields });

  it('holds a registration or death date, or a birth in a birth register, read partly; a parent\'s year of birth is left', () => {
    const birth = entry('birth/2006-2015', [date('birthDate', '1948', 'year'), date('registrationDate', '2008-04', 'month'), date('fatherBirthDate', '1920', 'year'), date('motherBirthDate', '1925-03-04', 'day')]);
    const marriage = entry('marriage/1999-2005', [date('wifeBirthDate', '1948', 'year'), date('registrationDate', '2001-05-06', 'day')]);
    const death = entry('death/1961-1998', [date('deathDate', '1970', 'year'), date('birthDate', '1900', 'year')]);
    const struck = entry('birth/2006-2015', [date('birthDate', '1948', 'year')], true);
    holdPartialFullDates([birth, marriage, death, struck]);
    expect([birth, marriage, death, struck].map((e) => e.fields.map((f) => f.reasons.length > 0))).toEqual([
      [true, true, false, false],
      [false, false],
      [true, false],
      [false],
    ]);
  });
});
