/**
 * From what a layout extractor read to typed fields with a confidence: parse each item, then check the
 * fields against each other (date in words = date in figures, birth before registration, parents'
 * years plausible, ID number consistent with sex and birth year). Confidence starts from the OCR's
 * confidence in the words read and only ever goes down, except where two independent readings agree
 * (a date in figures and the same date in words).
 */
import type { ExtractedField, RouteReason } from '../../schemas/entries.ts';
import { FIELD_KEYS, type CorpusRegisterType } from '../../schemas/corpus.ts';
import { parseDateWords } from './dates.ts';
import { cleanValue } from './text.ts';
import { resolvePlace } from '../places/gazetteer.ts';
import { placeRunsOn, placeSpelledAsKnown, placeStopsAtCommune } from '../places/written-place.ts';
import { caseInDoubt } from './letter-case.ts';
import { AGREEING_READINGS } from './routing.ts';
import { yearOf } from '../text/normalise.ts';
import { CLOSED_AFTER, namedPlace, NO_VOCABULARY, rareName, rareSpellings, streetName, UNSEEN_AFTER, vocabularyGroup, type Vocabulary } from './vocabulary.ts';
import { entryNumberAlike, entryNumberOf, fieldKind, parseField, personalIdAgrees } from './values.ts';
import { itemText, unionBox, type FoundEntry, type OcrWord, type PixelBox, type ReadItem } from './words.ts';

/** Ceiling for a value whose text does not have its field's shape, or fails a check. */
const FAILED_CHECK_CEILING = 0.3;
/** Factor for a value missing from its dictionary (an unknown surname, ethnic group…). */
const UNKNOWN_FACTOR = 0.6;

/** Fields every entry of a register type has; absent ones go to a person as missing. */
export const REQUIRED_FIELDS: Record<CorpusRegisterType, readonly string[]> = {
  birth: ['fullName', 'sex', 'birthDate', 'birthPlace', 'motherName', 'registrationDate'],
  death: ['fullName', 'deathDate', 'deathPlace', 'registrationDate'],
  marriage: ['husbandName', 'husbandBirthDate', 'wifeName', 'wifeBirthDate', 'registrationDate'],
  recognition: ['parentName', 'parentRelation', 'childName', 'childBirthDate', 'registrationDate'],
  guardianship: ['guardianName', 'wardName', 'wardBirthDate', 'registrationDate'],
  change: ['personName', 'refType', 'refBookNo', 'refEntryNo', 'refDate', 'changeContent', 'newValue', 'registrationDate'],
};

export interface TypedEntry {
  entryNo: number | null;
  entryNoConfidence: number;
  bookNo: string | null;
  /** The book number read surely enough to say the entry belongs to another book (src/extract/misfiled.ts). */
  bookNoSure: boolean;
  fields: ExtractedField[];
}

/** OCR confidence of every word of a book number that may name a page as another book's. */
const SURE_BOOK_NO = 0.8;

/** One box per OCR line of a value's words, top to bottom: what its second reading reads (src/extract/second-reading.ts). */
function lineBoxes(words: readonly OcrWord[]): PixelBox[] {
  const byLine = new Map<number, PixelBox[]>();
  for (const word of words) byLine.set(word.line, [...(byLine.get(word.line) ?? []), word.box]);
  return [...byLine.values()].map((boxes) => unionBox(boxes)!).sort((a, b) => a[1] - b[1]);
}

function minConfidence(read: ReadItem): number {
  return read.words.length === 0 ? 0 : Math.min(...read.words.map((w) => w.confidence));
}

/**
 * `pageTrust` (0..1) scales every OCR confidence of the page: see `pageTrust` in extract.ts.
 * `vocabulary`: how names and causes of death are spelled in verified and existing records (src/extract/vocabulary.ts).
 */
