import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { expect } from 'vitest';
import { decodeUpload, DEFAULT_LIMITS, type DecodedPage, type DecodeLimits, type DecodeResult, type PageOutcome } from '../../src/ingest/decode.ts';
import type { FractionRect } from '../fixtures/fixture-layout.ts';

const FIXTURES = new URL('../fixtures/files/', import.meta.url);

export function fixture(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES));
}

export function decodeFixture(name: string, limits: Partial<DecodeLimits> = {}): Promise<DecodeResult> {
  return decodeUpload(fixture(name), name, { ...DEFAULT_LIMITS, ...limits });
}

export async function collect(result: DecodeResult): Promise<PageOutcome[]> {
  if (!result.ok) throw new Error(`expected a decoded file, got ${result.reason}: ${result.detail}`);
  const outcomes: PageOutcome[] = [];
  for await (const outcome of result.pages()) outcomes.push(outcome);
  return outcomes;
}

/** Decodes a fixture that must be accepted, and returns its pages (all of which must be readable). */
export async function decodePages(name: string, limits: Partial<DecodeLimits> = {}): Promise<DecodedPage[]> {
  const outcomes = await collect(await decodeFixture(name, limits));
  return outcomes.map((outcome) => {
    if (!outcome.ok) throw new Error(`page ${outcome.index} failed: ${outcome.reason} ${outcome.detail}`);
    return outcome.page;
  });
}

export async function expectRejected(name: string, reason: string, limits: Partial<DecodeLimits> = {}): Promise<void> {
  const result = await decodeFixture(name, limits);
  expect(result.ok ? 'accepted' : result.reason).toBe(reason);
  if (!result.ok) expect(result.detail.length).toBeGreaterThan(0);
}

/** Mean grey level (0 black … 255 white) of a region given as fractions of the image. */
export async function meanGrey(image: Buffer, rect: FractionRect): Promise<number> {
  const { data, info } = await sharp(image).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const x0 = Math.round(rect.left * info.width);
  const x1 = Math.round(rect.right * info.width);
  const y0 = Math.round(rect.top * info.height);
  const y1 = Math.round(rect.bottom * info.height);
  let sum = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += data[y * info.width + x]!;
  return sum / ((x1 - x0) * (y1 - y0));
}

/** The region a mark occupies after the page is turned 90° clockwise. */
export function turnedClockwise(rect: FractionRect): FractionRect {
  return { left: 1 - rect.bottom, right: 1 - rect.top, top: rect.left, bottom: rect.right };
}

/** Shrinks a region towards its centre so edge antialiasing does not blur a mean. */
export function inset(rect: FractionRect, by = 0.02): FractionRect {
  return { left: rect.left + by, right: rect.right - by, top: rect.top + by, bottom: rect.bottom - by };
}
