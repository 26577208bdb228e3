/**
 * Calibrates the scan quality gate (src/imaging/quality.ts). Not a test (it takes a minute or more):
 * run it by hand when the gate changes.
 *
 *   npx node test/imaging/measure-quality.ts CORPUS_DIR… [--degrade N] [--ocr]
 *
 * 1. Every page of every corpus is measured and judged: pages of the generated profiles are all
 *    read by OCR, so each one the gate flags is a false rescan (printed with its damage).
 * 2. With `--degrade N`, the first N pages of the first corpus are also degraded past what a scan
 *    should be (100 dpi, heavy blur, dark, flat) and measured; with `--ocr` each degraded page is read
 *    too, to show the CER the gate saves staff from.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pageCharacterErrors } from '../../src/eval/metrics/lines.ts';
import { decodeUpload, DEFAULT_LIMITS, type DecodedPage } from '../../src/ingest/decode.ts';
import { judgeScanQuality, measureScanQuality, type ScanQuality } from '../../src/imaging/quality.ts';
import { createOcrPool, type OcrPool } from '../../src/ocr/pool.ts';

const args = process.argv.slice(2);
const withOcr = args.includes('--ocr');
const degradeIndex = args.indexOf('--degrade');
const degradeCount = degradeIndex >= 0 ? Number(args[degradeIndex + 1]) : 0;
const dirs = args.filter((a, i) => !a.startsWith('--') && (degradeIndex < 0 || i !== degradeIndex + 1));

const fmt = (q: ScanQuality) =>
  `dpi ${q.dpi} paper ${q.paper} contrast ${q.contrast} ink ${(q.letterInk * 100).toFixed(2)}% blur ${q.blurMm ?? '-'} mm cut ${q.cutSides.join('/') || '-'}`;

interface Page { file: string; decoded: DecodedPage; truth: Array<{ text: string; box: [number, number, number, number] }>; damage: string[] }
const firstPages: Page[] = [];
const ranges = new Map<string, [number, number]>();
const widen = (key: string, v: number | null) => {
  if (v === null) return;
  const r = ranges.get(key) ?? [Infinity, -Infinity];
  ranges.set(key, [Math.min(r[0], v), Math.max(r[1], v)]);
};

let flagged = 0;
let total = 0;
for (const dir of dirs) {
  const corpus = await loadCorpus(dir);
  for (const { book, truth } of corpus.books) {
    for (const file of book.files) {
      const decoded = await decodeUpload(await readFile(join(corpus.dir, file)), file, DEFAULT_LIMITS);
      if (!decoded.ok) throw new Error(`${file}: ${decoded.reason}`);
      for await (const outcome of decoded.pages()) {
        if (!outcome.ok) throw new Error(`${file}: ${outcome.reason}`);
        const page = outcome.page;
        const truthPages = truth.pages.filter((p) => p.file === file && p.filePage === page.index);
        const damage = [...new Set(truthPages.flatMap((p) => (p as { damage?: string[] }).damage ?? []))];
        const started = performance.now();
        const q = await measureScanQuality(page.image, page.dpi);
        const ms = performance.now() - started;
        const verdict = judgeScanQuality(q);
        total++;
        for (const key of ['paper', 'contrast', 'letterInk', 'blurMm'] as const) widen(`${corpus.manifest.profile} ${key}`, q[key]);
        if (verdict.status !== 'ok') flagged++;
        console.log(`${verdict.status === 'ok' ? '  ' : '!!'} ${dir.split('/').pop()}/${file}#${page.index} ${fmt(q)} ${Math.round(ms)} ms  [${damage.join(',')}] ${verdict.status === 'ok' ? '' : JSON.stringify(verdict)}`);
        if (dir === dirs[0] && firstPages.length < degradeCount && truthPages.length === 1) {
          firstPages.push({ file, decoded: page, truth: truthPages[0]!.lines as Page['truth'], damage });
        }
      }
    }
  }
}
console.log(`\n${flagged} of ${total} corpus pages flagged (each is a false rescan).`);
for (const [key, [lo, hi]] of ranges) console.log(`  ${key}: ${lo} … ${hi}`);

if (degradeCount > 0) {
  const pool: OcrPool | null = withOcr ? await createOcrPool({ size: 2, pageTimeoutMs: 180_000, recycleAfterPages: 200, model: 'best_int' }) : null;
  type Degrade = { name: string; apply: (img: Sharp, page: DecodedPage) => Sharp; scale?: (dpi: number) => number };
  const mmToPx = (mm: number, dpi: number) => (mm * dpi) / 25.4;
  const degrades: Degrade[] = [
    { name: 'as delivered', apply: (img) => img },
    ...[0.25, 0.35, 0.5, 0.7].map((mm) => ({ name: `blur ${mm} mm`, apply: (img: Sharp, p: DecodedPage) => img.blur(Math.max(0.3, mmToPx(mm, p.dpi))) })),
    { name: '100 dpi', apply: (img, p) => img.resize(Math.round((p.width * 100) / p.dpi)), scale: (dpi) => 100 / dpi },
    ...[0.35, 0.2, 0.12].map((k) => ({ name: `dark (×${k})`, apply: (img: Sharp) => img.linear(k, 0) })),
    ...[40, 25, 15, 10].map((c) => ({ name: `contrast ${c}`, apply: (img: Sharp) => img.linear(c / 255, 225 - c) })),
  ];
  for (const page of firstPages) {
    for (const d of degrades) {
      const scale = d.scale?.(page.decoded.dpi) ?? 1;
      const dpi = Math.round(page.decoded.dpi * scale);
      const image = await d.apply(sharp(page.decoded.image).greyscale(), page.decoded).withDensity(dpi).png().toBuffer();
      const q = await measureScanQuality(image, dpi);
      let cer = '';
      if (pool) {
        const ocr = await pool.recognize(image);
        const truth = page.truth.map((l) => ({ text: l.text, box: l.box.map((v) => v * scale) as [number, number, number, number] }));
        const e = pageCharacterErrors(truth, ocr.words);
        cer = ` CER ${((100 * e.errors) / e.length).toFixed(1)}%`;
      }
      console.log(`${page.file} ${d.name.padEnd(14)} ${fmt(q)} → ${JSON.stringify(judgeScanQuality(q))}${cer}`);
    }
  }
  await pool?.close();
}
