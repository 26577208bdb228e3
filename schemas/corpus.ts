import { z } from 'zod';
import { eraSchema } from './jobs.ts';

/**
 * The labelled-corpus format of EVALUATION.md: what `civreg samples` writes and `civreg eval` reads.
 * Any corpus in this shape can be evaluated, so unknown keys are kept (passthrough), never refused.
 */

/** [x, y, width, height] in pixels of the delivered image. */
export const boxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export type Box = z.infer<typeof boxSchema>;

export const CORPUS_REGISTER_TYPES = ['birth', 'marriage', 'death', 'recognition', 'guardianship', 'change'] as const;
export const corpusRegisterTypeSchema = z.enum(CORPUS_REGISTER_TYPES);
export type CorpusRegisterType = z.infer<typeof corpusRegisterTypeSchema>;
export const profileSchema = z.enum(['clean', 'typical', 'hard']);
export type Profile = z.infer<typeof profileSchema>;

export const manifestBookSchema = z
  .object({
    id: z.string().min(1),
    registerType: corpusRegisterTypeSchema,
    era: eraSchema,
    office: z.string().min(1),
    bookNo: z.string().min(1),
    years: z.array(z.number().int()).min(1),
    /**
     * The years on the book's cover, given at upload, when they are not its entries' `years` (a fault,
     * `book_years_in_doubt` in its truth): what a reader of the corpus hands the pipeline as the book's years.
     */
    statedYears: z.array(z.number().int()).min(1).optional(),
    /** Relative to the corpus folder, in page order; a folder of images is listed file by file. */
    files: z.array(z.string().min(1)).min(1),
    /** How the values were entered, where the corpus says: the eval's `fields.byFill`. */
    fill: z.enum(['printed', 'typed', 'hand', 'printed-sans']).optional(),
  })
  .passthrough();
export type ManifestBook = z.infer<typeof manifestBookSchema>;

export const manifestSchema = z
  .object({
    version: z.literal(1),
    profile: profileSchema.optional(),
    seed: z.number().int().optional(),
    books: z.array(manifestBookSchema),
  })
  .passthrough();
export type Manifest = z.infer<typeof manifestSchema>;

export const truthLineSchema = z.object({ text: z.string(), box: boxSchema }).passthrough();

export const truthPageSchema = z
  .object({
    /** Position among the delivered pages of the book (a missing page is absent, a repeated one present twice). */
    index: z.number().int().min(0),
    file: z.string(),
    filePage: z.number().int().min(0),
    blank: z.boolean().default(false),
    /** The resolution the page was scanned at (the eval's CER per resolution band); absent in older corpora. */
    dpi: z.number().positive().optional(),
    lines: z.array(truthLineSchema),
  })
  .passthrough();
export type TruthPage = z.infer<typeof truthPageSchema>;

export const truthFieldSchema = z.object({ value: z.string(), page: z.number().int().min(0), box: boxSchema }).passthrough();

export const truthNoteSchema = z
  .object({ kind: z.string(), field: z.string().optional(), old: z.string().optional(), new: z.string().optional(), date: z.string().optional() })
  .passthrough();

export const truthEntrySchema = z
  .object({
    /** `<book>/<year>/<entryNo>`, referenced as `scan:<key>` in truth-links.json. */
    key: z.string().min(1),
    year: z.number().int(),
    entryNo: z.number().int(),
    pages: z.array(z.number().int().min(0)).min(1),
    struck: z.boolean().default(false),
    fields: z.record(z.string(), truthFieldSchema),
    notes: z.array(truthNoteSchema).default([]),
    /** The entry runs over a page break (begun at a page's foot, its last rows at the top of the next page). */
    continued: z.boolean().optional(),
    /** Of a continued entry: each part's page and region, in order (its fields name their own page). */
    parts: z.array(z.object({ page: z.number().int().min(0), box: boxSchema })).optional(),
    /**
     * Of an entry of a register of changes: the entry it changes (`refersTo`, an entry key of the corpus, null
     * when that book is not in it) and the event it makes there, as a marginal note's (changed field, old and
     * new value in normal form, date: the change's registration date).
     */
    change: z.object({ refersTo: z.string().nullable(), kind: z.string(), field: z.string(), old: z.string(), new: z.string(), date: z.string() }).passthrough().optional(),
  })
  .passthrough();
export type TruthEntry = z.infer<typeof truthEntrySchema>;

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('missing_page'), page: z.number().int() }).passthrough(),
  z.object({ kind: z.literal('duplicate_page'), page: z.number().int(), of: z.number().int() }).passthrough(),
  z.object({ kind: z.literal('entry_gap'), year: z.number().int(), after: z.number().int(), missing: z.array(z.number().int()) }).passthrough(),
  z.object({ kind: z.literal('struck_entry'), key: z.string() }).passthrough(),
  /** The book's stated years (manifest `statedYears`) are not the `years` its entries hold. */
  z.object({ kind: z.literal('book_years_in_doubt'), years: z.array(z.number().int()).min(1), stated: z.array(z.number().int()).min(1) }).passthrough(),
]);
export type Fault = z.infer<typeof faultSchema>;

