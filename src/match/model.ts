/**
 * The match model: m and u probabilities per comparison level, the prior, and the two thresholds that
 * decide. A level's weight is log2(m/u); a pair's score is the prior plus its comparisons' weights, i.e.
 * the log2 odds that the two records are one event. Tune here (README "How matching decides").
 */
import type { Comparison, ComparisonKind } from './compare.ts';

type Levels = Readonly<Record<string, readonly [m: number, u: number]>>;

/**
 * m/u per level by kind of comparison. m from how records of one event differ (typing errors, the other
 * tone placement, year-only dates, a re-registration years later: EXISTING_NOISE and DOMAIN.md); u from how
 * often unrelated records agree by chance (≈ 1 in 500 share a full name exactly, 1 in ~20,000 a birth day
 * across the six decades of books, 1 in ~60 a birth year).
 */
const BY_KIND: Readonly<Record<ComparisonKind, Levels>> = {
  name: { exact: [0.8, 0.002], variant: [0.12, 0.0008], typo_elsewhere: [0.05, 0.0015], typo_given: [0.02, 0.002], different: [0.01, 0.994] },
  date: { exact: [0.86, 0.00005], compatible: [0.06, 0.016], swapped: [0.03, 0.00005], near: [0.02, 0.004], different: [0.03, 0.98] },
  year: { exact: [0.9, 0.03], near: [0.07, 0.06], different: [0.03, 0.91] },
  code: { exact: [0.97, 0.000001], different: [0.03, 0.999999] },
  place: { exact: [0.55, 0.002], same_unit: [0.3, 0.02], same_province: [0.1, 0.5], different: [0.05, 0.478] },
};

/** Comparisons whose levels differ from their kind's. */
const BY_COMPARISON: Readonly<Record<string, Levels>> = {
  sex: { exact: [0.98, 0.5], different: [0.02, 0.5] },
  // The same event registered again (re-registration, a later import) has another registration date.
  registrationDate: { exact: [0.8, 0.0002], near: [0.05, 0.01], different: [0.15, 0.9898] },
};

/** log2 prior odds that two records sharing a blocking key are one event. */
const PRIOR = -14;

/**
 * Scores at or above `link` are linked without a person; between `review` and `link` a person decides.
 * Hand-set for the hand-set weights ("fs-1").
 */
export const THRESHOLDS = { link: 12, review: -4 } as const;

/**
 * For weights estimated by EM ("em-…"), calibrated on labelled corpora (src/match/calibrate.ts, README "How
 * matching decides"): on the tuning corpora no pair of two events got past the guards, so the link
 * threshold is the floor where the model's own probability reaches 0.995 (8 bits); the review threshold
 * stays 3 bits below the highest one calibration gave there (−1).
 */
export const EM_THRESHOLDS = { link: 8, review: -4 } as const;

export interface MatchModel {
  /** Names the weights and thresholds, stored with every decision ("fs-1" hand-set; "em-…" estimated). */
  name: string;
  prior: number;
  thresholds: { link: number; review: number };
  /** m and u of a comparison level. */
  mu(comparison: string, kind: ComparisonKind, level: string): readonly [m: number, u: number];
  weight(comparison: string, kind: ComparisonKind, level: string): number;
}

/** m/u per comparison and level, as estimated from the data (src/match/train.ts) and stored with a version. */
export type MuTable = Readonly<Record<string, Readonly<Record<string, readonly [m: number, u: number]>>>>;

/**
 * A model: the hand-set m/u above (model "fs-1"), or `estimated` ones where the data had the level,
 * falling back to the hand-set m/u for levels the data never showed. EM estimates weights only; the
 * thresholds are set for precision on labelled corpora: THRESHOLDS for the hand-set weights, EM_THRESHOLDS
 * for estimated ones.
 */
export function createModel(name = 'fs-1', estimated: MuTable = {}, thresholds: { link: number; review: number } = Object.keys(estimated).length ? EM_THRESHOLDS : THRESHOLDS): MatchModel {
  const mu = (comparison: string, kind: ComparisonKind, level: string) => {
    const found = estimated[comparison]?.[level] ?? BY_COMPARISON[comparison]?.[level] ?? BY_KIND[kind][level];
    if (!found) throw new RangeError(`no weight for ${comparison} level ${level}`);
    return found;
  };
  return {
    name,
    prior: PRIOR,
    thresholds: { ...thresholds },
    mu,
    weight(comparison, kind, level) {
      const [m, u] = mu(comparison, kind, level);
      return Math.log2(m / u);
    },
  };
}

export const DEFAULT_MODEL = createModel();

export type Decision = 'link' | 'review' | 'new';

