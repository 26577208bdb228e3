/**
 * Measures what each geometry step of `cleanPage` does to OCR: CER against the drawn text and
 * cleanup time, per scenario page, with every step off, each alone, all on, and all on but one.
 * Not a test (it takes minutes): run it by hand when the cleanup changes, and copy the table.
 *
 *   npx node test/imaging/measure-geometry.ts [--quick]
 */
import { performance } from 'node:perf_hooks';
import { characterErrors } from '../../src/eval/metrics/text.ts';
import { cleanPage, CLEAN_STEPS, type CleanStep } from '../../src/imaging/clean.ts';
import { createOcrPool } from '../../src/ocr/pool.ts';
import { renderTextPage, scanPage, type ScanOptions } from './pages.ts';

interface Scenario {
  name: string;
  page: { seed: number; lines?: number; fontFamily?: string; fontSize?: number; width?: number; height?: number; ruled?: boolean };
  scan: ScanOptions;
}

const FRAME: [number, number, number, number] = [70, 110, 140, 60];
// Faded, soft, grainy JPEG: about as poor as tesseract still reads at 250 dpi (a little worse and
// it returns nothing at all, whatever the geometry).
const POOR: ScanOptions = { contrast: [90, 205], blur: 1.4, noise: 30, jpegQuality: 40 };
const POOR_150: ScanOptions = { contrast: [70, 220], blur: 0.7, noise: 10, jpegQuality: 70, dpi: 150 };

const SCENARIOS: Scenario[] = [
  { name: 'straight', page: { seed: 1 }, scan: {} },
  { name: 'skew +1.5', page: { seed: 2, fontFamily: 'Liberation Sans' }, scan: { skewDeg: 1.5 } },
  { name: 'skew -4', page: { seed: 3 }, scan: { skewDeg: -4 } },
  { name: 'skew +8', page: { seed: 4, fontFamily: 'FreeMono' }, scan: { skewDeg: 8 } },
  { name: 'frame, skew -0.6', page: { seed: 5 }, scan: { skewDeg: -0.6, frame: FRAME } },
  { name: 'frame, skew +2.5', page: { seed: 6, fontFamily: 'Liberation Sans' }, scan: { skewDeg: 2.5, frame: FRAME, frameGrey: 90 } },
  { name: 'turn 90, skew +1', page: { seed: 7 }, scan: { turn: 90, skewDeg: 1 } },
  { name: 'turn 180, frame', page: { seed: 8 }, scan: { turn: 180, frame: FRAME } },
  { name: 'turn 270, skew -2', page: { seed: 9, fontFamily: 'Liberation Sans' }, scan: { turn: 270, skewDeg: -2 } },
  { name: 'poor, skew +3', page: { seed: 10 }, scan: { ...POOR, skewDeg: 3 } },
  { name: 'poor, frame, skew -6', page: { seed: 11, fontFamily: 'FreeMono' }, scan: { ...POOR, skewDeg: -6, frame: FRAME } },
  { name: 'poor, 150 dpi, turn 180', page: { seed: 12, width: 1240, height: 1754, fontSize: 25 }, scan: { ...POOR_150, turn: 180, skewDeg: 1.2 } },
  { name: 'poor, book-edge frame, skew +1', page: { seed: 14 }, scan: { ...POOR, skewDeg: 1, frame: [40, 60, 160, 120], frameGrey: 90, frameStripes: true } },
  { name: 'sparse, frame, skew +5', page: { seed: 13, lines: 5 }, scan: { skewDeg: 5, frame: FRAME } },
  { name: 'ruled register, turn 90, skew -1.5', page: { seed: 15, ruled: true, lines: 30 }, scan: { turn: 90, skewDeg: -1.5, frame: FRAME } },
];

