import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import { manifestSchema } from '../../schemas/corpus.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../ingest/decode.ts';
import { expandInputs } from '../ingest/receive.ts';
import { loadFonts, SERIF_FAMILY } from '../samples/fonts.ts';

/** The files of a corpus (manifest.json) in page order, with the page images they decode to. */
export async function loadBenchPages(corpusDir: string): Promise<{ files: string[]; pages: Buffer[] }> {
  const manifest = manifestSchema.parse(JSON.parse(await readFile(join(corpusDir, 'manifest.json'), 'utf8')));
  const files = await expandInputs(manifest.books.flatMap((book) => book.files.map((file) => join(corpusDir, file))));
  const pages: Buffer[] = [];
  for (const file of files) {
    const decoded = await decodeUpload(await readFile(file), file, DEFAULT_LIMITS);
    if (!decoded.ok) continue;
    for await (const outcome of decoded.pages()) if (outcome.ok) pages.push(outcome.page.image);
  }
  return { files, pages };
}

/**
 * A dense page of printed Vietnamese register text at `dpi` on A4, drawn in the corpus's serif from its npm
 * font package (no system font, so the figure is the same on every machine): the "two-page 400-dpi scan"
 * the memory figure is defined over.
 */
export async function denseA4Page(dpi: number, seed: number): Promise<Buffer> {
  loadFonts();
  const width = Math.round(8.27 * dpi);
  const height = Math.round(11.69 * dpi);
  const fontSize = Math.round(dpi / 9);
  const rows = Math.floor((height - 4 * fontSize) / (fontSize * 1.6));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = 'black';
  ctx.font = `${fontSize * 0.8}px "${SERIF_FAMILY}"`;
  for (let i = 0; i < rows; i++) {
    ctx.fillText(`Số ${seed * 100 + i}: Nguyễn Thị Hoà, sinh ngày 15/03/1962 tại Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội`, fontSize * 2, fontSize * 3 + i * fontSize * 1.6);
  }
  return sharp(await canvas.encode('png')).removeAlpha().greyscale().png().withMetadata({ density: dpi }).toBuffer();
}
