import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { manifestSchema } from '../../schemas/corpus.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../ingest/decode.ts';
import { expandInputs } from '../ingest/receive.ts';

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
 * A dense page of printed Vietnamese register text at `dpi` on A4, made with sharp from SVG: the
 * "two-page 400-dpi scan" the memory figure is defined over.
 */
export async function denseA4Page(dpi: number, seed: number): Promise<Buffer> {
  const width = Math.round(8.27 * dpi);
  const height = Math.round(11.69 * dpi);
  const fontSize = Math.round(dpi / 9);
  const rows = Math.floor((height - 4 * fontSize) / (fontSize * 1.6));
  const text = (i: number) => `Số ${seed * 100 + i}: Nguyễn Thị Hoà, sinh ngày 15/03/1962 tại Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${Array.from(
    { length: rows },
    (_, i) => `<text x="${fontSize * 2}" y="${fontSize * 3 + i * fontSize * 1.6}" font-family="DejaVu Serif, serif" font-size="${fontSize * 0.8}" fill="black">${text(i)}</text>`,
  ).join('')}</svg>`;
  return sharp(Buffer.from(svg)).greyscale().png().withMetadata({ density: dpi }).toBuffer();
}
