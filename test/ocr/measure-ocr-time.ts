/**
 * Where tesseract.js's time goes against the native `tesseract` program, on the same clean pages:
 * the pipeline's call (text + blocks) against text only, an uncompressed PNG against the pipeline's,
 * a blank page of the same size (decoding and page analysis without text), and native Tesseract with
 * text output, with TSV output (words and boxes, like blocks) and with its dot product limited to
 * 128-bit SSE (the vector width of wasm SIMD).
 *
 *   flock /work/wt/cpu.lock npx node test/ocr/measure-ocr-time.ts [CORPUS_DIR]   # default: the bundled samples
 *
 * Prints one JSON report; engines are interleaved page by page so machine noise hits all alike.
 */
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import sharp from 'sharp';
import Tesseract from 'tesseract.js';
import { loadBenchPages } from '../../src/bench/pages.ts';
import { cleanPage } from '../../src/imaging/clean.ts';
import { traineddataDir } from '../../src/ocr/pool.ts';

const corpus = process.argv[2] ?? fileURLToPath(new URL('../../samples/', import.meta.url));
const run = promisify(execFile);
const { pages } = await loadBenchPages(corpus);
const cleaned = [];
for (const page of pages) cleaned.push((await cleanPage(page)).image);

const dir = await mkdtemp(join(tmpdir(), 'civreg-ocr-time-'));
await pipeline(createReadStream(join(traineddataDir('best_int'), 'vie.traineddata.gz')), createGunzip(), createWriteStream(join(dir, 'vie.traineddata')));
const worker = await Tesseract.createWorker('vie', Tesseract.OEM.LSTM_ONLY, { langPath: traineddataDir('best_int'), gzip: true, cacheMethod: 'none' });
await worker.setParameters({ tessedit_pageseg_mode: '3' as Tesseract.PSM });

const times: Record<string, number[]> = {};
const time = async (name: string, work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  (times[name] ??= []).push(performance.now() - started);
};
const native = (file: string, extra: string[]) =>
  run('tesseract', [file, 'stdout', '--tessdata-dir', dir, '-l', 'vie', '--oem', '1', '--psm', '3', ...extra], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 64 << 20 });

try {
  for (const [i, image] of cleaned.entries()) {
    const file = join(dir, `page-${i}.png`);
    await writeFile(file, image);
    const meta = await sharp(image).metadata();
    const raw = await sharp(image).png({ compressionLevel: 0 }).toBuffer();
    const blank = await sharp({ create: { width: meta.width!, height: meta.height!, channels: 3, background: '#ffffff' } }).greyscale().toColourspace('b-w').png().withMetadata({ density: meta.density ?? 300 }).toBuffer();
    await time('js: text + blocks (pipeline)', () => worker.recognize(image, {}, { text: true, blocks: true }));
    await time('native: text', () => native(file, []));
    await time('js: text only', () => worker.recognize(image, {}, { text: true }));
    await time('native: tsv (words + boxes)', () => native(file, ['tsv']));
    await time('js: text + blocks, PNG uncompressed', () => worker.recognize(raw, {}, { text: true, blocks: true }));
    await time('native: text, dotproduct=sse (128-bit)', () => native(file, ['-c', 'dotproduct=sse']));
    await time('js: blank page of the same size', () => worker.recognize(blank, {}, { text: true, blocks: true }));
    await time('native: blank page of the same size', async () => {
      await writeFile(join(dir, 'blank.png'), blank);
      await native(join(dir, 'blank.png'), []);
    });
    console.error(`page ${i + 1}/${cleaned.length} (${meta.width}×${meta.height}, ${meta.density ?? '?'} dpi)`);
  }
} finally {
  await worker.terminate();
  await rm(dir, { recursive: true, force: true });
}
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const base = mean(times['native: text']!);
console.log(JSON.stringify({ corpus, pages: cleaned.length, msPerPage: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, { ms: Math.round(mean(v)), toNativeText: Math.round((mean(v) / base) * 100) / 100 }])) }, null, 2));
