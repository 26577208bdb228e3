import { resolve } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import { profileSchema } from '../../schemas/corpus.ts';
import { ERAS } from '../../schemas/jobs.ts';
import { FILL_MODES, REGISTER_TYPES, type Era, type FillMode, type RegisterType } from '../samples/eras.ts';
import { generateCorpus, type CorpusOptions } from '../samples/generate.ts';
import { CliError } from './errors.ts';
import { createProgress } from './progress.ts';

export interface SamplesFlags {
  out?: string;
  books?: string;
  seed?: string;
  profile?: string;
  eras?: string;
  types?: string;
  'pages-per-book'?: string;
  'facing-pages'?: string;
  'continued-entries'?: string;
  faults?: string;
  fills?: string;
  json?: boolean;
}

const MAX_BOOKS = 1000;
const MAX_PAGES_PER_BOOK = 50;

/**
 * `civreg samples --out DIR [--books N] [--seed S] [--profile clean|typical|hard] [--eras E,…] [--types T,…]
 * [--pages-per-book MIN,MAX] [--facing-pages SHARE] [--continued-entries SHARE] [--fills hand,typed,printed,printed-sans] [--json]`: writes a labelled synthetic corpus (EVALUATION.md §1).
 *
 * @example
 * await runSamples(config, { out: '/tmp/corpus', books: '20', seed: '7', profile: 'hard' }); // 0
 */
export async function runSamples(_config: Config, flags: SamplesFlags): Promise<number> {
  const options = parseSamplesFlags(flags);
  const progress = flags.json ? undefined : createProgress('Generating samples');
  const summary = await generateCorpus(options, (done, total) => progress?.update(done, total, 'pages'));
  progress?.finish();
  if (flags.json) {
    console.log(JSON.stringify({ out: options.out, profile: options.profile, seed: options.seed, ...summary }, null, 2));
  } else {
    console.log(
      `Wrote ${summary.books} books, ${summary.pages} pages, ${summary.entries} entries (${summary.files} scan files) ` +
        `to ${options.out} in ${(summary.ms / 1000).toFixed(1)} s (profile ${options.profile}, seed ${options.seed}).`,
    );
  }
  return 0;
}

/** Checks every flag and says all that is wrong at once. */
export function parseSamplesFlags(flags: SamplesFlags): CorpusOptions {
  const problems: string[] = [];
  const integer = (name: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      problems.push(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const list = <T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] | undefined => {
    if (raw === undefined) return undefined;
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = items.filter((s) => !(allowed as readonly string[]).includes(s));
    if (items.length === 0 || bad.length) problems.push(`--${name} takes a comma-separated list of ${allowed.join(', ')} (got "${raw}")`);
    return items as T[];
  };
  if (!flags.out) problems.push('--out DIR is required (the folder to write the corpus to)');
  const books = integer('books', flags.books, 10, 1, MAX_BOOKS);
  const seed = integer('seed', flags.seed, 1, -(2 ** 31), 2 ** 32 - 1);
  const profile = profileSchema.safeParse(flags.profile ?? 'typical');
  if (!profile.success) problems.push(`--profile must be clean, typical or hard (got "${flags.profile}")`);
  const faults = flags.faults === undefined ? undefined : profileSchema.safeParse(flags.faults);
  if (faults && !faults.success) problems.push(`--faults must be clean, typical or hard (got "${flags.faults}")`);
  const eras = list<Era>('eras', flags.eras, ERAS);
  const types = list<RegisterType>('types', flags.types, REGISTER_TYPES);
  const fills = list<FillMode>('fills', flags.fills, FILL_MODES);
  let pagesPerBook: [number, number] | undefined;
  const ppb = flags['pages-per-book'];
  if (ppb !== undefined) {
    const parts = ppb.split(',').map((s) => s.trim());
    const [lo, hi] = parts.length === 1 ? [parts[0], parts[0]] : parts;
    const min = Number(lo);
    const max = Number(hi);
    if (parts.length > 2 || !Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min || max > MAX_PAGES_PER_BOOK) {
      problems.push(`--pages-per-book takes MIN,MAX (or N) with 1 ≤ MIN ≤ MAX ≤ ${MAX_PAGES_PER_BOOK} (got "${ppb}")`);
    } else pagesPerBook = [min, max];
  }
  let facingPages: number | undefined;
  const facing = flags['facing-pages'];
  if (facing !== undefined) {
    facingPages = Number(facing);
    if (facing.trim() === '' || !(facingPages >= 0 && facingPages <= 1)) problems.push(`--facing-pages takes the share of images holding two facing pages, from 0 to 1 (got "${facing}")`);
  }
  let continuedEntries: number | undefined;
  const continued = flags['continued-entries'];
  if (continued !== undefined) {
    continuedEntries = Number(continued);
    if (continued.trim() === '' || !(continuedEntries >= 0 && continuedEntries <= 1)) {
      problems.push(`--continued-entries takes the chance that an entry not fitting at a page's foot continues on the next page, from 0 to 1 (got "${continued}")`);
    }
  }
  if (problems.length) throw new CliError('bad_arguments', problems.join('; '));
  return {
    out: resolve(flags.out!),
    books,
    seed,
    profile: profile.success ? profile.data : 'typical',
    ...(eras ? { eras } : {}),
    ...(types ? { types } : {}),
    ...(pagesPerBook ? { pagesPerBook } : {}),
    ...(facingPages !== undefined ? { facingPages } : {}),
    ...(continuedEntries !== undefined ? { continuedEntries } : {}),
    ...(faults?.success ? { faults: faults.data } : {}),
    ...(fills ? { fills } : {}),
  };
}