export const bookTruthSchema = z
  .object({
    pages: z.array(truthPageSchema), entries: z.array(truthEntrySchema), faults: z.array(faultSchema).default([]),
    /**
     * Continuations whose entry began on a page that is missing: the top of a page holding an entry's last
     * rows with no entry number. Not entries (nothing files them); extraction should flag them for a person.
     */
    orphanParts: z.array(z.object({ key: z.string(), page: z.number().int().min(0), box: boxSchema, fields: z.record(z.string(), truthFieldSchema) })).optional(),
  })
  .passthrough();
export type BookTruth = z.infer<typeof bookTruthSchema>;

/** One line of existing.jsonl: a record of the electronic civil-status database, text as that system holds it. */
export const existingRecordSchema = z
  .object({
    id: z.string().min(1),
    registerType: corpusRegisterTypeSchema,
    fields: z.record(z.string(), z.string()),
    registeredAt: z.string().optional(),
  })
  .passthrough();
export type ExistingRecord = z.infer<typeof existingRecordSchema>;

/** Pairs of `scan:<entry key>` / `existing:<id>` references to the same event; evaluation takes the transitive closure. */
export const truthLinksSchema = z.object({ sameEvent: z.array(z.tuple([z.string(), z.string()])) }).passthrough();
export type TruthLinks = z.infer<typeof truthLinksSchema>;

/**
 * Field keys per register type and their normal forms (EVALUATION.md). Critical fields are those the
 * ≤0.3% auto-accept error budget holds for individually: names, dates, places, ID numbers.
 */
const COMMON_FIELDS = ['registrationDate', 'registrarName', 'declarantName', 'declarantRelation', 'notes'] as const;
const parent = (who: 'mother' | 'father') =>
  [`${who}Name`, `${who}BirthYear`, `${who}Ethnicity`, `${who}Nationality`, `${who}Residence`] as const;
/** A spouse, or a party to a recognition of parentage or a guardianship: each with a full date of birth and an ID paper. */
const party = <Who extends string>(who: Who) =>
  [`${who}Name`, `${who}BirthDate`, `${who}Ethnicity`, `${who}Nationality`, `${who}Residence`, `${who}IdNumber`] as const;

export const FIELD_KEYS = {
  birth: [...COMMON_FIELDS, 'fullName', 'sex', 'birthDate', 'birthPlace', 'hometown', 'ethnicity', 'nationality', 'idNumber', ...parent('mother'), ...parent('father')],
  death: [...COMMON_FIELDS, 'fullName', 'sex', 'birthDate', 'ethnicity', 'nationality', 'idNumber', 'residence', 'deathTime', 'deathDate', 'deathPlace', 'deathCause', 'deathNoticeRef'],
  marriage: [...COMMON_FIELDS, ...party('husband'), ...party('wife')],
  /** Recognition of parentage: the parent who recognises (`parentRelation`: Cha or Mẹ) and the child recognised. */
  recognition: [...COMMON_FIELDS, ...party('parent'), 'parentRelation', ...party('child')],
  /** Guardianship: the guardian (`guardianRelation` to the ward: Ông nội, Cô…) and the ward, a minor. */
  guardianship: [...COMMON_FIELDS, ...party('guardian'), 'guardianRelation', ...party('ward')],
  /**
   * Change and correction (thay đổi, cải chính, bổ sung hộ tịch) kept in a register of its own: the person, the
   * entry of another book it changes (`refType` Khai sinh/Kết hôn/Khai tử, `refOffice`, `refBookNo`,
   * `refEntryNo`, `refDate`: that entry's registration date), what changes (`changeContent`, "Cải chính họ,
   * chữ đệm, tên"), the value before and after as written, and the decision or papers it rests on (`basis`).
   */
  change: [...COMMON_FIELDS, 'personName', 'personBirthDate', 'refType', 'refOffice', 'refBookNo', 'refEntryNo', 'refDate', 'changeContent', 'oldValue', 'newValue', 'basis'],
} as const;

/** Whether a field falls under the per-field error budget (names, dates, places, ID numbers). */
export function isCriticalField(key: string): boolean {
  return /(Name|Date|Place|Residence|IdNumber|hometown|BirthYear)$/.test(key) || ['fullName', 'birthDate', 'deathDate', 'birthPlace', 'deathPlace', 'idNumber', 'hometown', 'residence', 'registrationDate'].includes(key);
}