export function typeEntry(found: FoundEntry, type: CorpusRegisterType, pageId: number, pageTrust = 1, vocabulary: Vocabulary = NO_VOCABULARY): TypedEntry {
  const known = new Set<string>(FIELD_KEYS[type]);
  const fields = new Map<string, ExtractedField>();
  for (const [item, read] of found.items) {
    if (!known.has(item) || read.words.length === 0) continue;
    const raw = itemText(read);
    const parsed = parseField(item, raw);
    const reasons: RouteReason[] = [];
    let confidence = minConfidence(read) * pageTrust;
    if (!parsed.parsed || parsed.value === null) {
      reasons.push('parse_failed');
      confidence = Math.min(confidence, FAILED_CHECK_CEILING);
    }
    // the OCR's confidence says nothing here: the digit's pixels match another digit of the page
    if (read.words.some((w) => w.doubtfulDigit)) {
      reasons.push('digit_doubt');
      confidence = Math.min(confidence, FAILED_CHECK_CEILING);
    }
    // a figure whose glyph has no copy on the page read as the same figure rests on the OCR's reading alone, and
    // hand-written figures have none (no hand writes a 3 twice alike): a written 3 read 5 in a house number was
    // accepted on seed 3062, twice (the residence and the place of death, the clerk's copy of it, read alike).
    // Only a reading independent of it clears it: the date in words (crossCheck)
    if (parsed.value !== null && /\d/.test(parsed.value) && read.words.some((w) => w.lonelyDigit)) reasons.push('lonely_digit');
    // the parser put the text right (capitals, a surname's or a unit's marks): right far more often than
    // not, but what was read was wrong somewhere, so a person looks (the value shown is the corrected one)
    if (parsed.corrected) reasons.push('corrected');
    // a note changes the entry (a death, a divorce, a correction, with the decision's number and date) and
    // becomes an event on it (notes.ts); its figures are free text no check can hold against anything, and
    // few entries have one: a person always reads it (issue 6: 2 of 10 accepted notes were wrong on seed 2601)
    if (item === 'notes') reasons.push('marginal_note');
    // a word spelled as such values almost never are is most likely a tone mark misread
    const group = vocabularyGroup(item);
    const street = fieldKind(item) === 'place' && parsed.value !== null ? streetName(parsed.value) : null;
    const named = fieldKind(item) === 'place' && parsed.value !== null ? namedPlace(parsed.value) : null;
    const rare = parsed.parsed && parsed.value !== null && (
      (group !== null && rareSpellings(parsed.value, vocabulary.get(group), CLOSED_AFTER[group], UNSEEN_AFTER[group]).length > 0) ||
      (street !== null && rareSpellings(street, vocabulary.get('street'), CLOSED_AFTER.street, UNSEEN_AFTER.street).length > 0) ||
      (named !== null && rareName(named, vocabulary.get('streetName'))));
    if (parsed.known === false || rare) {
      reasons.push('not_in_dictionary');
      confidence *= UNKNOWN_FACTOR;
    }
    fields.set(item, {
      field: item, raw, value: parsed.value, precision: parsed.precision, pageId,
      box: unionBox(read.words.map((w) => w.box)) ?? read.cell ?? null, confidence, reasons, lines: lineBoxes(read.words),
    });
  }
  for (const item of REQUIRED_FIELDS[type]) {
    if (fields.has(item)) continue;
    const box = found.items.get(item)?.cell ?? null;
    fields.set(item, { field: item, raw: '', value: null, precision: null, pageId, box, confidence: 0, reasons: ['missing_required'] });
  }
  if (type === 'birth') for (const who of ['mother', 'father'] as const) birthYearFromAge(fields, found.items.get(`${who}Age`), `${who}BirthYear`, pageId);
  crossCheck(fields, found, type, pageTrust);
  const entryNoText = found.items.get('entryNo');
  // the entry number is the first number after "Số:"; what follows it on a leader line is noise
  const parsedNo = entryNoText ? entryNumberOf(itemText(entryNoText)).value : null;
  // a figure read as a letter ("S6", "10O") or followed by a stop: the number it most likely is, always doubted
  const alikeNo = parsedNo === null && entryNoText ? entryNumberAlike(itemText(entryNoText)) : null;
  const entryNo = parsedNo ?? alikeNo;
  const bookNo = found.items.get('bookNo');
  const numberWord = alikeNo ? entryNoText!.words[0] : entryNo ? entryNoText!.words.find((w) => w.text.includes(entryNo)) : undefined;
  const doubted = numberWord?.doubtfulDigit === true;
  // a doubted digit makes the number unsure for the book checks too
  const entryNoConfidence = Math.min((numberWord?.confidence ?? 0) * pageTrust, doubted || alikeNo !== null ? FAILED_CHECK_CEILING : 1);
  // the entry number is reviewed like a field: on hand-written books a person confirms it, and the book
  // checks then judge the numbering on confirmed numbers
  fields.set('entryNo', {
    field: 'entryNo', raw: entryNoText ? itemText(entryNoText) : '', value: entryNo, precision: null, pageId,
    box: entryNoText ? (unionBox(entryNoText.words.map((w) => w.box)) ?? entryNoText.cell ?? null) : null,
    confidence: entryNo ? entryNoConfidence : 0,
    // a number read from letters is the text not parsed as it stands, the likeliest number put in for a person
    reasons: entryNo ? [...(alikeNo !== null ? ['parse_failed' as const] : []), ...(doubted ? ['digit_doubt' as const] : [])] : [entryNoText && entryNoText.words.length > 0 ? 'parse_failed' : 'missing_required'],
    lines: numberWord ? [numberWord.box] : [],
  });
  const bookNoSure = bookNo !== undefined && bookNo.words.length > 0 && bookNo.words.every((w) => !w.doubtfulDigit && w.confidence * pageTrust >= SURE_BOOK_NO);
  return { entryNo: entryNo ? Number(entryNo) : null, entryNoConfidence, bookNo: bookNo ? itemText(bookNo).replace(/[^0-9/]/g, '') || null : null, bookNoSure, fields: [...fields.values()] };
}

