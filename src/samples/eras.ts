/**
 * What each era's books write and how (DOMAIN.md "Eras"), as data: which dates come in words, whether
 * parents have an age or a birth year, which identity numbers appear, how places are written, and how the
 * values are put on the page (by hand, typewriter or printer).
 */
import { CORPUS_REGISTER_TYPES, type CorpusRegisterType } from '../../schemas/corpus.ts';
import type { Era } from '../../schemas/jobs.ts';
import type { Weighted } from './rng.ts';
import type { FigureStyle } from './vietnamese.ts';
import type { PlaceStyle } from './places.ts';

export type { Era };
export type RegisterType = CorpusRegisterType;
export const REGISTER_TYPES: readonly RegisterType[] = CORPUS_REGISTER_TYPES;
/** What a corpus holds unless `--types` says otherwise: the three registers every era kept. */
export const DEFAULT_REGISTER_TYPES: readonly RegisterType[] = ['birth', 'marriage', 'death'];
/**
 * Eras whose offices kept each register: recognition of parentage and guardianship have books of their own from
 * 2006; changes and corrections from 1999 (pre-printed register forms of Decree 83/1998; whether offices kept such
 * a register before is not known here, so older changes are written only as margin notes).
 */
export const REGISTER_ERAS: Record<RegisterType, readonly Era[]> = {
  birth: ['1956-1960', '1961-1998', '1999-2005', '2006-2015', '2016-'],
  marriage: ['1956-1960', '1961-1998', '1999-2005', '2006-2015', '2016-'],
  death: ['1956-1960', '1961-1998', '1999-2005', '2006-2015', '2016-'],
  recognition: ['2006-2015', '2016-'],
  guardianship: ['2006-2015', '2016-'],
  change: ['1999-2005', '2006-2015', '2016-'],
};

/**
 * How an era's values were put on the page: by hand, on a typewriter, printed by computer in the form's own
 * serif (`printed`), or printed by computer onto a pre-printed form in a sans-serif face other than its labels'
 * (`printed-sans`: offices that filled their forms from a word processor). An era lists a fill at weight 0 when
 * it had it but the generator makes it only when asked (`--fills`), so default corpora stay as they were.
 */
export const FILL_MODES = ['hand', 'typed', 'printed', 'printed-sans'] as const;
export type FillMode = (typeof FILL_MODES)[number];

export interface EraStyle {
  /** Registration dates of the era's books (inclusive). */
  window: { from: string; to: string };
  fills: Weighted<FillMode>;
  figures: Weighted<FigureStyle>;
  places: Weighted<PlaceStyle>;
  /** Share of entries whose date of birth (or death) is also written in words. */
  wordsShare: number;
  /** Share of adults (deceased, spouses) whose date of birth is a year only / a month and year. */
  yearOnlyShare: number;
  monthOnlyShare: number;
  /** Parents recorded with their age at the birth rather than a birth year. */
  parentAge: boolean;
  /** Identity numbers: none; old 9-digit CMND (marriages 1980–2015); 12-digit personal ID. */
  idNumbers: 'none' | 'cmnd' | 'personal';
  /** Place of birth/residence names include the province (old books often leave out "Hà Nội"). */
  provinceShare: number;
  /** Entries of one book per calendar year, by register type (sets where in the year an entry number falls). */
  yearlyVolume: Record<RegisterType, [number, number]>;
}

export const ERA_STYLES: Record<Era, EraStyle> = {
  '1956-1960': {
    window: { from: '1956-06-01', to: '1960-12-31' },
    fills: [['hand', 1]],
    figures: [['d/m/yyyy', 3], ['ngày d tháng m năm yyyy', 2], ['d.m.yyyy', 1]],
    places: [['old', 3], ['bare', 2]],
    wordsShare: 0.35,
    yearOnlyShare: 0.55,
    monthOnlyShare: 0.1,
    parentAge: true,
    idNumbers: 'none',
    provinceShare: 0.2,
    yearlyVolume: { birth: [120, 400], marriage: [30, 120], death: [30, 120], recognition: [15, 80], guardianship: [5, 40], change: [20, 120] },
  },
  '1961-1998': {
    window: { from: '1961-01-01', to: '1998-12-31' },
    fills: [['hand', 4], ['typed', 1]],
    figures: [['d/m/yyyy', 4], ['dd/mm/yyyy', 2], ['ngày d tháng m năm yyyy', 2], ['d.m.yyyy', 1]],
    places: [['old', 2], ['bare', 3], ['abbrev', 1]],
    wordsShare: 0.3,
    yearOnlyShare: 0.35,
    monthOnlyShare: 0.08,
    parentAge: true,
    idNumbers: 'cmnd',
    provinceShare: 0.35,
    yearlyVolume: { birth: [150, 500], marriage: [50, 200], death: [40, 160], recognition: [15, 80], guardianship: [5, 40], change: [20, 120] },
  },
  '1999-2005': {
    window: { from: '1999-01-01', to: '2005-12-31' },
    fills: [['hand', 1], ['typed', 1], ['printed-sans', 0]],
    figures: [['dd/mm/yyyy', 4], ['d/m/yyyy', 2], ['dd-mm-yyyy', 1]],
    places: [['abbrev', 3], ['bare', 1], ['full', 1]],
    wordsShare: 0.9,
    yearOnlyShare: 0.12,
    monthOnlyShare: 0.03,
    parentAge: false,
    idNumbers: 'cmnd',
    provinceShare: 0.7,
    yearlyVolume: { birth: [250, 650], marriage: [100, 300], death: [60, 200], recognition: [15, 80], guardianship: [5, 40], change: [20, 120] },
  },
  '2006-2015': {
    window: { from: '2006-01-01', to: '2015-12-31' },
    fills: [['printed', 3], ['hand', 2], ['typed', 1], ['printed-sans', 0]],
    figures: [['dd/mm/yyyy', 5], ['d/m/yyyy', 1]],
    places: [['abbrev', 3], ['full', 2]],
    wordsShare: 0.95,
    yearOnlyShare: 0.05,
    monthOnlyShare: 0.01,
    parentAge: false,
    idNumbers: 'cmnd',
    provinceShare: 0.95,
    yearlyVolume: { birth: [300, 800], marriage: [120, 350], death: [80, 250], recognition: [15, 80], guardianship: [5, 40], change: [20, 120] },
  },
  '2016-': {
    window: { from: '2016-01-01', to: '2025-12-31' },
    fills: [['printed', 1], ['printed-sans', 0]],
    figures: [['dd/mm/yyyy', 1]],
    places: [['full', 4], ['abbrev', 1]],
    wordsShare: 1,
    yearOnlyShare: 0.02,
    monthOnlyShare: 0,
    parentAge: false,
    idNumbers: 'personal',
    provinceShare: 1,
    yearlyVolume: { birth: [300, 900], marriage: [120, 400], death: [80, 300], recognition: [15, 80], guardianship: [5, 40], change: [20, 120] },
  },
};

/** CMND numbers appear on marriage entries 1980–2015 (DOMAIN.md); before 1980 no ID paper is written. */
export const CMND_FROM_YEAR = 1980;
