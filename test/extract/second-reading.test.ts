import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import { decide } from '../../src/extract/routing.ts';
import { attested, judgeSecondReading, needsSecondReading, readLineWith, readUnsureValuesAgain, TWINNED_DATE_TRUST, type ReadLine } from '../../src/extract/second-reading.ts';
import type { OcrWord, PixelBox } from '../../src/ocr/words.ts';
import { wordsFrom, type Vocabulary } from '../../src/extract/vocabulary.ts';
import { parseField } from '../../src/extract/values.ts';
import { createOcrPool, type OcrPool } from '../../src/ocr/pool.ts';
import { textPage } from '../helpers/images.ts';
import { parseConfig } from '../../schemas/config.ts';
import type { Services } from '../../src/services.ts';
import { extractWorker } from '../../workers/later.ts';

const FORM = 'birth/1999-2005';

function field(name: string, raw: string, confidence: number, lines: ExtractedField['lines'] = [[60, 60, 600, 50]]): ExtractedField {
  const parsed = name === 'entryNo' ? { value: raw } : parseField(name, raw);
  return { field: name, raw, value: parsed.value, precision: null, pageId: 1, box: lines?.[0] ?? null, confidence, reasons: [], lines };
}

const entry = (fields: ExtractedField[]): ExtractedEntry => ({
  year: 2003, entryNo: 12, entryNoConfidence: 0.8, seq: 0, pageIds: [1], region: [], struck: false, template: FORM, fields, notes: [],
});

