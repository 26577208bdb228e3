/**
 * `civreg samples`: a seeded corpus of scanned register books with ground truth, in the format of
 * EVALUATION.md §1 (schemas/corpus.ts). Same options, byte-identical output.
 *
 * @example
 * const summary = await generateCorpus({ out: '/tmp/corpus', books: 10, seed: 7, profile: 'typical' });
 * // summary.pages ≈ 45; /tmp/corpus/manifest.json, b01/…, existing.jsonl, truth-links.json
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bookTruthSchema, manifestSchema, truthLinksSchema, type BookTruth, type Manifest, type Profile } from '../../schemas/corpus.ts';
import { ERAS } from '../../schemas/jobs.ts';
import { renderBook, type BookPlan, type BookResult } from './book.ts';
import { DAMAGE_PROFILES } from './damage.ts';
import type { Delivery } from './deliver.ts';
import { CORPUS_END, type EntryRecord } from './entries.ts';
import { DEFAULT_REGISTER_TYPES, ERA_STYLES, REGISTER_ERAS, type Era, type FillMode, type RegisterType } from './eras.ts';
import { makeExistingRecords } from './existing.ts';
import { loadFonts } from './fonts.ts';
import { drawName, fullName } from './names.ts';
import { districtEndsOn, districtsAt, officeName, REFORM_2025 } from './places.ts';
import type { ChangeTarget, RegisterEvent } from './records.ts';
import { Rng } from './rng.ts';
import { addDays, compareDates, dayNumber, isoDate, parseIso, randomDate, type Ymd } from './vietnamese.ts';

export type { Era };

export interface CorpusOptions {
  out: string;
  books: number;
  seed: number;
  profile: Profile;
  eras?: Era[];
  types?: RegisterType[];
  /** Inclusive range of pages per book; default [3, 6]. */
  pagesPerBook?: [number, number];
  /**
   * Chance that a page is photographed open together with the next one (two facing pages in one
   * image), instead of the profile's own (clean 0, typical 0.06, hard 0.15).
   */
  facingPages?: number;
  /** Chance that an entry not fitting at a page's foot continues on the next page, instead of the era's. */
  continuedEntries?: number;
  /** Book faults (missing and rescanned pages, gaps, struck entries) as in this profile, instead of `profile`'s: clean pages with faults. */
  faults?: Profile;
  /** Only these ways of filling the values (of those each era had); an era with none of them keeps its own. */
  fills?: FillMode[];
}

export interface CorpusSummary {
  books: number;
  pages: number;
  entries: number;
  files: number;
  ms: number;
}

/** Share of books that are the second copy of another book (books were kept in two copies). */
const SECOND_COPY_SHARE: Record<Profile, number> = { clean: 0.1, typical: 0.12, hard: 0.2 };
const DELIVERY_KINDS = ['pdf', 'tiff', 'jpeg-folder', 'png-folder'] as const;

