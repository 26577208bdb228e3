/** The OCR contract: what a pool takes and returns, independent of the engine behind it. */
import type { ReadDigit } from './glyphs.ts';
import type { OcrLine, OcrWord } from './words.ts';

export type { OcrLine, OcrWord, PixelBox } from './words.ts';

/**
 * Which `@tesseract.js-data/vie` traineddata to use: `best_int` is the integer LSTM model
 * (directory `4.0.0_best_int`), `legacy` the legacy + LSTM model (directory `4.0.0`).
 */
export type OcrModel = 'best_int' | 'legacy';

export interface OcrOptions {
  /**
   * Number of workers (threads). Each holds its own model: measured ~40 MiB RSS after creation
   * (best_int; ~75 MiB legacy), ~170 MiB after a dense 300-dpi A4 page.
   */
  size: number;
  /** A page still running after this is abandoned: its worker is terminated and replaced. */
  pageTimeoutMs: number;
  /** Worker memory grows with use, so a worker is replaced after this many pages. */
  recycleAfterPages: number;
  model: OcrModel;
  /** Tesseract page segmentation mode; 3 (fully automatic) when omitted. */
  psm?: number;
  /** Further Tesseract parameters set on every worker (measuring scripts try them; the pipeline sets none). */
  parameters?: Record<string, string>;
}

export interface OcrResult {
  /** Page text (NFC), paragraphs separated by blank lines. */
  text: string;
  /** Mean word confidence 0..1; 0 when no words were found. */
  meanConfidence: number;
  words: OcrWord[];
  lines: OcrLine[];
  /** Every digit read, with its box, for the glyph check of `markDoubtfulDigits` (not stored). */
  digits: ReadDigit[];
  /** Time the worker spent on the page, queue wait excluded. */
  ms: number;
}

/** What produced a result; stored beside OCR output so results can be compared across upgrades. */
export interface OcrEngineInfo {
  engine: 'tesseract.js';
  engineVersion: string;
  /** Language and traineddata directory, e.g. `vie 4.0.0_best_int`. */
  model: string;
  psm: number;
}

export interface OcrPoolStats {
  workers: number;
  busy: number;
  queued: number;
  recognised: number;
  recycled: number;
  timedOut: number;
}

export interface OcrPool {
  info: OcrEngineInfo;
  /**
   * Recognises one page image (any format Leptonica reads; PNG from `cleanPage` in practice); `psm` reads
   * this image with another page segmentation than the pool's (7: one line, for a value read again); `figures`
   * allows only the ten figures (an ID number read again, src/extract/id-reading.ts).
   */
  recognize(image: Buffer, options?: { psm?: number; figures?: boolean }): Promise<OcrResult>;
  /** Terminates every worker; queued and running recognitions reject. */
  close(): Promise<void>;
  stats(): OcrPoolStats;
}

/**
 * Thrown when a page exceeds `pageTimeoutMs`. Transient: the page may succeed on a retry (the
 * machine may just have been busy), so a stage lets it propagate and the queue retries.
 */
export class OcrTimeoutError extends Error {
  override name = 'OcrTimeoutError';
}

/** Thrown by `recognize` once the pool is closed, for queued and running pages alike. */
export class OcrPoolClosedError extends Error {
  override name = 'OcrPoolClosedError';
}

