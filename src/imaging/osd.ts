/**
 * A second opinion on a page's orientation from Tesseract's orientation and script detection (OSD, the
 * `@tesseract.js-data/osd` model), asked only when the geometric measure (`orientation.ts`) is not sure: it reads
 * letter shapes, so a typed register table whose ruled columns make lines and columns look alike is still told.
 * A worker is started for each question and ended after it (~1 s for the model), so no thread outlives the
 * page and the cost falls on the few unsure pages only.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import Tesseract from 'tesseract.js';
import { shrinkGrey, type GreyImage } from './analysis.ts';
import type { QuarterTurn } from './transform.ts';

const require = createRequire(import.meta.url);

/** OSD reads letters: ~150 dpi for an A4 page is enough and keeps it near a second. */
const OSD_LONG_SIDE = 1600;
/** Starting the worker and detecting take 1–4 s on a busy machine; past this the page keeps the geometric answer. */
const OSD_TIMEOUT_MS = 30_000;

/**
 * The clockwise quarter turn that makes the page upright by OSD, and its confidence (Tesseract's
 * `orientation_confidence`: ~7–11 on pages of typed text, under 1 when it cannot tell); null when OSD fails.
 *
 * @example
 * const osd = await osdTurn(grey); // { turn: 270, confidence: 10.3 }
 */
export async function osdTurn(image: GreyImage): Promise<{ turn: QuarterTurn; confidence: number } | null> {
  const { image: small } = await shrinkGrey(image, OSD_LONG_SIDE / Math.max(image.width, image.height));
  // About 150 dpi for an A4 page; without a resolution Tesseract warns and guesses one.
  const png = await sharp(small.data, { raw: { width: small.width, height: small.height, channels: 1 } }).withMetadata({ density: 150 }).png().toBuffer();
  let worker: Tesseract.Worker | null = null;
  let fail: (error: unknown) => void = () => {};
  // tesseract.js swallows a failed model load and never settles createWorker (PITFALLS.md): its errorHandler
  // and a time limit end the wait, and the page keeps the geometric answer.
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {});
  let done = false;
  const timer = setTimeout(() => fail(new Error('OSD took too long')), OSD_TIMEOUT_MS);
  try {
    const created = Tesseract.createWorker('osd', Tesseract.OEM.TESSERACT_ONLY, {
      langPath: path.join(path.dirname(require.resolve('@tesseract.js-data/osd/package.json')), '4.0.0'),
      gzip: true,
      // Otherwise a stale ./osd.traineddata in the working directory wins over langPath.
      cacheMethod: 'none',
      legacyCore: true,
      legacyLang: true,
      // Without a handler a failed job is rethrown inside tesseract.js's message listener (uncaught).
      errorHandler: (error: unknown) => fail(error),
    });
    // A worker that arrives after the time limit is ended at once.
    void created.then((w) => (done ? void w.terminate().catch(() => {}) : (worker = w)), () => {});
    worker = await Promise.race([created, failed]);
    const { data } = await Promise.race([worker.detect(png), failed]);
    const degrees = data.orientation_degrees;
    if (degrees !== 0 && degrees !== 90 && degrees !== 180 && degrees !== 270) return null;
    return { turn: degrees, confidence: Math.round((data.orientation_confidence ?? 0) * 100) / 100 };
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    done = true;
    if (worker) await (worker as Tesseract.Worker).terminate().catch(() => {});
  }
}