/** Writes a corpus to `options.out`; `onProgress` is called after every delivered image. */
export async function generateCorpus(options: CorpusOptions, onProgress?: (pagesDone: number, pagesTotal: number) => void): Promise<CorpusSummary> {
  const started = performance.now();
  const pagesPerBook = options.pagesPerBook ?? [3, 6];
  if (!Number.isInteger(options.books) || options.books < 1) throw new RangeError('books must be a positive integer');
  if (!Number.isInteger(options.seed)) throw new RangeError('seed must be an integer');
  if (!(pagesPerBook[0] >= 1 && pagesPerBook[1] >= pagesPerBook[0] && Number.isInteger(pagesPerBook[0]) && Number.isInteger(pagesPerBook[1]))) {
    throw new RangeError('pagesPerBook must be [min, max] with 1 ≤ min ≤ max');
  }
  if (options.facingPages !== undefined && !(options.facingPages >= 0 && options.facingPages <= 1)) throw new RangeError('facingPages must be a share from 0 to 1');
  loadFonts({ sans: options.fills?.includes('printed-sans') ?? false });
  await mkdir(options.out, { recursive: true });
  const root = new Rng(options.seed);
  const plans = planBooks(root.fork('plan'), options, pagesPerBook);
  const total = plans.reduce((sum, p) => sum + p.pages, 0);
  let done = 0;

  // earlier registrations that a later book may register again (each at most once)
  const pool: { type: RegisterType; registration: Ymd; event: RegisterEvent; key: string }[] = [];
  const poolRng = root.fork('re-registrations');
  const takeEarlierEvent = (type: RegisterType) => (reg: Ymd) => {
    const candidates = pool.filter((p) => p.type === type && dayNumber(p.registration) <= dayNumber(reg) - 365);
    if (candidates.length === 0) return undefined;
    const chosen = poolRng.pick(candidates);
    pool.splice(pool.indexOf(chosen), 1);
    return { event: chosen.event, key: chosen.key };
  };

  // entries of books already made that a register of changes may refer to (each at most once)
  const targets: ChangeTarget[] = [];
  const takeChangeTarget = changeTargetSource(targets, root.fork('change targets'));

  const results = new Map<string, BookResult>();
  const manifest: Manifest = { version: 1, profile: options.profile, ...(options.faults ? { faults: options.faults } : {}), seed: options.seed, generator: 'civreg samples', books: [] };
  const sameEvent: [string, string][] = [];
  let entries = 0;
  let pages = 0;
  let files = 0;
  for (const plan of plans) {
    await rm(join(options.out, plan.id), { recursive: true, force: true });
    const original = plan.copyOf ? results.get(plan.copyOf) : undefined;
    const result = await renderBook(plan, {
      out: options.out, profile: options.profile, seed: options.seed,
      ...(options.facingPages !== undefined ? { facingPages: options.facingPages } : {}),
      ...(options.continuedEntries !== undefined ? { continuedEntries: options.continuedEntries } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.fills?.length ? { fills: options.fills } : {}),
      takeEarlierEvent: takeEarlierEvent(plan.type),
      takeChangeTarget,
      copyOfEntries: original?.written,
      onImage: () => onProgress?.(++done, Math.max(total, done)),
    });
    const truth = bookTruthSchema.parse(result.truth);
    await writeFile(join(options.out, plan.id, 'truth.json'), compactJson(truth));
    results.set(plan.id, { ...result, written: plan.copyOf ? [] : result.written });
    for (const e of truth.entries) {
      if (e.struck) continue;
      const reRegistrationOf = (e as { reRegistrationOf?: string }).reRegistrationOf;
      if (reRegistrationOf) sameEvent.push([`scan:${reRegistrationOf}`, `scan:${e.key}`]);
    }
    if (plan.copyOf) sameEvent.push(...copyPairs(results.get(plan.copyOf)!.truth, plan.copyOf, truth, plan.id));
    else if (plan.type !== 'change') {
      poolDelivered(pool, plan.type, truth, result.written);
      if (plan.type === 'birth' || plan.type === 'marriage' || plan.type === 'death') targets.push(...changeTargets(plan.type, result.office, plan.bookNo, truth));
    }
    manifest.books.push({
      id: plan.id, registerType: plan.type, era: plan.era, office: result.office, bookNo: plan.bookNo, years: result.years,
      ...(result.statedYears ? { statedYears: result.statedYears } : {}), files: result.files,
      pages: truth.pages.length, images: result.images, entries: truth.entries.length, dpi: plan.dpi, delivery: describeDelivery(plan.delivery), fill: result.fill,
      ...(plan.copyOf ? { copyOf: plan.copyOf } : {}),
    });
    entries += truth.entries.length;
    pages += truth.pages.length;
    files += result.files.length;
  }
  if (done < total) onProgress?.(total, total);

  const existing = makeExistingRecords({
    // the electronic database the corpus imitates holds births, marriages and deaths
    books: plans.flatMap((p) => (p.type === 'recognition' || p.type === 'guardianship' || p.type === 'change' ? [] : [{ id: p.id, registerType: p.type, era: p.era, office: results.get(p.id)!.office, truth: results.get(p.id)!.truth }])),
    seed: options.seed,
    profile: options.profile,
  });
  await writeFile(join(options.out, 'existing.jsonl'), existing.existing.map((e) => JSON.stringify(e)).join('\n') + (existing.existing.length ? '\n' : ''));
  const links = truthLinksSchema.parse({ sameEvent: [...existing.sameEvent, ...sameEvent] });
  await writeFile(join(options.out, 'truth-links.json'), `${JSON.stringify(links, null, 1)}\n`);
  await writeFile(join(options.out, 'manifest.json'), `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`);
  return { books: plans.length, pages, entries, files, ms: Math.round(performance.now() - started) };
}

