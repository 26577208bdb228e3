import { describe, expect, it } from 'vitest';
import { blockingKeys, recordFeatures, resolvedPlaces } from '../../src/match/features.ts';
import { compareRecords } from '../../src/match/compare.ts';

const meet = (a: ReturnType<typeof blockingKeys>, b: ReturnType<typeof blockingKeys>) =>
  a.lookup.some((k) => b.stored.includes(k)) || b.lookup.some((k) => a.stored.includes(k));

describe('blockingKeys', () => {
  const lan = { fullName: 'Nguyễn Thị Lan', birthDate: '1975-06-02', motherName: 'Phạm Thị Nga', registrationDate: '1975-06-10' };
  const full = blockingKeys(recordFeatures('birth', lan));
  it('does not look a fully dated record up by name and year among fully dated namesakes', () => {
    const namesake = blockingKeys(recordFeatures('birth', { ...lan, birthDate: '1975-11-23', motherName: 'Lê Thị Hằng', registrationDate: '1975-12-01' }));
    expect(full.stored).toContain('birth:n:nguyen thi lan:1975');
    expect(full.lookup).not.toContain('birth:n:nguyen thi lan:1975');
    expect(meet(full, namesake)).toBe(false);
  });

  it('still meets a record of the same name and year that lacks the full date, from either side', () => {
    const yearOnly = blockingKeys(recordFeatures('birth', { fullName: 'Nguyễn Thị Lan', birthDate: '1975' }));
    expect(yearOnly.stored).toEqual(expect.arrayContaining(['birth:n:nguyen thi lan:1975', 'birth:n~:nguyen thi lan:1975']));
    expect(full.lookup.some((k) => yearOnly.stored.includes(k))).toBe(true);
    expect(yearOnly.lookup.some((k) => full.stored.includes(k))).toBe(true);
    // and one with every date of the person lost, through the registration year
    const undated = blockingKeys(recordFeatures('birth', { fullName: 'Nguyễn Thị Lan', registrationDate: '1975-06-10' }));
    expect(meet(full, undated)).toBe(true);
  });

  it('meets a fully dated record with a typo in the name through the date, and one with a misread day through the mother', () => {
    expect(meet(full, blockingKeys(recordFeatures('birth', { ...lan, fullName: 'Nguyễn Thị Lam' })))).toBe(true);
    expect(meet(full, blockingKeys(recordFeatures('birth', { ...lan, birthDate: '1975-06-08' })))).toBe(true);
  });
});

describe('compareRecords on places', () => {
  it('finds a birthplace in a province that covered several of today\'s in the same province as a record naming one of them, stored or not', () => {
    const old = recordFeatures('birth', { fullName: 'Hồ Văn Nam', birthPlace: 'Xã Nghi Lộc, Nghệ Tĩnh', registrationDate: '1985-03-02' });
    const today = recordFeatures('birth', { fullName: 'Hồ Văn Nam', birthPlace: 'Huyện Nghi Lộc, Tỉnh Nghệ An', registrationDate: '2010-03-02' });
    const level = (a: typeof old) => compareRecords(a, today).find((c) => c.comparison === 'birthPlace')?.level;
    expect(level(old)).toBe('same_province');
    // as stored beside a record and read back
    expect(level(recordFeatures('birth', { fullName: 'Hồ Văn Nam', birthPlace: 'Xã Nghi Lộc, Nghệ Tĩnh' }, resolvedPlaces(old)))).toBe('same_province');
  });
});