describe('a second reading of an unsure value', () => {
  it('raises the confidence of a value read the same twice, as two readings both wrong the same way', () => {
    const first = field('fullName', 'Lê Văn An', 0.8);
    const judged = judgeSecondReading(first, { text: 'Lê Văn An', confidence: 0.7 });
    expect(judged.confidence).toBeCloseTo(1 - 0.2 * 0.3, 6);
    expect(judged.reasons).toEqual([]);
    expect(judged.confirmedBy).toBe('readings_agree');
    expect(decide({ id: 1, value: judged.value, confidence: judged.confidence, reasons: judged.reasons }, FORM, 0).status).toBe('auto_accepted');
    // written another way, the same normal form is the same value
    expect(judgeSecondReading(field('birthDate', '16/02/2013', 0.8), { text: '16/2/2013', confidence: 0.9 }).reasons).toEqual([]);
    // two unsure readings agreeing are still not sure enough for a form
    const weak = judgeSecondReading(field('fullName', 'Nguyễn Văn Toàn', 0.5), { text: 'Nguyễn Văn Toàn', confidence: 0.6 });
    expect(weak.confidence).toBeCloseTo(0.8, 6);
    expect(decide({ id: 1, value: weak.value, confidence: weak.confidence, reasons: weak.reasons }, FORM, 0)).toMatchObject({ status: 'review', reasons: ['low_confidence'] });
  });

  it('confirms a date to the day read alike twice, its figures twinned on a trusted page, whatever the two confidences', () => {
    const date = field('registrationDate', '13/1/1982', 0.42);
    const twinned: OcrWord = { text: '13/1/1982', confidence: 0.42, box: [70, 65, 300, 40], line: 0, twinnedDigits: true };
    const glyphs = { words: [twinned], trust: 0.9 };
    const unsure = judgeSecondReading(date, { text: '13/1/1982', confidence: 0.5 }, glyphs);
    expect(unsure).toMatchObject({ value: '1982-01-13', confidence: 0.995, reasons: [] });
    expect(decide({ id: 1, value: unsure.value, confidence: unsure.confidence, reasons: unsure.reasons }, 'marriage/1961-1998', 0).status).toBe('auto_accepted');
    const weighed = 1 - 0.58 * 0.5;
    // on a page whose words OCR mostly doubts (blurred), two readings may agree on one misreading: weighed as any value
    expect(judgeSecondReading(date, { text: '13/1/1982', confidence: 0.5 }, { ...glyphs, trust: TWINNED_DATE_TRUST - 0.01 }).confidence).toBeCloseTo(weighed, 6);
    // no lonely_digit is no proof: a figure never compared leaves none, and only twinnedDigits vouches
    const { twinnedDigits: _, ...uncompared } = twinned;
    expect(judgeSecondReading(date, { text: '13/1/1982', confidence: 0.5 }, { ...glyphs, words: [uncompared] }).confidence).toBeCloseTo(weighed, 6);
    expect(judgeSecondReading(date, { text: '13/1/1982', confidence: 0.5 }, { ...glyphs, words: [{ ...twinned, doubtfulDigit: true }] }).confidence).toBeCloseTo(weighed, 6);
    // the date split over two words, one of them not vouched for; and no page words at all
    const split = [{ ...twinned, text: '13/1/', box: [70, 65, 120, 40] as PixelBox }, { ...uncompared, text: '1982', box: [200, 65, 150, 40] as PixelBox }];
    expect(judgeSecondReading(date, { text: '13/1/1982', confidence: 0.5 }, { ...glyphs, words: split }).confidence).toBeCloseTo(weighed, 6);
    expect(judgeSecondReading(date, { text: '13/1/1982', confidence: 0.5 }).confidence).toBeCloseTo(weighed, 6);
    // a year alone (what is left of a date whose day and month were lost) and a month are weighed as any value
    for (const raw of ['1942', '3/1942']) {
      const words = [{ ...twinned, text: raw }];
      expect(judgeSecondReading(field('husbandBirthDate', raw, 0.42), { text: raw, confidence: 0.5 }, { ...glyphs, words }).confidence).toBeCloseTo(weighed, 6);
    }
    // a reason left (a figure with no copy, or like another figure) is not vouched for by the glyphs
    for (const reason of ['lonely_digit', 'digit_doubt'] as const) {
      const lonely = judgeSecondReading({ ...date, reasons: [reason] }, { text: '13/1/1982', confidence: 0.5 }, glyphs);
      expect(lonely.confidence).toBeCloseTo(weighed, 6);
    }
    // nor a date the second reading reads otherwise, nor a figure of another kind of value
    expect(judgeSecondReading(field('wifeBirthDate', '13/10/1985', 0.43), { text: '13/10/1965', confidence: 0.9 }, glyphs))
      .toMatchObject({ confidence: 0.43, reasons: ['readings_disagree'] });
    const id = [{ ...twinned, text: '012345678' }];
    expect(judgeSecondReading(field('wifeIdNumber', '012345678', 0.42), { text: '012345678', confidence: 0.5 }, { ...glyphs, words: id }).confidence).toBeCloseTo(weighed, 6);
  });

  it('sends a value read otherwise the second time to a person, its confidence left as it was', () => {
    const date = judgeSecondReading(field('birthDate', '18/02/2013', 0.88), { text: '16/02/2013', confidence: 0.99 });
    expect(date).toMatchObject({ value: '2013-02-18', confidence: 0.88, reasons: ['readings_disagree'] });
    expect(decide({ id: 1, value: date.value, confidence: date.confidence, reasons: date.reasons }, FORM, 0)).toMatchObject({ status: 'review', reasons: ['readings_disagree'] });
    expect(judgeSecondReading(field('entryNo', '1400', 0.76), { text: '100', confidence: 0.9 }).reasons).toEqual(['readings_disagree']);
    expect(judgeSecondReading(field('entryNo', '100', 0.76), { text: '100 ....', confidence: 0.9 }).reasons).toEqual([]);
    // a mark read differently, nothing read, a value the parser had to put right
    expect(judgeSecondReading(field('deathCause', 'Ung thư phối', 0.8), { text: 'Ung thư phổi', confidence: 0.9 }).reasons).toEqual(['readings_disagree']);
    expect(judgeSecondReading(field('fullName', 'Lê Văn An', 0.8), { text: '', confidence: 0 }).reasons).toEqual(['readings_disagree']);
    expect(judgeSecondReading(field('fullName', 'Lê Văn An', 0.8), { text: 'LÊ Văn An', confidence: 0.95 }).reasons).toEqual(['readings_disagree']);
  });

  it('reads again only values whose one obstacle is the OCR’s confidence, line by line', async () => {
    const page = await textPage(['Thôn Đông Cù, X. Tô Hiệu,', 'H. Thường Tín, Hà Nội', 'Nguyễn Thị Hoa']);
    const twoLines = field('motherResidence', 'Thôn Đông Cù, X. Tô Hiệu, H. Thường Tín, Hà Nội', 0.7, [[60, 65, 560, 45], [60, 145, 470, 45]]);
    const sure = field('fullName', 'Nguyễn Thị Hoa', 0.95, [[60, 225, 320, 45]]);
    const doubted = { ...field('birthDate', '16/02/2013', 0.7), reasons: ['digit_doubt' as const] };
    const found = entry([twoLines, sure, doubted]);
    expect([twoLines, sure, doubted].map((f) => needsSecondReading(f))).toEqual([true, false, false]);
    const asked: number[] = [];
    const readLine: ReadLine = async (png) => {
      asked.push(png.length);
      return asked.length === 1 ? { text: 'Thôn Đông Cù, X. Tô Hiệu,', confidence: 0.9 } : { text: 'H. Thường Tín, Hà Nội', confidence: 0.8 };
    };
    expect(await readUnsureValuesAgain([found], page, readLine)).toBe(2);
    expect(asked).toHaveLength(2);
    expect(found.fields[0]).toMatchObject({ reasons: [] });
    expect(found.fields[0]!.confidence).toBeCloseTo(1 - 0.3 * 0.2, 6);
    expect(found.fields[1]).toBe(sure);
    expect(found.fields[2]).toBe(doubted);
  });

  it('runs on typewritten values by default; CIVREG_SECOND_READING=on reads every form, off none', () => {
    const services = (env: Record<string, string>) => ({ config: parseConfig(env), ocr: { recognize: async () => ({ words: [] }) }, blobs: {}, instance: 't', db: {} }) as unknown as Services;
    const deps = (env: Record<string, string>) => extractWorker(services(env)).deps as { readLine?: unknown; readAgain?: string };
    expect(deps({})).toMatchObject({ readAgain: 'typed' });
    expect(typeof deps({}).readLine).toBe('function');
    expect(deps({ CIVREG_SECOND_READING: 'on' })).toMatchObject({ readAgain: 'every_form' });
    expect(deps({ CIVREG_SECOND_READING: 'off' })).toMatchObject({ readLine: undefined });
    // typed ruled tables too by default (eleventh session: none wrong of 1,404 accepted on fresh seed 3113); `typed` reads forms only
    expect(deps({})).toMatchObject({ readTables: true });
    expect(deps({ CIVREG_SECOND_READING: 'typed' })).toMatchObject({ readAgain: 'typed', readTables: false });
  });

  it('reads again only the values the page’s tell lets through (those typed on a typewriter)', async () => {
    const page = await textPage(['16/02/2013', '16/02/2013']);
    const handAdded = field('registrationDate', '16/02/2013', 0.7, [[60, 65, 320, 45]]);
    const date = field('birthDate', '16/02/2013', 0.7, [[60, 145, 320, 45]]);
    const found = entry([handAdded, date]);
    const asked: string[] = [];
    const readLine: ReadLine = async () => ({ text: '16/02/2013', confidence: 0.9 });
    expect(await readUnsureValuesAgain([found], page, readLine, undefined, (f) => (asked.push(f.field), f.field === 'birthDate'))).toBe(1);
    expect(asked).toEqual(['registrationDate', 'birthDate']);
    expect(found.fields[0]).toBe(handAdded);
    // no page words given: the two readings weighed
    expect(found.fields[1]!.confidence).toBeCloseTo(1 - 0.3 * 0.1, 6);
  });
});