/** Book plans in the order they are generated (by first registration date; a second copy right after its original). */
export function planBooks(r: Rng, o: CorpusOptions, pagesPerBook: [number, number]): BookPlan[] {
  const shuffledEras = r.shuffle(o.eras?.length ? o.eras : [...ERAS]);
  const types = r.shuffle(o.types?.length ? o.types : [...DEFAULT_REGISTER_TYPES]);
  // only eras that kept one of the registers asked for: recognition of parentage has books from 2006
  const eras = shuffledEras.filter((era) => types.some((t) => REGISTER_ERAS[t].includes(era)));
  if (eras.length === 0) throw new Error(`none of the eras asked for kept a register of ${types.join(', ')}`);
  const deliveries = r.shuffle(DELIVERY_KINDS);
  const profile = DAMAGE_PROFILES[o.profile];
  const copies = o.books >= 3 ? Math.floor(o.books * SECOND_COPY_SHARE[o.profile] + 0.5) : 0;
  const originals: Omit<BookPlan, 'id'>[] = [];
  for (let j = 0; j < o.books - copies; j++) {
    // round-robin over eras, types and formats: a small corpus still covers as many as it can
    const era = eras[j % eras.length]!;
    // era × type combinations by diagonals: each era meets every type before any combination repeats
    const kept = types.filter((t) => REGISTER_ERAS[t].includes(era));
    const type = kept[((j % eras.length) + Math.floor(j / eras.length)) % kept.length]!;
    const style = ERA_STYLES[era];
    const from = parseIso(style.window.from);
    const to = parseIso(style.window.to);
    // Books are kept by districts' offices, which the 1 July 2025 reform abolished, and the 2016- window
    // runs on to the end of 2025: a book must start at least 120 days before the reform. Drawn again
    // (not from a narrower range) so every seed that planned before plans the same books.
    const latest = addDays(compareDates(to, parseIso(REFORM_2025)) < 0 ? to : addDays(parseIso(REFORM_2025), -1), -120);
    let start = randomDate(r, from, addDays(to, -120));
    while (compareDates(start, latest) > 0) start = randomDate(r, from, addDays(to, -120));
    const district = r.pick(districtsAt(start));
    const ends = [to, CORPUS_END];
    const districtEnd = district.names.at(-1)?.to ?? districtEndsOn(district.key);
    if (districtEnd) ends.push(addDays(parseIso(districtEnd), -1));
    if (isoDate(start) < REFORM_2025) ends.push(addDays(parseIso(REFORM_2025), -1));
    const end = ends.reduce((a, b) => (compareDates(a, b) <= 0 ? a : b));
    const [lo, hi] = style.yearlyVolume[type];
    originals.push({
      type, era, district: district.key, ward: r.int(0, district.wards.length - 1), bookNo: String(r.int(1, 3)).padStart(2, '0'),
      start, end, volume: r.int(lo, hi), pages: r.int(pagesPerBook[0], pagesPerBook[1]), dpi: r.weighted(profile.dpi),
      delivery: drawDelivery(r, deliveries[j % deliveries.length]!, era),
    });
  }
  originals.sort((a, b) => compareDates(a.start, b.start));
  const copyOf = new Set(r.sample(originals.map((_, i) => i), copies));
  const ordered: BookPlan[] = [];
  const id = () => `b${String(ordered.length + 1).padStart(2, '0')}`;
  for (const [i, p] of originals.entries()) {
    const plan: BookPlan = { ...p, id: id() };
    ordered.push(plan);
    if (copyOf.has(i)) {
      const kind = r.pick(DELIVERY_KINDS.filter((k) => k !== p.delivery.kind));
      ordered.push({ ...p, id: id(), dpi: r.weighted(profile.dpi), delivery: drawDelivery(r, kind, p.era), copyOf: plan.id });
    }
  }
  return ordered;
}

function drawDelivery(r: Rng, kind: (typeof DELIVERY_KINDS)[number], era: Era): Delivery {
  if (kind === 'tiff') {
    const old = era === '1956-1960' || era === '1961-1998';
    return { kind, compression: old && r.chance(0.4) ? 'g4' : r.chance(0.5) ? 'lzw' : 'deflate' };
  }
  if (kind === 'png-folder') return { kind };
  return { kind, colour: r.chance(0.35) };
}

const describeDelivery = (d: Delivery): string =>
  d.kind === 'tiff' ? `tiff-${d.compression}` : d.kind === 'png-folder' ? 'png-grey' : `${d.kind}-${d.colour ? 'colour' : 'grey'}`;

