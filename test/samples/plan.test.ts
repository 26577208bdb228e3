import { describe, expect, it } from 'vitest';
import { misspell } from '../../src/samples/entries.ts';
import { planBooks } from '../../src/samples/generate.ts';
import { districtsAt, REFORM_2025 } from '../../src/samples/places.ts';
import { Rng } from '../../src/samples/rng.ts';
import { compareDates, isoDate } from '../../src/samples/vietnamese.ts';

describe('planning a corpus', () => {
  // Planning only (no rendering): cheap enough for many seeds. Seed 11 with 10 books used to draw a
  // 2016- book starting after the 1 July 2025 reform, when no district office exists any more.
  it('plans every book inside a district that exists for its whole span, for many seeds', () => {
    for (let seed = 0; seed < 400; seed++) {
      for (const books of [1, 4, 10, 25]) {
        const plans = planBooks(new Rng(seed).fork('plan'), { out: '', books, seed, profile: seed % 2 ? 'hard' : 'typical' }, [3, 6]);
        expect(plans).toHaveLength(books);
        for (const p of plans) {
          expect(isoDate(p.start) < REFORM_2025, `seed ${seed} ${p.id} starts ${isoDate(p.start)}`).toBe(true);
          expect(compareDates(p.start, p.end)).toBeLessThanOrEqual(0);
          expect(districtsAt(p.start).map((d) => d.key)).toContain(p.district);
          expect(isoDate(p.end) < REFORM_2025 || isoDate(p.start) >= REFORM_2025).toBe(true);
        }
      }
    }
  });

  it('puts registers of recognition of parentage and of guardianship only in the eras that kept them, beside the others', () => {
    const plans = planBooks(new Rng(3).fork('plan'), { out: '', books: 15, seed: 3, profile: 'typical', types: ['birth', 'recognition', 'guardianship'] }, [2, 2]);
    const separate = plans.filter((p) => p.type === 'recognition' || p.type === 'guardianship');
    expect(new Set(separate.map((p) => p.type))).toEqual(new Set(['recognition', 'guardianship']));
    for (const p of separate) expect(['2006-2015', '2016-']).toContain(p.era);
    expect(plans.some((p) => p.type === 'birth' && p.era === '1956-1960')).toBe(true);
    expect(() => planBooks(new Rng(3).fork('plan'), { out: '', books: 2, seed: 3, profile: 'typical', types: ['recognition'], eras: ['1961-1998'] }, [2, 2])).toThrow(/kept/);
  });

  it('puts registers of changes in the eras of pre-printed and printed forms, after the books their entries refer to', () => {
    const plans = planBooks(new Rng(5).fork('plan'), { out: '', books: 9, seed: 5, profile: 'typical', types: ['birth', 'change'] }, [2, 2]);
    const changes = plans.filter((p) => p.type === 'change');
    expect(changes.length).toBeGreaterThan(0);
    for (const p of changes) expect(['1999-2005', '2006-2015', '2016-']).toContain(p.era);
    // books are made in the order planned, and a change refers to entries of books made before it: the plans run
    // by their start, so a register of changes follows every book that started before it
    const starts = plans.map((p) => isoDate(p.start));
    expect(starts).toEqual([...starts].sort());
    for (const p of changes) expect(plans.slice(0, plans.indexOf(p)).some((b) => b.type === 'birth'), p.id).toBe(true);
    expect(() => planBooks(new Rng(5).fork('plan'), { out: '', books: 2, seed: 5, profile: 'typical', types: ['change'], eras: ['1961-1998'] }, [2, 2])).toThrow(/kept/);
  });

  it('misspells a name with a tone the clerk could write, never a mark NFC cannot compose', () => {
    const r = new Rng(9);
    for (const name of ['Nguyễn An Hân', 'Trần Văn Sơn', 'Lê Thị Hương', 'Phạm Minh Thư', 'Vũ Thị Hằng', 'Đỗ Văn Tân']) {
      for (let i = 0; i < 20; i++) {
        const wrong = misspell(r, name);
        expect(wrong, name).not.toBe(name);
        expect(/\p{M}/u.test(wrong), `${name} → ${wrong}`).toBe(false);
      }
    }
  });

  it('plans seed 11 with 10 books (the case that crashed)', () => {
    const plans = planBooks(new Rng(11).fork('plan'), { out: '', books: 10, seed: 11, profile: 'typical' }, [3, 6]);
    expect(plans.filter((p) => p.era === '2016-').length).toBeGreaterThan(0);
  });
});
