import { describe, expect, it } from 'vitest';
import type { ExtractedEntry, ExtractedField, RouteReason } from '../../schemas/entries.ts';
import { decide } from '../../src/extract/routing.ts';
import { confirmValueTwins } from '../../src/extract/value-twins.ts';
import { wordsFrom, type Vocabulary } from '../../src/extract/vocabulary.ts';
import type { PixelBox } from '../../src/extract/words.ts';

const TABLE = 'marriage/1961-1998';

function field(name: string, value: string, confidence: number, box: PixelBox, reasons: RouteReason[] = []): ExtractedField {
  return { field: name, raw: value, value, precision: null, pageId: 1, box, confidence, reasons, lines: [box] };
}

const entry = (entryNo: number, fields: ExtractedField[]): ExtractedEntry => ({
  year: 1982, entryNo, entryNoConfidence: 0.99, seq: entryNo, pageIds: [1], region: [], struck: false, template: TABLE, fields, notes: [],
});

const typed = () => true;
/** The spellings verified and existing records have: the names and the street of these pages. */
const vocabulary: Vocabulary = new Map([
  ['name', wordsFrom(['Trịnh', 'Văn', 'Nhuận', 'Lê', 'Hùng'].map((word) => ({ word, n: 3 })))],
  ['street', wordsFrom([{ word: 'Huế', n: 2 }])],
]);
const accepted = (f: ExtractedField) => decide({ id: 1, value: f.value, confidence: f.confidence, reasons: f.reasons }, TABLE, 0).status === 'auto_accepted';

describe('a name or place typed twice on a page', () => {
  it('confirms an unsure copy by a copy read surely from other ink', () => {
    const sure = field('registrarName', 'Trịnh Văn Nhuận', 0.99, [1500, 200, 300, 40]);
    const unsure = field('registrarName', 'Trịnh Văn Nhuận', 0.81, [1500, 600, 300, 40]);
    const disagreed = field('registrarName', 'Trịnh Văn Nhuận', 0.9, [1500, 1000, 300, 40], ['readings_disagree']);
    const corrected = field('registrarName', 'Trịnh Văn Nhuận', 0.9, [1500, 1400, 300, 40], ['corrected']);
    const entries = [entry(1, [sure]), entry(2, [unsure]), entry(3, [disagreed]), entry(4, [corrected])];
    expect(entries.flatMap((e) => e.fields).map(accepted)).toEqual([true, false, false, false]);
    // a second reading that read a copy otherwise is evidence against the twins: a typewriter's glyph is misread alike
    expect(confirmValueTwins(entries, typed, 0.97, vocabulary)).toBe(2);
    expect(entries.flatMap((e) => e.fields).map(accepted)).toEqual([true, true, false, true]);
    // how they were confirmed is kept: they vouch for no copy elsewhere in the book (book-twins.ts)
    expect(entries.flatMap((e) => e.fields).map((f) => f.confirmedBy)).toEqual([undefined, 'twin_on_page', undefined, 'twin_on_page']);
    // within one entry, between fields of one kind: the declarant is the child's father
    const father = field('fatherName', 'Lê Văn Hùng', 0.98, [300, 200, 300, 40]);
    const declarant = field('declarantName', 'Lê Văn Hùng', 0.6, [300, 700, 300, 40]);
    const one = [entry(5, [father, declarant])];
    expect(confirmValueTwins(one, typed, 0.97, vocabulary)).toBe(1);
    expect(one[0]!.fields[1]).toMatchObject({ reasons: [], confidence: 0.995 });
  });

  it('leaves a copy read from the same ink, a short value of a closed list, unsure or lonely figures, and hand-writing', () => {
    const sure = field('registrarName', 'Trịnh Văn Nhuận', 0.99, [1500, 200, 300, 40]);
    const sameInk = field('registrarName', 'Trịnh Văn Nhuận', 0.8, [1520, 210, 300, 40]);
    const other = field('registrarName', 'Trịnh Văn Nhuần', 0.8, [1500, 600, 300, 40]);
    const sex = [field('sex', 'male', 0.99, [900, 200, 60, 40]), field('sex', 'male', 0.8, [900, 600, 60, 40])];
    const place = field('husbandResidence', 'Số 12 phố Huế, Hà Nội', 0.99, [500, 200, 400, 40]);
    const lonely = field('wifeResidence', 'Số 12 phố Huế, Hà Nội', 0.8, [500, 600, 400, 40], ['lonely_digit']);
    const unknown = field('wifeResidence', 'Số 12 phố Huế, Hà Nội', 0.5, [500, 1000, 400, 40], ['not_in_dictionary']);
    const entries = [entry(1, [sure, sex[0]!, place]), entry(2, [sameInk, sex[1]!, lonely]), entry(3, [other, unknown])];
    expect(confirmValueTwins(entries, typed, 0.97, vocabulary)).toBe(0);
    // an unsure copy confirms nothing
    const twoUnsure = [entry(1, [field('registrarName', 'Trịnh Văn Nhuận', 0.96, [1500, 200, 300, 40])]), entry(2, [field('registrarName', 'Trịnh Văn Nhuận', 0.8, [1500, 600, 300, 40])])];
    expect(confirmValueTwins(twoUnsure, typed, 0.97, vocabulary)).toBe(0);
    // values not typed on a typewriter
    const hand = [entry(1, [field('registrarName', 'Trịnh Văn Nhuận', 0.99, [1500, 200, 300, 40])]), entry(2, [field('registrarName', 'Trịnh Văn Nhuận', 0.8, [1500, 600, 300, 40])])];
    expect(confirmValueTwins(hand, () => false, 0.97, vocabulary)).toBe(0);
    expect(hand[1]!.fields[0]!.confidence).toBe(0.8);
  });

  it('confirms no spelling records never had, nothing without a vocabulary, and nothing from or on a struck entry', () => {
    const pair = (second: string) => [
      entry(1, [field('registrarName', second, 0.99, [1500, 200, 300, 40])]),
      entry(2, [field('registrarName', second, 0.8, [1500, 600, 300, 40])]),
    ];
    // "Nhuần" for Nhuận on both copies: no record spells it so
    expect(confirmValueTwins(pair('Trịnh Văn Nhuần'), typed, 0.97, vocabulary)).toBe(0);
    expect(confirmValueTwins(pair('Trịnh Văn Nhuận'), typed, 0.97, undefined)).toBe(0);
    const struckSource = pair('Trịnh Văn Nhuận');
    struckSource[0]!.struck = true;
    expect(confirmValueTwins(struckSource, typed, 0.97, vocabulary)).toBe(0);
    const struckTarget = pair('Trịnh Văn Nhuận');
    struckTarget[1]!.struck = true;
    expect(confirmValueTwins(struckTarget, typed, 0.97, vocabulary)).toBe(0);
    expect(confirmValueTwins(pair('Trịnh Văn Nhuận'), typed, 0.97, vocabulary)).toBe(1);
  });
});