/** Why a pair scoring above the link threshold still goes to a person. Stable codes. */
export const MATCH_GUARDS = {
  no_corroboration: 'Chỉ trùng họ tên và năm sinh: cần thêm ngày sinh đầy đủ, tên cha mẹ/vợ chồng hoặc số định danh.',
  given_name_differs: 'Tên gọi khác nhau một chút (có thể là lỗi gõ, cũng có thể là anh chị em sinh đôi).',
  conflict: 'Có trường mâu thuẫn (giới tính, số định danh hoặc ngày sinh khác hẳn).',
  unsure_fields: 'Các trường làm căn cứ (họ tên, ngày sinh…) hoặc số thứ tự của mục do máy đọc, chưa được chấp nhận hay xác minh.',
} as const;
export type MatchGuard = keyof typeof MATCH_GUARDS;

/** The two people of a two-party register (a marriage, a recognition of parentage, a guardianship). */
const PARTIES = [['husbandName', 'wifeName'], ['parentName', 'childName'], ['guardianName', 'wardName']] as const;
const SUBJECT_NAMES = new Set(['fullName', ...PARTIES.flat()]);
const CORROBORATING: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(['birthDate', 'husbandBirthDate', 'wifeBirthDate', 'parentBirthDate', 'childBirthDate', 'guardianBirthDate', 'wardBirthDate'].map((f) => [f, ['exact', 'swapped']])),
  deathDate: ['exact'],
  ...Object.fromEntries(['idNumber', 'husbandIdNumber', 'wifeIdNumber', 'parentIdNumber', 'childIdNumber', 'guardianIdNumber', 'wardIdNumber'].map((f) => [f, ['exact']])),
  motherName: ['exact', 'variant', 'typo_elsewhere'], fatherName: ['exact', 'variant', 'typo_elsewhere'],
};

/** Both people of a two-party register named alike (neither name different): as telling as a birth date. */
function bothParties(comparisons: readonly Comparison[]): boolean {
  const has = (name: string) => comparisons.some((c) => c.comparison === name);
  return PARTIES.some((pair) => pair.every(has)) && comparisons.every((c) => !SUBJECT_NAMES.has(c.comparison) || c.level !== 'different');
}

/**
 * The decision on a pair, precision first: below the review threshold a new record, between the thresholds a
 * person decides, above the link threshold a link unless a guard (`linkGuard`) sends it to a person.
 */
export function decide(score: number, comparisons: Comparison[], model: MatchModel, identityUnsure = false): { decision: Decision; guard: MatchGuard | null } {
  if (score < model.thresholds.review) {
    // Capping untrusted fields must not make a new record of a pair that their readings, taken as read,
    // put within reach: a person decides it (verifying the fields also matches the entry again).
    return fullScore(score, comparisons) >= model.thresholds.review ? { decision: 'review', guard: 'unsure_fields' } : { decision: 'new', guard: null };
  }
  if (score < model.thresholds.link) return { decision: 'review', guard: null };
  const guard = linkGuard(comparisons, identityUnsure);
  return guard ? { decision: 'review', guard } : { decision: 'link', guard: null };
}

/**
 * Why a pair must not be linked without a person whatever its score, or null: a link needs something beyond
 * a name and a birth year to vouch for it (two different people often share a common name and year in one
 * ward), no identity field contradicting it, names not merely close in the given name (twins), and all of
 * that on trusted fields of an entry whose number is sure.
 */
export function linkGuard(comparisons: Comparison[], identityUnsure = false): MatchGuard | null {
  const conflict = comparisons.some(
    (c) => (c.comparison === 'sex' || /idNumber$/iu.test(c.comparison) || /BirthDate$|^birthDate$|^deathDate$/u.test(c.comparison)) && c.level === 'different',
  );
  if (conflict) return 'conflict';
  const subjects = comparisons.filter((c) => SUBJECT_NAMES.has(c.comparison));
  if (subjects.some((c) => c.level === 'typo_given' || c.level === 'different')) return 'given_name_differs';
  const vouched = comparisons.some((c) => CORROBORATING[c.comparison]?.includes(c.level));
  if (!vouched && !bothParties(comparisons)) return 'no_corroboration';
  // The same test on trusted fields only: a link rests on what routing accepted or a person verified,
  // and on an entry whose number in its book is sure (else the link names the wrong entry).
  const trusted = comparisons.filter((c) => !c.unsure);
  const trustedVouch = trusted.some((c) => CORROBORATING[c.comparison]?.includes(c.level));
  if (identityUnsure || subjects.some((c) => c.unsure) || !(trustedVouch || bothParties(trusted))) return 'unsure_fields';
  return null;
}

/** A pair's score with its untrusted comparisons weighed in full (their cap undone), as if every reading were right. */
export function fullScore(score: number, comparisons: readonly Comparison[]): number {
  return comparisons.reduce((sum, c) => (c.unsure && c.m !== undefined && c.u !== undefined ? sum - c.weight + Math.log2(c.m / c.u) : sum), score);
}

/** The probability a score stands for (logistic of the log2 odds). */
export const probabilityOf = (score: number): number => 1 / (1 + 2 ** -score);
