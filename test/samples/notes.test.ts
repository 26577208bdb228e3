import { describe, expect, it } from 'vitest';
import { parseNotes } from '../../src/extract/notes.ts';
import { createEntrySource, type EntryRecord } from '../../src/samples/entries.ts';
import { BookNames } from '../../src/samples/names.ts';
import { Rng } from '../../src/samples/rng.ts';
import { parseIso } from '../../src/samples/vietnamese.ts';

/** A birth book of 1990–2005 in which every entry gets a margin note, when one fits. */
function birthEntries(count: number): EntryRecord[] {
  const r = new Rng(77);
  const source = createEntrySource({
    type: 'birth', district: 'hoan-kiem', ward: 0, start: { y: 1990, m: 1, d: 5 }, end: { y: 2005, m: 12, d: 31 }, volume: 40, registrars: ['Vũ Thu Mai'], bookNo: '01',
    style: { era: '1961-1998', figures: 'dd/mm/yyyy', places: 'full', words: { thousand: 'nghìn', zeroTen: 'linh', fourAfterTen: 'tư' }, sexWords: ['Nam', 'Nữ'] } as never,
    names: new BookNames(r.fork('names')), rates: { gap: 0, struck: 0, note: 1, reRegistration: 0 },
  }, r.fork('entries'));
  return Array.from({ length: count }, () => source.next());
}

describe('margin notes of the generator', () => {
  it('recognises a father only on an entry without one, puts guardianship while the child is a minor, and writes both as the parser reads them', () => {
    const entries = birthEntries(1500);
    const recognitions = entries.filter((e) => e.notes.some((n) => n.kind === 'recognition'));
    const guardianships = entries.filter((e) => e.notes.some((n) => n.kind === 'guardianship'));
    expect(recognitions.length).toBeGreaterThan(5);
    expect(guardianships.length).toBeGreaterThan(5);
    for (const e of recognitions) expect(e.items.fatherName?.value).toBeFalsy();
    for (const e of guardianships) {
      const birth = e.items.birthDate!.value!;
      const eighteenth = `${parseIso(birth).y + 18}${birth.slice(4)}`;
      expect(e.notes[0]!.date! < eighteenth, `${e.notes[0]!.date} for a child born ${birth}`).toBe(true);
    }
    for (const e of [...recognitions, ...guardianships]) {
      const [truth] = e.notes;
      const [read] = parseNotes(e.items.notes!.text, []);
      expect(read).toMatchObject({ kind: truth!.kind, field: truth!.field ?? null, newValue: truth!.new, date: truth!.date });
    }
  });
});
