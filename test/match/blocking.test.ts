import { describe, expect, it } from 'vitest';
import { blockingKeys, recordFeatures } from '../../src/match/features.ts';

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
