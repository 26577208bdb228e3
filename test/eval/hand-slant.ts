// How the slant tell of src/extract/handwriting.ts separates hand-written values from printed and typed ones, on a
// corpus's scans with its truth boxes (no OCR): per page the labels' slant (each truth line's part left of its first
// value), per value the slant of its truth box, and the share of values told hand-written, by the book's fill.
// `either` is the rule before the thirteenth session (lean or contrast), `final` the rule now (either, unless the
// values stand as print against their labels, `spread`: told = spread above MAX_BASELINE_SPREAD).
// Run: node test/eval/hand-slant.ts CORPUS_DIR [BOOKS]
import sharp from 'sharp';
import { join } from 'node:path';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { HAND_CONTRAST, HAND_SLANT, slantOf, strokeContrast } from '../../src/extract/handwriting.ts';
import { baselineSpread, MAX_BASELINE_SPREAD, rowSlope, standsAsPrint } from '../../src/extract/print-alignment.ts';
import type { PixelBox } from '../../src/extract/words.ts';

const [dir, books] = process.argv.slice(2);
if (!dir) throw new Error('usage: hand-slant.ts CORPUS_DIR [BOOKS]');
const corpus = await loadCorpus(dir);
const deltas = new Map<string, number[]>();
for (const { book, truth } of corpus.books.slice(0, books ? Number(books) : undefined)) {
  for (const page of (truth as any).pages as { index: number; file: string; filePage: number; blank: boolean; lines: { box: PixelBox }[] }[]) {
    if (page.blank) continue;
    // a book delivered as a PDF is left out (sharp does not read PDF)
    const read = await sharp(join(dir, page.file), { page: page.filePage }).greyscale().raw().toBuffer({ resolveWithObject: true }).catch(() => null);
    if (!read) continue;
    const { data, info } = read;
    const image = { data, width: info.width, height: info.height };
    const values = truth.entries.flatMap((e) => Object.values(e.fields as Record<string, { page: number; box?: PixelBox }>)).filter((f) => f.page === page.index && f.box);
    const labels: PixelBox[] = [];
    for (const { box: [x, y, w, h] } of page.lines) {
      const inLine = values.filter(({ box }) => box![1] + box![3] / 2 >= y && box![1] + box![3] / 2 <= y + h && box![0] >= x);
      const end = inLine.length ? Math.min(...inLine.map((v) => v.box![0])) : x + w;
      if (inLine.length && end - x > 60) labels.push([x, y, end - x - 10, h]);
    }
    const pageSlant = slantOf(image, labels);
    // the rows' slope from each label part's two halves (a truth line's label part is one box)
    const lineHeight = labels.map((l) => l[3]).sort((a, b) => a - b)[labels.length >> 1] ?? 0;
    const slope = rowSlope(image, labels.flatMap(([x, y, w, h]): PixelBox[] => [[x, y, w / 2, h], [x + w / 2, y, w / 2, h]]));
    if (pageSlant === null) continue;
    const pageKey = `page ${book.fill} ${book.era}`;
    const all = slantOf(image, values.map((v) => v.box!));
    if (all !== null) deltas.set(pageKey, [...(deltas.get(pageKey) ?? []), all - pageSlant]);
    if (process.env.SHOW_PAGES) console.log(`${book.id} ${page.file} ${book.fill} labels ${pageSlant.toFixed(2)} values ${all?.toFixed(2)}`);
    for (const entry of truth.entries) {
      const own = Object.values(entry.fields as Record<string, { page: number; box?: PixelBox }>).filter((f) => f.page === page.index && f.box);
      const slant = own.length ? slantOf(image, own.map((v) => v.box!)) : null;
      const entryKey = `entry ${book.fill} ${book.era}`;
      const lc = strokeContrast(image, labels), vc = own.length ? strokeContrast(image, own.map((v) => v.box!)) : null;
      if (lc !== null && vc !== null) deltas.set(`contrast ${book.fill} ${book.era}`, [...(deltas.get(`contrast ${book.fill} ${book.era}`) ?? []), vc / lc]);
      // the rule of markHandwritten: leaning otherwise, or drawn with a pen (1 told, 0 not)
      const either = (slant !== null && Math.abs(slant - pageSlant) >= HAND_SLANT) || (lc !== null && vc !== null && vc <= HAND_CONTRAST * lc);
      if (own.length) deltas.set(`either ${book.fill} ${book.era}`, [...(deltas.get(`either ${book.fill} ${book.era}`) ?? []), either ? 1 : 0]);
      // values standing as print against their labels (src/extract/print-alignment.ts) are not told (value boxes
      // here are whole values, not words)
      // a truth box of a value holds all its lines; the pipeline measures OCR's words, each on one line
      const oneLine = own.map((v) => v.box!).filter((b) => b[3] <= 1.6 * lineHeight);
      const spread = oneLine.length ? baselineSpread(image, oneLine, labels, slope) : null;
      if (spread !== null) deltas.set(`spread ${book.fill} ${book.era}`, [...(deltas.get(`spread ${book.fill} ${book.era}`) ?? []), spread.spread]);
      const aligned = spread !== null && standsAsPrint(spread);
      if (own.length) deltas.set(`final ${book.fill} ${book.era}`, [...(deltas.get(`final ${book.fill} ${book.era}`) ?? []), either && !aligned ? 1 : 0]);
      if (slant !== null) deltas.set(entryKey, [...(deltas.get(entryKey) ?? []), slant - pageSlant]);
    }
    for (const value of values) {
      const slant = slantOf(image, [value.box!]);
      if (slant === null) continue;
      const key = `${book.fill} ${book.era}`;
      deltas.set(key, [...(deltas.get(key) ?? []), slant - pageSlant]);
    }
  }
}
// per key: how many measured, the share told hand-written by the key's own rule, and quantiles of the measure
for (const [key, d] of [...deltas].sort()) {
  const s = d.slice().sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2);
  const rule = key.startsWith('either') || key.startsWith('final') ? (x: number) => x === 1 : key.startsWith('contrast') ? (x: number) => x <= HAND_CONTRAST
    : key.startsWith('spread') ? (x: number) => x > MAX_BASELINE_SPREAD : (x: number) => Math.abs(x) >= HAND_SLANT;
  const told = d.filter(rule).length;
  const name = key.startsWith('contrast') ? 'contrast / labels\'' : key.startsWith('spread') ? 'baseline spread / label height' : 'slant − labels\'';
  const measure = key.startsWith('either') || key.startsWith('final') ? '' : `  ${name}: 5 % ${q(0.05)} 25 % ${q(0.25)} median ${q(0.5)} 75 % ${q(0.75)} 95 % ${q(0.95)}`;
  console.log(`${key.padEnd(26)} ${String(d.length).padStart(5)}  told hand ${String(told).padStart(5)} (${((100 * told) / d.length).toFixed(1)} %)${measure}`);
}
