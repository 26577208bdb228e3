import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { truthLinksSchema } from '../../schemas/corpus.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { loadCorpus } from './corpus-helpers.ts';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));

describe('bundled samples/', () => {
  it('is a small corpus in the truth format covering 3+ register types, eras and delivery formats', async () => {
    const corpus = await loadCorpus(SAMPLES);
    const books = corpus.manifest.books;
    expect(new Set(books.map((b) => b.registerType)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(books.map((b) => b.era)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(books.map((b) => String(b.delivery).split('-')[0])).size).toBeGreaterThanOrEqual(3);
    truthLinksSchema.parse(JSON.parse(await readFile(join(SAMPLES, 'truth-links.json'), 'utf8')));
  });

  it('decodes with the ingest decoder into as many page images as the manifest says', async () => {
    const corpus = await loadCorpus(SAMPLES);
    for (const book of corpus.manifest.books) {
      let images = 0;
      for (const file of book.files) {
        const decoded = await decodeUpload(await readFile(join(SAMPLES, file)), file, DEFAULT_LIMITS);
        expect(decoded.ok, file).toBe(true);
        if (decoded.ok) images += decoded.pageCount;
      }
      expect(images, book.id).toBe(book.images);
    }
  });
});
