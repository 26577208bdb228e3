/**
 * OCR of a real typewritten page (test/fixtures/real-scans/typewriter.png, a Triumph typewriter; its text keyed in
 * typewriter.txt) through cleanup and the pipeline's OCR, with every cleanup step off in turn, and delivered turned
 * and upside down: character error rate over the whole page (the lines of the words kept, joined by one space, spaces
 * collapsed; until the tenth session Tesseract's own page text, which keeps the words dropped as scribbles). The
 * generator's typewriter is a font drawn strike by strike; this is the typewriter itself. Not a test.
 *
 *   npx node test/ocr/measure-real-scans.ts [dpi …]
 */
import { readFile } from 'node:fs/promises';
import levenshtein from 'fast-levenshtein';
import sharp from 'sharp';
import { cleanPage, cleanStepsFrom, type CleanStep } from '../../src/imaging/clean.ts';
import { createOcrPool } from '../../src/ocr/pool.ts';

const FIXTURES = new URL('../fixtures/real-scans/', import.meta.url);
/** The scan's resolution, from its face: ten characters to the inch span about 84 pixels. */
const SCANNED_DPI = 840;
const dpis = process.argv.slice(2).map(Number).filter((d) => d > 0);

const flat = (text: string) => text.normalize('NFC').replace(/\s+/gu, ' ').trim();
const truth = flat(await readFile(new URL('typewriter.txt', FIXTURES), 'utf8'));
const scan = await readFile(new URL('typewriter.png', FIXTURES));
const { width } = await sharp(scan).metadata();

const DEFAULTS = cleanStepsFrom(undefined);
const configs: Record<string, Record<CleanStep, boolean>> = {
  'no cleanup': cleanStepsFrom([]),
  defaults: DEFAULTS,
  ...Object.fromEntries(Object.entries(DEFAULTS).map(([step, on]) => [`${on ? '−' : '+'} ${step}`, { ...DEFAULTS, [step]: !on }])),
};

const pool = await createOcrPool({ size: 2, pageTimeoutMs: 180_000, recycleAfterPages: 200, model: 'best_int' });
try {
  console.log(`| dpi | delivered | configuration | CER | steps that changed the page |`);
  console.log(`|---|---|---|---|---|`);
  for (const dpi of dpis.length > 0 ? dpis : [300, 200]) {
    const upright = await sharp(scan).resize(Math.round((width! * dpi) / SCANNED_DPI)).png().toBuffer();
    const deliveries = { upright, 'turned 3.5°, upside down': await sharp(upright).rotate(183.5, { background: { r: 255, g: 255, b: 255 } }).png().toBuffer() };
    for (const [delivered, image] of Object.entries(deliveries)) {
      for (const [name, steps] of Object.entries(configs)) {
        if (delivered !== 'upright' && name !== 'defaults' && name !== 'no cleanup') continue;
        const clean = await cleanPage(image, { dpi, steps });
        // the lines of the words civreg keeps (extraction reads these; scribbles are dropped from them)
        const read = flat((await pool.recognize(clean.image)).lines.map((line) => line.text).join(' '));
        const cer = levenshtein.get(read, truth) / truth.length;
        console.log(`| ${dpi} | ${delivered} | ${name} | ${(100 * cer).toFixed(2)} % | ${clean.steps.join(' ')} |`);
      }
    }
  }
} finally {
  await pool.close();
}
