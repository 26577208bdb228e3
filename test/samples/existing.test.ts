import { describe, expect, it } from 'vitest';
import type { BookTruth, ExistingRecord, Profile, TruthEntry } from '../../schemas/corpus.ts';
import {
  COVERAGE_BY_ERA,
  EXISTING_NOISE,
  makeExistingRecords,
  UNMATCHED_SHARE,
  type ExistingSourceBook,
} from '../../src/samples/existing.ts';
import { Rng } from '../../src/samples/rng.ts';
import { detectEncoding, repairVietnamese, type TextEncoding } from '../../src/text/legacy-encodings.ts';
import { tonePlacementVariants } from '../../src/text/normalise.ts';

type Fields = Record<string, string>;

const entry = (key: string, fields: Fields, struck = false): TruthEntry => {
  const [, year, no] = key.split('/');
  return {
    key,
    year: Number(year),
    entryNo: Number(no),
    pages: [0],
    struck,
    fields: Object.fromEntries(Object.entries(fields).map(([k, value]) => [k, { value, page: 0, box: [0, 0, 10, 10] }])),
    notes: [],
  };
};
const truth = (entries: TruthEntry[], faults: BookTruth['faults'] = []): BookTruth => ({ pages: [], entries, faults });

/** A tiny hand-made corpus: one book per register type, a struck entry and one struck by fault only. */
function tinyBooks(): ExistingSourceBook[] {
  const parents = { motherName: 'Nguyễn Thị Thu Hà', motherBirthYear: '1990', fatherName: 'Đặng Quốc Bảo', fatherBirthYear: '1988' };
  return [
    {
      id: 'b01', registerType: 'birth', era: '2016-', office: 'Phường Bạch Mai, Quận Hai Bà Trưng',
      truth: truth(
        [
          entry('b01/2018/1', { fullName: 'Đặng Minh Khoa', sex: 'male', birthDate: '2018-03-15', birthPlace: 'Bệnh viện Bạch Mai', ...parents, registrationDate: '2018-03-20' }),
          entry('b01/2018/2', { fullName: 'Huỳnh Thị Thuỷ', sex: 'female', birthDate: '2018-04-02', birthPlace: 'Bệnh viện Phụ sản Hà Nội', motherName: 'Trần Thị Hoà', fatherName: 'Huỳnh Văn Nam', registrationDate: '2018-04-09' }),
          entry('b01/2018/3', { fullName: 'Khuất Thị Nguyệt', sex: 'female', birthDate: '2018-05-05', motherName: 'Khuất Thị Gấm' }, true),
          entry('b01/2018/4', { fullName: 'Khổng Văn Lực', sex: 'male', birthDate: '2018-06-06', motherName: 'Khổng Thị Mận' }),
        ],
        [{ kind: 'struck_entry', key: 'b01/2018/4' }],
      ),
    },
    {
      id: 'b02', registerType: 'marriage', era: '2006-2015', office: 'Phường Dịch Vọng, Quận Cầu Giấy',
      truth: truth([entry('b02/2010/7', { husbandName: 'Vũ Đức Anh', husbandBirthDate: '1985-02-11', wifeName: 'Lê Thị Lan', wifeBirthDate: '1987-09-30', registrationDate: '2010-10-01' })]),
    },
    {
      id: 'b03', registerType: 'death', era: '1999-2005', office: 'Phường Mộ Lao, Quận Hà Đông',
      truth: truth([entry('b03/2003/5', { fullName: 'Phạm Văn Hoà', sex: 'male', birthDate: '1931', deathDate: '2003-07-19', deathPlace: 'Tại nhà', registrationDate: '2003-07-22' })]),
    },
  ];
}

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const MIDDLES = { male: ['Văn', 'Đức', 'Minh', 'Quốc', 'Hữu'], female: ['Thị', 'Thu', 'Ngọc', 'Thanh', 'Bích'] };
const GIVENS = { male: ['Hoà', 'Khoa', 'Nam', 'Dũng', 'Thuỵ', 'Bảo', 'Tuấn', 'Long', 'Hùng', 'Quý'], female: ['Thuỷ', 'Hoa', 'Lan', 'Hà', 'Loan', 'Hoè', 'Trang', 'Thảo', 'Nhung', 'Mai'] };
const PLACES = ['Bệnh viện Bạch Mai', 'Phường Hoà Bình, Quận Thanh Xuân', 'Xã Thuỵ Lâm, Huyện Đông Anh', 'Trạm y tế xã Phú Thuỵ', 'Bệnh viện Phụ sản Hà Nội', 'Tại nhà'];

