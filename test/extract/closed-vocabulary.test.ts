import { describe, expect, it } from 'vitest';
import type { ExtractedEntry, ExtractedField, RouteReason } from '../../schemas/entries.ts';
import { closedListEntry, confirmClosedListEntries, confusableEntries } from '../../src/extract/closed-vocabulary.ts';
import { decide } from '../../src/extract/routing.ts';

const TABLE = 'birth/1961-1998';

function field(name: string, value: string | null, confidence: number, reasons: RouteReason[] = [], raw = value ?? ''): ExtractedField {
  const box = [100, 100, 80, 40] as [number, number, number, number];
  return { field: name, raw, value, precision: null, pageId: 1, box, confidence, reasons, lines: [box] };
}

const entry = (fields: ExtractedField[], struck = false): ExtractedEntry => ({
  year: 1975, entryNo: 1, entryNoConfidence: 0.99, seq: 0, pageIds: [1], region: [], struck, template: TABLE, fields, notes: [],
});

const typed = () => true;
const accepted = (f: ExtractedField) => decide({ id: 1, value: f.value, confidence: f.confidence, reasons: f.reasons }, TABLE, 0).status === 'auto_accepted';

describe('a typed value read as an entry of its closed list', () => {
  it('is confirmed whatever OCR’s confidence, and a case the parser put right with it', () => {
    const fields = [
      field('ethnicity', 'Kinh', 0.14), field('motherNationality', 'Việt Nam', 0.8), field('sex', 'female', 0.9, [], 'Nữ'),
      field('declarantRelation', 'Con trai', 0.38, ['corrected']), field('fatherEthnicity', 'Tày', 0.96),
    ];
    const entries = [entry(fields)];
    expect(entries[0]!.fields.map(accepted)).toEqual([false, false, false, false, false]);
    expect(confirmClosedListEntries(entries, typed, 0.97)).toBe(5);
    expect(entries[0]!.fields.map(accepted)).toEqual([true, true, true, true, true]);
    expect(entries[0]!.fields[0]).toMatchObject({ reasons: [], confidence: 0.995, confirmedBy: 'closed_list' });
    // the part of an entry continued at the page's top: its fields alone
    const continued = [{ fields: [field('motherEthnicity', 'Kinh', 0.3), field('motherName', 'Lê Thị Hoa', 0.3)], struck: false }];
    expect(confirmClosedListEntries(continued, typed, 0.9)).toBe(1);
    expect(continued[0]!.fields.map(accepted)).toEqual([true, false]);
  });

  it('leaves a value cut short, in another spelling, off the list, with another reason, struck, or not typed', () => {
    const held = [
      field('declarantRelation', 'Con', 0.9), // "Con trai" with its end lost
      field('declarantRelation', 'Cháu', 0.9), // "Cháu nội"
      field('ethnicity', 'kinh', 0.9), // not the list's spelling
      field('ethnicity', 'Tây', 0.9), // Tày misread: no group
      field('nationality', 'Việt Nạm', 0.9),
      field('ethnicity', 'Kinh', 0.9, ['lonely_digit']),
      field('ethnicity', 'Kinh', 0.9, ['not_in_dictionary']),
      field('sex', null, 0.9),
    ];
    const entries = [entry(held)];
    expect(confirmClosedListEntries(entries, typed, 0.97)).toBe(0);
    expect(entries[0]!.fields.map(accepted).some(Boolean)).toBe(false);
    expect(confirmClosedListEntries([entry([field('ethnicity', 'Kinh', 0.9)], true)], typed, 0.97)).toBe(0);
    expect(confirmClosedListEntries([entry([field('ethnicity', 'Kinh', 0.9)])], () => false, 0.97)).toBe(0);
    // a name is no closed list, however short
    expect(confirmClosedListEntries([entry([field('fullName', 'Lê An', 0.9)])], typed, 0.97)).toBe(0);
  });

  it('knows each list’s entries as the parsers store them', () => {
    expect(['Kinh', 'Tày', 'Gia Rai'].map((v) => closedListEntry('ethnicity', v))).toEqual([true, true, true]);
    expect(closedListEntry('sex', 'Nam')).toBe(true);
    expect(closedListEntry('sex', 'Nữ.')).toBe(true);
    expect(closedListEntry('wifeNationality', 'Việt Nam')).toBe(true);
    expect(closedListEntry('declarantRelation', 'Con gái')).toBe(true);
    expect(closedListEntry('declarantRelation', 'Anh')).toBe(false);
    expect(closedListEntry('fullName', 'Kinh')).toBe(false);
  });

  it('leaves an entry one faint letter makes another of the same list (Mnông / Mông), whatever OCR’s confidence', () => {
    expect(closedListEntry('ethnicity', 'Mông')).toBe(false);
    expect(closedListEntry('ethnicity', 'Mnông')).toBe(false);
    expect(closedListEntry('declarantRelation', 'Chú')).toBe(false); // Cha, Chị
    const entries = [entry([field('ethnicity', 'Mông', 0.9), field('fatherEthnicity', 'Mnông', 0.9), field('motherEthnicity', 'Kinh', 0.9)])];
    expect(confirmClosedListEntries(entries, typed, 0.97)).toBe(1);
    expect(entries[0]!.fields.map(accepted)).toEqual([false, false, true]);
  });

  it('finds the confusable entries from the lists’ letters, marks and spaces ignored', () => {
    expect([...confusableEntries(['Mông', 'Mnông', 'Kinh', 'Tày', 'Thái'])]).toEqual(['Mông', 'Mnông']);
    expect([...confusableEntries(['La Hủ', 'La Ha', 'La Chí'])]).toEqual(['La Hủ', 'La Ha']);
    expect(confusableEntries(['Nam', 'Nữ', 'Trai', 'Gái']).size).toBe(0);
  });

  it('checks a sex as read, not as stored (male / female whatever the marks read)', () => {
    const read = ['Nu', 'Ñữ', 'NAM NAM', 'Nam'].map((raw) => field('sex', raw === 'Nu' || raw === 'Ñữ' ? 'female' : 'male', 0.9, [], raw));
    const entries = [entry(read)];
    expect(confirmClosedListEntries(entries, typed, 0.97)).toBe(1);
    expect(entries[0]!.fields.map(accepted)).toEqual([false, false, false, true]);
  });
});