/** Entries a later book may register again: delivered, not struck, with the event they record. */
function poolDelivered(pool: { type: RegisterType; registration: Ymd; event: RegisterEvent; key: string }[], type: RegisterType, truth: BookTruth, written: EntryRecord[]): void {
  const byKey = new Map(truth.entries.filter((e) => !e.struck).map((e) => [e.key, e]));
  const book = truth.entries[0]?.key.split('/')[0];
  for (const w of written) {
    const key = `${book}/${w.year}/${w.entryNo}`;
    if (byKey.has(key) && !w.reRegistrationOf) pool.push({ type, registration: w.registration, event: w.event, key });
  }
}

/** Delivered, not struck entries of a book of births, marriages or deaths, as a change may refer to them. */
function changeTargets(type: ChangeTarget['type'], office: string, bookNo: string, truth: BookTruth): ChangeTarget[] {
  return truth.entries
    .filter((e) => !e.struck && e.fields.registrationDate)
    .map((e) => ({
      key: e.key, type, office, bookNo, year: e.year, entryNo: e.entryNo, registered: parseIso(e.fields.registrationDate!.value),
      fields: Object.fromEntries(Object.entries(e.fields).map(([k, f]) => [k, f.value])),
    }));
}

/** Share of changes that refer to an entry of a book the corpus does not hold (not scanned, or not yet). */
const TARGET_ABSENT = 0.15;

/**
 * The entry each change refers to: an entry of a book made before, registered at least 60 days earlier and not
 * changed yet, or now and then (or when there is none) an entry of a book the corpus does not hold.
 */
function changeTargetSource(targets: ChangeTarget[], r: Rng): (reg: Ymd) => ChangeTarget {
  return (reg) => {
    const candidates = targets.filter((t) => dayNumber(t.registered) <= dayNumber(reg) - 60);
    if (candidates.length > 0 && !r.chance(TARGET_ABSENT)) {
      const chosen = r.pick(candidates);
      targets.splice(targets.indexOf(chosen), 1);
      return chosen;
    }
    // a book of an office of the city, kept there and not scanned: the change still names it
    const registered = randomDate(r, { y: 1975, m: 1, d: 1 }, addDays(reg, -60));
    const district = r.pick(districtsAt(registered));
    const type = r.pick(['birth', 'marriage', 'death'] as const);
    const born = (age: number) => isoDate(randomDate(r, { y: registered.y - age - 1, m: 1, d: 1 }, addDays(registered, -365 * age)));
    const sex = r.chance(0.5) ? 'male' : 'female';
    const fields: Record<string, string> = type === 'marriage'
      ? { husbandName: fullName(drawName(r, 'male', registered.y - 27)), husbandBirthDate: born(27), wifeName: fullName(drawName(r, 'female', registered.y - 25)), wifeBirthDate: born(25) }
      : type === 'birth' ? { fullName: fullName(drawName(r, sex, registered.y)), birthDate: isoDate(addDays(registered, -r.int(3, 50))) }
      : { fullName: fullName(drawName(r, sex, registered.y - 70)), birthDate: born(70) };
    return {
      key: null, type, office: officeName(district.key, r.int(0, district.wards.length - 1), registered), bookNo: String(r.int(1, 3)).padStart(2, '0'),
      year: registered.y, entryNo: r.int(1, 400), registered, fields: { ...fields, registrationDate: isoDate(registered) },
    };
  };
}

/** A second copy's entries are the same events as the original's, where both were delivered. */
function copyPairs(original: BookTruth, originalId: string, copy: BookTruth, copyId: string): [string, string][] {
  const inOriginal = new Set(original.entries.filter((e) => !e.struck).map((e) => e.key));
  return copy.entries
    .filter((e) => !e.struck && inOriginal.has(e.key.replace(`${copyId}/`, `${originalId}/`)))
    .map((e) => [`scan:${e.key.replace(`${copyId}/`, `${originalId}/`)}`, `scan:${e.key}`]);
}

/** Pretty JSON with one text line, field or box per line: readable in a diff, a third of the size. */
export function compactJson(x: unknown): string {
  return `${JSON.stringify(x, null, 1)
    .replace(/\[\s*(-?\d+),\s*(-?\d+),\s*(-?\d+),\s*(-?\d+)\s*\]/g, '[$1, $2, $3, $4]')
    .replace(/\{\n\s*"text": (".*?"),\n\s*"box": (\[.*?\])\n\s*\}/g, '{ "text": $1, "box": $2 }')
    .replace(/\{\n\s*"value": (".*?"),\n\s*"page": (\d+),\n\s*"box": (\[.*?\])\n\s*\}/g, '{ "value": $1, "page": $2, "box": $3 }')}\n`;
}