/**
 * Old books give a parent's age at the birth ("34 tuổi") instead of a birth year: the year is the child's
 * birth year minus the age, give or take one (the birthday may fall either side), so it is stored with
 * year precision and never accepted without a person.
 */
function birthYearFromAge(fields: Map<string, ExtractedField>, age: ReadItem | undefined, field: string, pageId: number): void {
  const childYear = yearOf(fields.get('birthDate')?.value);
  const years = age ? /^(\d{1,2})(?: tuổi)?$/.exec(cleanValue(itemText(age)).replace(/[.,]$/, '')) : null;
  if (!age || !years || childYear === null || fields.has(field)) return;
  fields.set(field, {
    field, raw: itemText(age), value: String(childYear - Number(years[1])), precision: 'year', pageId,
    box: unionBox(age.words.map((w) => w.box)), confidence: Math.min(minConfidence(age), FAILED_CHECK_CEILING), reasons: ['check_failed'],
  });
}

function fail(field: ExtractedField | undefined, reason: RouteReason): void {
  if (!field) return;
  if (!field.reasons.includes(reason)) field.reasons.push(reason);
  field.confidence = Math.min(field.confidence, FAILED_CHECK_CEILING);
}

function crossCheck(fields: Map<string, ExtractedField>, found: FoundEntry, type: CorpusRegisterType, pageTrust: number): void {
  // a date also written in words: agreement is strong evidence, disagreement sends both to a person.
  // Both readings must be wrong, the same way, for an agreeing pair to be wrong: as sure as that, no surer
  // (two unsure readings of hand-writing agreeing prove less than two sure readings of print).
  for (const [dateField, wordsItem] of [['birthDate', 'birthDateWords'], ['deathDate', 'deathDateWords']] as const) {
    const date = fields.get(dateField);
    const words = found.items.get(wordsItem);
    if (!date || !words || date.value === null) continue;
    const spelled = parseDateWords(itemText(words));
    if (!spelled) continue;
    // the words are an independent reading of the figures: what the figures' glyphs alone could not confirm, they do
    if (spelled.iso === date.value) date.reasons = date.reasons.filter((r) => r !== 'lonely_digit');
    if (spelled.iso === date.value && date.reasons.length === 0) {
      const bothWrong = (1 - date.confidence) * (1 - minConfidence(words) * pageTrust);
      date.confidence = Math.max(date.confidence, Math.min(AGREEING_READINGS, 1 - bothWrong));
      date.confirmedBy = 'readings_agree';
    } else if (spelled.iso !== date.value) fail(date, 'words_disagree');
  }
  const registered = fields.get('registrationDate')?.value ?? null;
  const registeredYear = yearOf(registered);
  for (const key of ['birthDate', 'deathDate', 'husbandBirthDate', 'wifeBirthDate']) {
    const date = fields.get(key);
    // compared at the date's own precision: "1962" is not after "1962-03-15"
    if (date?.value && registered && date.value > registered.slice(0, date.value.length)) fail(date, 'check_failed');
  }
  if (type === 'birth') {
    const childYear = yearOf(fields.get('birthDate')?.value);
    // a mother is 13 to 50 years older than her child (births past 50 are vanishingly rare, and a
    // misread decade, 1961 for 1981, lands there), a father 13 to 70
    for (const [parent, oldest] of [['motherBirthYear', 50], ['fatherBirthYear', 70]] as const) {
      const year = fields.get(parent);
      const y = yearOf(year?.value);
      if (y !== null && childYear !== null && (childYear - y < 13 || childYear - y > oldest)) fail(year, 'check_failed');
    }
  }
  if (type === 'marriage' && registeredYear !== null) {
    for (const key of ['husbandBirthDate', 'wifeBirthDate']) {
      const y = yearOf(fields.get(key)?.value);
      if (y !== null && (registeredYear - y < 16 || registeredYear - y > 100)) fail(fields.get(key), 'check_failed');
    }
  }
  // a place the dated gazetteer cannot place (as written on the registration date), or whose unit names
  // it knows only without their diacritics (a tone mark lost or added by OCR), is checked by a person
  for (const field of fields.values()) {
    if (fieldKind(field.field) !== 'place' || field.value === null) continue;
    // every check here judges the words alone and marks the value whatever else it carries: a reason it has now (a
    // lonely figure of "Số 5") may be cleared later by its twins, leaving nothing to hold it; the penalty falls once
    if (resolvePlace(field.value, registered).key === null || !placeSpelledAsKnown(field.value)) {
      if (field.reasons.length === 0) field.confidence *= UNKNOWN_FACTOR;
      if (!field.reasons.includes('not_in_dictionary')) field.reasons.push('not_in_dictionary');
    }
    // a place that stops at a commune lost what followed it (a wrapped line read as a label, seed 2962), and the
    // second reading reads the same lines: only a person sees that the district and city are missing
    if (placeStopsAtCommune(field.value)) fail(field, 'place_incomplete');
    // a place that goes on past its province took the next value's line (a form's label lost, seed 3301): the
    // gazetteer resolves it to the later place, and a second reading reads the same two lines
    if (placeRunsOn(field.value)) fail(field, 'place_run_on');
    // a place whose case rests on a typewriter's one-shape letter ("Xã" or "xã" opening it, seed 3306): no reading
    // of the image tells the two apart, so neither a second reading nor the confidence of the first confirms it
    if (caseInDoubt(field.value)) fail(field, 'case_in_doubt');
  }
  // a personal number (12 digits) holds its holder's sex and birth year: the entry's person's, a spouse's (a husband is
  // male, a wife female), a parent's, a child's, a guardian's or a ward's, each beside their own birth date
  for (const id of fields.values()) {
    if (fieldKind(id.field) !== 'idNumber' || id.value?.length !== 12) continue;
    const who = id.field.replace(/IdNumber$|idNumber$/, '');
    const sex = who === '' ? (fields.get('sex')?.value ?? null) : (HOLDER_SEX[who] ?? null);
    if (personalIdAgrees(id.value, sex, yearOf(fields.get(who === '' ? 'birthDate' : `${who}BirthDate`)?.value)) === false) fail(id, 'check_failed');
  }
}

/** The sex a register's role implies for the holder of an ID number (`husbandIdNumber`): none for the others. */
const HOLDER_SEX: Record<string, string> = { husband: 'male', wife: 'female' };
