import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import { confirmIdFigures, FIGURES_SURE, idCrop, idReadingImage, otsuThreshold, readFiguresWith, type ReadFigures } from '../../src/extract/id-reading.ts';
import { decide } from '../../src/extract/routing.ts';
import { parseField } from '../../src/extract/values.ts';
import { createOcrPool, type OcrPool } from '../../src/ocr/pool.ts';
import type { PixelBox } from '../../src/ocr/words.ts';
import { textPage } from '../helpers/images.ts';
import { parseConfig } from '../../schemas/config.ts';
import type { Services } from '../../src/services.ts';
import { extractWorker } from '../../workers/later.ts';

const FORM = 'marriage/2016-';

function field(name: string, raw: string, reasons: ExtractedField['reasons'], lines: PixelBox[] = [[60, 68, 320, 34]]): ExtractedField {
  return { field: name, raw, value: parseField(name, raw).value, precision: null, pageId: 1, box: lines[0] ?? null, confidence: 0.96, reasons, lines };
}

const entry = (fields: ExtractedField[]): ExtractedEntry => ({
  year: 2017, entryNo: 12, entryNoConfidence: 0.95, seq: 0, pageIds: [1], region: [], struck: false, template: FORM, fields, notes: [],
});

describe('an ID number held for a lonely figure, read again figures only', () => {
  it('clears lonely_digit only where the second reading gives the same figures, on values the caller lets through', async () => {
    const page = await textPage(['079203004517']);
    const agreed = field('husbandIdNumber', '079203004517', ['lonely_digit']);
    // a serial figure misread (7 read 1): the second reading reads the 7
    const misread = field('wifeIdNumber', '079203004511', ['lonely_digit']);
    const doubted = field('idNumber', '079203004517', ['digit_doubt', 'lonely_digit']);
    const hand = field('declarantIdNumber', '079203004517', ['lonely_digit']);
    const twoLines = field('fatherIdNumber', '079203004517', ['lonely_digit'], [[60, 68, 160, 34], [60, 148, 160, 34]]);
    const date = field('registrationDate', '12/05/2017', ['lonely_digit']);
    const found = entry([agreed, misread, doubted, hand, twoLines, date]);
    const asked: number[] = [];
    const readFigures: ReadFigures = async (png) => (asked.push(png.length), { figures: '079203004517', confidence: 0.95 });
    expect(await confirmIdFigures([found], page, readFigures, (f) => f.field !== 'declarantIdNumber')).toBe(1);
    expect(asked).toHaveLength(2);
    expect(found.fields.map((f) => f.reasons)).toEqual([[], ['lonely_digit'], ['digit_doubt', 'lonely_digit'], ['lonely_digit'], ['lonely_digit'], ['lonely_digit']]);
    expect(decide({ id: 1, value: agreed.value, confidence: agreed.confidence, reasons: agreed.reasons }, FORM, 0).status).toBe('auto_accepted');
    expect(decide({ id: 1, value: misread.value, confidence: misread.confidence, reasons: misread.reasons }, FORM, 0).status).toBe('review');
    // nothing read, figures lost, or the same figures read unsure (a typed 6 read 8 twice, the second time at 0.00,
    // seed 3296): held
    const again = field('husbandIdNumber', '079203004517', ['lonely_digit']);
    expect(await confirmIdFigures([entry([again])], page, async () => ({ figures: '', confidence: 0 }))).toBe(0);
    expect(await confirmIdFigures([entry([again])], page, async () => ({ figures: '07920300451', confidence: 0.9 }))).toBe(0);
    expect(await confirmIdFigures([entry([again])], page, async () => ({ figures: '079203004517', confidence: FIGURES_SURE - 0.01 }))).toBe(0);
    expect(again.reasons).toEqual(['lonely_digit']);
  });

  it('runs in the pipeline unless second readings are off', () => {
    const services = (env: Record<string, string>) => ({ config: parseConfig(env), ocr: { recognize: async () => ({ words: [] }) }, blobs: {}, instance: 't', db: {} }) as unknown as Services;
    const deps = (env: Record<string, string>) => extractWorker(services(env)).deps as { readFigures?: unknown };
    expect(typeof deps({}).readFigures).toBe('function');
    expect(deps({ CIVREG_SECOND_READING: 'off' }).readFigures).toBeUndefined();
  });

  it('splits a crop’s ink from its paper at the valley between them', () => {
    const pixels = Uint8Array.from([...Array(60).fill(250), ...Array(40).fill(30), 240, 35]);
    const t = otsuThreshold(pixels);
    expect(t).toBeGreaterThanOrEqual(35);
    expect(t).toBeLessThan(240);
  });
});

describe('the figures-only reading through the OCR pool', () => {
  let pool: OcrPool;
  beforeAll(async () => {
    pool = await createOcrPool({ size: 1, pageTimeoutMs: 60_000, recycleAfterPages: 100, model: 'best_int' });
  }, 60_000);
  afterAll(async () => pool?.close());

  it('reads the figures printed, holds a misreading of them, and leaves the pool reading letters after', async () => {
    const page = await textPage(['079203004517', 'Nguyễn Văn An']);
    const box: PixelBox = [60, 68, 320, 34];
    const crop = await idCrop(page, box);
    expect((await readFiguresWith(pool)(await idReadingImage(crop!))).figures).toBe('079203004517');
    const wrong = field('wifeIdNumber', '079203004511', ['lonely_digit']);
    const nine = field('idNumber', '079203004', ['lonely_digit']);
    expect(await confirmIdFigures([entry([wrong, nine])], page, readFiguresWith(pool))).toBe(0);
    expect([wrong.reasons, nine.reasons]).toEqual([['lonely_digit'], ['lonely_digit']]);
    // the worker is set back to all letters for the next image
    const { words } = await pool.recognize(await textPage(['Nguyễn Văn An']), { psm: 7 });
    expect(words.map((w) => w.text).join(' ')).toBe('Nguyễn Văn An');
  }, 60_000);
});