type Config = { name: string; steps: Record<CleanStep, boolean> };
const allOn = Object.fromEntries(CLEAN_STEPS.map((step) => [step, true])) as Record<CleanStep, boolean>;
const geometry: CleanStep[] = ['orient', 'deskew', 'crop'];
const CONFIGS: Config[] = [
  { name: 'none', steps: { ...allOn, orient: false, deskew: false, crop: false } },
  ...geometry.map((step) => ({ name: `only ${step}`, steps: { ...allOn, orient: false, deskew: false, crop: false, [step]: true } })),
  { name: 'all', steps: allOn },
  ...CLEAN_STEPS.map((step) => ({ name: `all − ${step}`, steps: { ...allOn, [step]: false } })),
];

const quick = process.argv.includes('--quick');
const scenarios = quick ? SCENARIOS.filter((_, i) => i % 3 === 0) : SCENARIOS;
// One worker, so that OCR time per page is not shared with a second recognition.
const pool = await createOcrPool({ size: 1, pageTimeoutMs: 180_000, recycleAfterPages: 200, model: 'best_int' });
const rows: string[] = [];
const timeRows: string[] = [];
const totals = new Map<string, { errors: number; length: number; cleanMs: number; ocrMs: number; pages: number }>();
try {
  for (const scenario of scenarios) {
    const page = await renderTextPage(scenario.page);
    const scan = await scanPage(page.png, scenario.scan);
    const cells: string[] = [];
    const times: string[] = [];
    const cleaned = [];
    for (const config of CONFIGS) {
      await cleanPage(scan, { steps: config.steps }); // warm-up, so the timing below is steady
      const started = performance.now();
      const clean = await cleanPage(scan, { steps: config.steps });
      cleaned.push({ config, clean, cleanMs: performance.now() - started });
    }
    const ocr = await Promise.all(cleaned.map(({ clean }) => pool.recognize(clean.image)));
    for (const [i, { config, clean, cleanMs }] of cleaned.entries()) {
      const { errors, length } = characterErrors(page.truth, ocr[i]!.text);
      const total = totals.get(config.name) ?? { errors: 0, length: 0, cleanMs: 0, ocrMs: 0, pages: 0 };
      totals.set(config.name, { errors: total.errors + errors, length: total.length + length, cleanMs: total.cleanMs + cleanMs, ocrMs: total.ocrMs + ocr[i]!.ms, pages: total.pages + 1 });
      cells.push(`${((100 * errors) / length).toFixed(1)}`);
      times.push(`${(cleanMs / 1000).toFixed(2)} + ${(ocr[i]!.ms / 1000).toFixed(1)}`);
      if (config.name === 'all') console.error(`${scenario.name}: ${clean.steps.join(' ')} ${JSON.stringify(clean.findings)}`);
    }
    rows.push(`| ${scenario.name} | ${cells.join(' | ')} |`);
    timeRows.push(`| ${scenario.name} | ${times.join(' | ')} |`);
  }
} finally {
  await pool.close();
}
console.log(`CER % per scenario page (A4, 250 dpi unless noted; OCR: tesseract.js best_int, psm 3, one worker)\n`);
console.log(`| page | ${CONFIGS.map((config) => config.name).join(' | ')} |`);
console.log(`|---|${CONFIGS.map(() => '---').join('|')}|`);
for (const row of rows) console.log(row);
const summary = CONFIGS.map((config) => totals.get(config.name)!);
console.log(`| **all pages** | ${summary.map((t) => `**${((100 * t.errors) / t.length).toFixed(1)}**`).join(' | ')} |`);
console.log(`| cleanup ms/page | ${summary.map((t) => (t.cleanMs / t.pages).toFixed(0)).join(' | ')} |`);
console.log(`| OCR ms/page | ${summary.map((t) => (t.ocrMs / t.pages).toFixed(0)).join(' | ')} |`);
console.log(`\nSeconds per page, cleanup + OCR\n`);
console.log(`| page | ${CONFIGS.map((config) => config.name).join(' | ')} |`);
console.log(`|---|${CONFIGS.map(() => '---').join('|')}|`);
for (const row of timeRows) console.log(row);
