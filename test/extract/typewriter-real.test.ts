import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tellTyping } from '../../src/extract/typewriter.ts';
import { cleanPage } from '../../src/imaging/clean.ts';
import { createOcrPool } from '../../src/ocr/pool.ts';
import type { OcrPool } from '../../src/ocr/types.ts';

/**
 * The typewriting tell on two real scans (test/fixtures/real-scans/SOURCES.md), read as the pipeline reads a page:
 * a page typed on a Triumph typewriter and a brochure printed in proportional type. The generator's typewriter is a
 * monospaced font; this is the machine itself, misreadings and all ("1inzen").
 */
const FIXTURES = new URL('../fixtures/real-scans/', import.meta.url);
const DPI = 200;

describe('the typewriting tell on real scans', () => {
  let pool: OcrPool;
  beforeAll(async () => {
    pool = await createOcrPool({ size: 1, pageTimeoutMs: 120_000, recycleAfterPages: 100, model: 'best_int' });
  });
  afterAll(async () => {
    await pool?.close();
  });

  /** The words OCR reads on a fixture brought to `DPI` from the resolution it was scanned at, cleaned first. */
  async function wordsOf(file: string, scannedDpi: number) {
    const bytes = await readFile(new URL(file, FIXTURES));
    const { width } = await sharp(bytes).metadata();
    const clean = await cleanPage(await sharp(bytes).resize(Math.round((width! * DPI) / scannedDpi)).png().toBuffer(), { dpi: DPI });
    return (await pool.recognize(clean.image)).words;
  }

  it('tells the typewritten page typed, at ten characters to the inch', async () => {
    const tell = tellTyping(await wordsOf('typewriter.png', 840));
    expect(tell.typing).toBe('typed');
    // pica: ten characters to the inch
    expect(tell.pitch).toBeCloseTo(DPI / 10, 0);
  }, 60_000);

  it('tells the printed brochure not typed', async () => {
    expect(tellTyping(await wordsOf('linn.png', 300)).typing).toBe('not_typed');
  }, 60_000);
});
