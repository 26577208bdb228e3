import sharp from 'sharp';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bookTruthSchema, manifestSchema, type BookTruth, type Manifest } from '../../schemas/corpus.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';

export interface LoadedCorpus {
  dir: string;
  manifest: Manifest;
  truths: Map<string, BookTruth>;
}

export async function loadCorpus(dir: string): Promise<LoadedCorpus> {
  const manifest = manifestSchema.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
  const truths = new Map<string, BookTruth>();
  for (const book of manifest.books) truths.set(book.id, bookTruthSchema.parse(JSON.parse(await readFile(join(dir, book.id, 'truth.json'), 'utf8'))));
  return { dir, manifest, truths };
}

/** Greyscale pixels of one delivered image, decoded by the project's own ingest decoder. */
export async function deliveredPixels(dir: string, file: string, filePage: number): Promise<{ data: Buffer; width: number; height: number }> {
  const decoded = await decodeUpload(await readFile(join(dir, file)), file, DEFAULT_LIMITS);
  if (!decoded.ok) throw new Error(`${file}: ${decoded.detail}`);
  for await (const outcome of decoded.pages()) {
    if (!outcome.ok) throw new Error(`${file} page ${outcome.index}: ${outcome.detail}`);
    if (outcome.page.index !== filePage) continue;
    const { data, info } = await sharp(outcome.page.image).greyscale().raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  }
  throw new Error(`${file} has no page ${filePage}`);
}

/** Pixel size of a delivered image without decoding its pixels (headers only; PDFs through the decoder). */
export async function deliveredSize(dir: string, file: string, filePage: number): Promise<{ width: number; height: number }> {
  if (file.endsWith('.pdf')) {
    const { width, height } = await deliveredPixels(dir, file, filePage);
    return { width, height };
  }
  const meta = await sharp(join(dir, file), { page: filePage }).metadata();
  return { width: meta.width!, height: meta.height! };
}

/** Every string in a JSON value, with where it is. */
export function* stringsOf(x: unknown, path = ''): Generator<[string, string]> {
  if (typeof x === 'string') yield [path, x];
  else if (Array.isArray(x)) for (const [i, v] of x.entries()) yield* stringsOf(v, `${path}[${i}]`);
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) yield* stringsOf(v, `${path}.${k}`);
}

/** The year of an ISO date with any precision ("1962", "1962-03", "1962-03-15"). */
export const yearOf = (iso: string): number => Number(iso.slice(0, 4));