/** A larger synthetic birth book of `n` entries, names and places drawn from the small lists above. */
function syntheticBook(id: string, era: ExistingSourceBook['era'], year: number, n: number, seed: number): ExistingSourceBook {
  const r = new Rng(seed);
  const name = (sex: 'male' | 'female', surname = r.pick(SURNAMES)) => `${surname} ${r.pick(MIDDLES[sex])} ${r.pick(GIVENS[sex])}`;
  const date = (y: number) => `${y}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
  const entries = Array.from({ length: n }, (_, i) => {
    const sex = r.chance(0.5) ? 'male' : 'female';
    const father = name('male');
    const mother = name('female');
    return entry(`${id}/${year}/${i + 1}`, {
      fullName: name(sex, father.split(' ')[0]),
      sex,
      birthDate: r.chance(0.9) ? date(year) : String(year),
      birthPlace: r.pick(PLACES),
      motherName: mother,
      motherBirthYear: String(year - r.int(20, 35)),
      fatherName: father,
      fatherBirthYear: String(year - r.int(22, 40)),
      declarantName: father,
      declarantRelation: 'Cha',
      registrationDate: date(year),
      registrarName: 'Nguyễn Thị Thanh Tâm',
    }, i % 97 === 13);
  });
  return { id, registerType: 'birth', era, office: 'Phường Bạch Mai, Quận Hai Bà Trưng', truth: truth(entries) };
}

/** The truth entry of each linked record, keyed by record id. */
function linkedTruth(books: ExistingSourceBook[], sameEvent: Array<[string, string]>): Map<string, Fields> {
  const byKey = new Map(books.flatMap((b) => b.truth.entries.map((e) => [e.key, Object.fromEntries(Object.entries(e.fields).map(([k, f]) => [k, f.value]))] as const)));
  return new Map(sameEvent.map(([scan, existing]) => [existing.replace(/^existing:/, ''), byKey.get(scan.replace(/^scan:/, '')) ?? {}]));
}

/** The record's text as import will store it, with the encoding detected over the whole record. */
function repaired(rec: ExistingRecord): { encoding: TextEncoding; nfd: boolean; fields: Fields } {
  const values = [...Object.values(rec.fields), rec.registeredAt ?? ''];
  const { encoding } = detectEncoding(values.join(' | '));
  return {
    encoding,
    nfd: values.some((v) => v !== v.normalize('NFC')),
    fields: Object.fromEntries(Object.entries(rec.fields).map(([k, v]) => [k, repairVietnamese(v, encoding).text])),
  };
}

/** Damerau–Levenshtein distance ≤ 1: one letter swapped with the next, dropped or added. */
function oneTypoApart(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < Math.min(x.length, y.length) && x[i] === y[i]) i++;
  const tail = (p: string[], q: string[]) => p.join('') === q.join('');
  return (
    tail(x.slice(i + 1), y.slice(i)) || tail(x.slice(i), y.slice(i + 1)) || tail(x.slice(i + 1), y.slice(i + 1)) ||
    (x[i] === y[i + 1] && x[i + 1] === y[i] && tail(x.slice(i + 2), y.slice(i + 2)))
  );
}

const SURNAME_PAIRS: Record<string, string> = { Hoàng: 'Huỳnh', Huỳnh: 'Hoàng', Vũ: 'Võ', Võ: 'Vũ' };
const surnameVariant = (name: string) => {
  const [s, ...rest] = name.split(' ');
  return s && SURNAME_PAIRS[s] ? [SURNAME_PAIRS[s], ...rest].join(' ') : undefined;
};
const swapped = (d: string) => d.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$1-$3-$2');

type Noise = 'typo' | 'tonePlacement' | 'surnameVariant' | 'missingField' | 'yearOnly' | 'dayMonthSwap' | 'unexplained';

/** Which deliberate noise explains each difference between a repaired record and its truth entry. */
function explain(truthFields: Fields, rec: Fields): Set<Noise> {
  const kinds = new Set<Noise>();
  if (Object.keys(truthFields).some((k) => !(k in rec))) kinds.add('missingField');
  for (const [k, v] of Object.entries(rec)) {
    const t = truthFields[k];
    if (t === undefined) kinds.add('unexplained');
    else if (v === t) continue;
    else if (/Date$/.test(k) && /^\d{4}-\d{2}-\d{2}$/.test(t) && v === t.slice(0, 4)) kinds.add('yearOnly');
    else if (/Date$/.test(k) && v === swapped(t)) kinds.add('dayMonthSwap');
    else if (tonePlacementVariants(t).includes(v)) kinds.add('tonePlacement');
    else if (/Name$/.test(k) && v === surnameVariant(t)) kinds.add('surnameVariant');
    else if (/Name$/.test(k) && oneTypoApart(t, v)) kinds.add('typo');
    else kinds.add('unexplained');
  }
  return kinds;
}

const run = (books: ExistingSourceBook[], profile: Profile, seed = 7) => makeExistingRecords({ books, seed, profile });

describe('makeExistingRecords', () => {
  describe('determinism and references', () => {
    it('gives the same records for the same seed and others for another seed', () => {
      expect(run(tinyBooks(), 'hard', 5)).toEqual(run(tinyBooks(), 'hard', 5));
      const big = [syntheticBook('b10', '2016-', 2019, 60, 1)];
      expect(run(big, 'typical', 1)).not.toEqual(run(big, 'typical', 2));
    });

    it('links only existing ids to scanned entries that exist, each record at most once', () => {
      for (const books of [tinyBooks(), [syntheticBook('b10', '2016-', 2019, 200, 3)]]) {
        const { existing, sameEvent } = run(books, 'hard');
        const ids = existing.map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(id).toMatch(/^E\d{6}$/);
        const keys = new Set(books.flatMap((b) => b.truth.entries.map((e) => e.key)));
        for (const [scan, rec] of sameEvent) {
          expect(keys.has(scan.replace(/^scan:/, ''))).toBe(true);
          expect(ids).toContain(rec.replace(/^existing:/, ''));
        }
        expect(new Set(sameEvent.map(([, rec]) => rec)).size).toBe(sameEvent.length);
      }
    });

    it('never emits a record for a struck entry, whether flagged or listed as a fault', () => {
      for (let seed = 0; seed < 20; seed++) {
        const { existing, sameEvent } = run(tinyBooks(), 'hard', seed);
        expect(sameEvent.map(([scan]) => scan)).not.toContain('scan:b01/2018/3');
        expect(sameEvent.map(([scan]) => scan)).not.toContain('scan:b01/2018/4');
        const text = existing.map((e) => Object.values(repaired(e).fields).join(' ')).join(' ');
        expect(text).not.toMatch(/Khuất|Khổng/);
      }
    });
  });

  describe('coverage and database-only events', () => {
    const books = (['1961-1998', '1999-2005', '2016-'] as const).map((era, i) => syntheticBook(`e${i}`, era, 1990 + i * 12, 400, 10 + i));
    const { existing, sameEvent } = run(books, 'typical');

    it('holds many recent entries, some from 1999–2005 and few older ones', () => {
      const share = (id: string) => sameEvent.filter(([scan]) => scan.startsWith(`scan:${id}/`)).length / 400;
      books.forEach((b) => expect(Math.abs(share(b.id) - COVERAGE_BY_ERA[b.era])).toBeLessThan(0.06));
      expect(share('e0')).toBeLessThan(share('e1'));
      expect(share('e1')).toBeLessThan(share('e2'));
    });

    it('has about 30% records that match no scanned entry', () => {
      expect(Math.abs(1 - sameEvent.length / existing.length - UNMATCHED_SHARE)).toBeLessThan(0.02);
    });

    it('includes namesakes and twins of scanned entries, and links none of them', () => {
      const entries = books.flatMap((b) => b.truth.entries.filter((e) => !e.struck).map((e) => ({ key: e.key, t: Object.fromEntries(Object.entries(e.fields).map(([k, x]) => [k, x.value])) })));
      const linked = new Set(sameEvent.map(([scan, rec]) => `${scan}|${rec}`));
      const differs = (a = '', b = '') => a !== b && !oneTypoApart(a, b) && surnameVariant(a) !== b && !tonePlacementVariants(a).includes(b);
      let namesakes = 0;
      let twins = 0;
      for (const rec of existing) {
        const f = repaired(rec).fields;
        for (const { key, t } of entries) {
          if (f.fullName !== t.fullName && f.motherName !== t.motherName) continue;
          const sameName = f.fullName === t.fullName && f.birthDate?.slice(0, 4) === t.birthDate?.slice(0, 4);
          const otherParents = differs(t.motherName, f.motherName) && differs(t.fatherName, f.fatherName);
          const twin = f.motherName === t.motherName && f.fatherName === t.fatherName && f.birthDate === t.birthDate && differs(t.fullName?.split(' ').at(-1), f.fullName?.split(' ').at(-1));
          if ((sameName && otherParents) || twin) {
            expect(linked.has(`scan:${key}|existing:${rec.id}`)).toBe(false);
            if (twin) twins++;
            else namesakes++;
          }
        }
      }
      expect(namesakes).toBeGreaterThan(20);
      expect(twins).toBeGreaterThan(5);
    });
  });

  describe('noise', () => {
    const books = [syntheticBook('n1', '2016-', 2019, 700, 21), syntheticBook('n2', '2006-2015', 2010, 700, 22)];

    it.each(['typical', 'hard'] as const)('occurs at about the configured rates (%s)', (profile) => {
      const rates = EXISTING_NOISE[profile];
      const { existing, sameEvent } = run(books, profile, 99);
      const truthOf = linkedTruth(books, sameEvent);
      const seen: Record<string, { hit: number; of: number }> = {};
      const count = (kind: string, eligible: boolean, hit: boolean) => {
        const c = (seen[kind] ??= { hit: 0, of: 0 });
        if (eligible) (c.of++, hit && c.hit++);
      };
      for (const rec of existing) {
        const rep = repaired(rec);
        count('legacy', true, rep.encoding !== 'unicode');
        count('nfd', true, rep.nfd);
        const t = truthOf.get(rec.id);
        if (!t) continue;
        const kinds = explain(t, rep.fields);
        expect(kinds.has('unexplained'), `${rec.id}: ${JSON.stringify(rep.fields)} vs ${JSON.stringify(t)}`).toBe(false);
        const entries = Object.entries(t);
        count('typo', true, kinds.has('typo'));
        count('missingField', true, kinds.has('missingField'));
        count('tonePlacement', entries.some(([k, v]) => /Name$|Place$/.test(k) && tonePlacementVariants(v).length > 0), kinds.has('tonePlacement'));
        count('surnameVariant', entries.some(([k, v]) => /Name$/.test(k) && surnameVariant(v)), kinds.has('surnameVariant'));
        count('yearOnly', entries.some(([k, v]) => /Date$/.test(k) && k !== 'registrationDate' && /^\d{4}-\d{2}-\d{2}$/.test(v)), kinds.has('yearOnly'));
        count('dayMonthSwap', entries.some(([k, v]) => /Date$/.test(k) && swapped(v) !== v && Number(v.slice(8)) <= 12), kinds.has('dayMonthSwap'));
      }
      for (const [kind, { hit, of }] of Object.entries(seen)) {
        const expected = rates[kind as keyof typeof rates];
        expect(of, kind).toBeGreaterThan(100);
        // a dropped field can take a noisy one with it, so allow a little below the rate
        expect(Math.abs(hit / of - expected), `${kind}: ${hit}/${of} vs ${expected}`).toBeLessThan(0.02 + 0.25 * expected);
      }
    });

    it('writes old imports in TCVN3 or VNI that decode back to the truth, but for the deliberate noise', () => {
      const { existing, sameEvent } = run(books, 'hard', 4);
      const truthOf = linkedTruth(books, sameEvent);
      const legacy = existing.filter((rec) => repaired(rec).encoding !== 'unicode');
      expect(new Set(legacy.map((rec) => repaired(rec).encoding))).toEqual(new Set(['tcvn3', 'vni']));
      let checked = 0;
      for (const rec of legacy) {
        const t = truthOf.get(rec.id);
        // the raw text is not Vietnamese: it carries mojibake such as "NguyÔn" or "Nguyeãn"
        expect(Object.values(rec.fields).join(' ')).toMatch(/[\u00a0-\u00ff]/);
        if (!t) continue;
        const rep = repaired(rec);
        expect(repairVietnamese(rec.registeredAt ?? '', rep.encoding).text).toBe('Phường Bạch Mai, Quận Hai Bà Trưng');
        expect(explain(t, rep.fields).has('unexplained'), JSON.stringify([rec.fields, t])).toBe(false);
        checked++;
      }
      expect(checked).toBeGreaterThan(50);
    });

    it('has no decomposed or legacy text in the clean profile', () => {
      const { existing } = run(books, 'clean', 3);
      for (const rec of existing) {
        for (const v of [...Object.values(rec.fields), rec.registeredAt ?? '']) expect(v).toBe(v.normalize('NFC'));
        expect(detectEncoding(Object.values(rec.fields).join(' | ')).encoding).toBe('unicode');
      }
    });
  });
});