describe('what a second reading may confirm', () => {
  const vocabulary: Vocabulary = new Map([
    ['name', wordsFrom([{ word: 'Dương', n: 4 }, { word: 'Trọng', n: 9 }, { word: 'Việt', n: 6 }, { word: 'Nguyễn', n: 30 }])],
    ['deathCause', wordsFrom([{ word: 'Ung', n: 3 }, { word: 'thư', n: 3 }, { word: 'phổi', n: 2 }])],
    ['street', wordsFrom([{ word: 'Lê', n: 2 }, { word: 'Lợi', n: 2 }])],
  ]);

  it('confirms names and causes of death only in spellings people have written before: one engine loses a mark both times', () => {
    expect(attested('husbandName', 'Dương Trọng Việt', vocabulary)).toBe(true);
    expect(attested('husbandName', 'Dương Trong Việt', vocabulary)).toBe(false);
    expect(attested('deathCause', 'Ung thư phối', vocabulary)).toBe(false);
    expect(attested('deathCause', 'Ung thư phổi', vocabulary)).toBe(true);
    // a place's street is judged by the streets' vocabulary; units are the gazetteer's, dates and numbers the parsers'
    expect(attested('residence', 'Số 16 ngõ 53 Lê Lợi, P. Lê Lợi', vocabulary)).toBe(true);
    expect(attested('residence', 'Số 16 phố Lê Lới, P. Lê Lợi', vocabulary)).toBe(false);
    expect(attested('residence', 'Xóm 8, X. Đức Thượng, H. Hoài Đức', vocabulary)).toBe(true);
    expect(attested('birthDate', '2013-02-16', new Map())).toBe(true);
    // with no vocabulary yet, no name is confirmed this way, and it is not read again
    expect(attested('fullName', 'Nguyễn Văn An', new Map())).toBe(false);
    expect(needsSecondReading(field('husbandName', 'Dương Trong Việt', 0.45), vocabulary)).toBe(false);
    expect(needsSecondReading(field('husbandName', 'Dương Trọng Việt', 0.45), vocabulary)).toBe(true);
  });
});

describe('a second reading with tesseract', () => {
  let pool: OcrPool;
  beforeAll(async () => {
    pool = await createOcrPool({ size: 1, pageTimeoutMs: 60_000, recycleAfterPages: 100, model: 'best_int' });
  }, 60_000);
  afterAll(async () => pool?.close());

  it('reads a value’s line cut out of the page as one line, and confirms the value read on the page', async () => {
    const page = await textPage(['Họ và tên: Nguyễn Thị Hoa', 'Ngày sinh: 15/03/1962'], { width: 900, height: 260, fontSize: 36 });
    const whole = await pool.recognize(page);
    const dateWords = whole.words.filter((w) => /\d/.test(w.text));
    expect(dateWords.map((w) => w.text).join(' ')).toBe('15/03/1962');
    const date = field('birthDate', '15/03/1962', 0.6, [dateWords[0]!.box]);
    const found = entry([date]);
    expect(await readUnsureValuesAgain([found], page, readLineWith(pool))).toBe(1);
    expect(found.fields[0]!.reasons).toEqual([]);
    expect(found.fields[0]!.confidence).toBeGreaterThan(0.9);
    // the pool goes back to reading whole pages after a line
    expect((await pool.recognize(page)).text).toContain('Nguyễn Thị Hoa');
  }, 60_000);
});
