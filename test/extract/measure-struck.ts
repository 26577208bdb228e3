/**
 * Measures the struck-entry detector (src/extract/struck.ts) on generated corpora. Not a test (it
 * cleans every page, a few hundred ms each): run it by hand when the detector changes.
 *
 *   npx node test/extract/measure-struck.ts CORPUS_DIR… [--cache DIR] [--show]
 *
 * Every delivered page is cleaned as the pipeline does; each truth entry's region is its fields' boxes
 * mapped onto the clean page and widened the way the extractor's regions are (the text block's width,
 * from the entry's top to the next entry's top), so printed rules, leaders and signatures fall inside.
 * Prints detected/injected struck entries and false alarms per 100 pages. `--cache` keeps the clean
 * pages between runs.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { cleanPage, mapBoxToClean, type Box } from '../../src/imaging/clean.ts';
import { findStruckRegions } from '../../src/extract/struck.ts';

const args = process.argv.slice(2);
const cacheIndex = args.indexOf('--cache');
const cacheDir = cacheIndex >= 0 ? args[cacheIndex + 1]! : null;
const show = args.includes('--show');
const dirs = args.filter((a, i) => !a.startsWith('--') && (cacheIndex < 0 || i !== cacheIndex + 1));

interface CachedPage {
  name: string;
  entries: Array<{ key: string; struck: boolean; region: Box }>;
}

const union = (boxes: Box[]): Box => {
  const x0 = Math.min(...boxes.map((b) => b[0]));
  const y0 = Math.min(...boxes.map((b) => b[1]));
  const x1 = Math.max(...boxes.map((b) => b[0] + b[2]));
  const y1 = Math.max(...boxes.map((b) => b[1] + b[3]));
  return [x0, y0, x1 - x0, y1 - y0];
};

async function preparePages(dir: string): Promise<Array<CachedPage & { image: Buffer }>> {
  const tag = dir.replace(/[^a-z0-9]+/gi, '_');
  const cacheFile = cacheDir ? join(cacheDir, `${tag}.json`) : null;
  if (cacheFile) {
    try {
      const pages = JSON.parse(await readFile(cacheFile, 'utf8')) as CachedPage[];
      return await Promise.all(pages.map(async (p) => ({ ...p, image: await readFile(join(cacheDir!, `${p.name}.png`)) })));
    } catch {
      // not cached yet
    }
  }
  const corpus = await loadCorpus(dir);
  const out: Array<CachedPage & { image: Buffer }> = [];
  for (const { book, truth } of corpus.books) {
    for (const file of book.files) {
      const decoded = await decodeUpload(await readFile(join(dir, file)), file, DEFAULT_LIMITS);
      if (!decoded.ok) throw new Error(`${file}: ${decoded.detail}`);
      let filePage = 0;
      for await (const outcome of decoded.pages()) {
        const at = filePage++;
        if (!outcome.ok) continue;
        const truthPage = truth.pages.find((p) => p.file === file && p.filePage === at);
        if (!truthPage || truthPage.blank) continue;
        const clean = await cleanPage(outcome.page.image);
        const size = await sharp(outcome.page.image).rotate().metadata();
        const onPage = truth.entries.filter((e) => Object.values(e.fields).some((f) => f.page === truthPage.index));
        const inked = onPage.map((e) => {
          const boxes = Object.values(e.fields)
            .filter((f) => f.page === truthPage.index)
            .flatMap((f) => ((f as { boxes?: Box[] }).boxes ?? [f.box as Box]));
          return { key: e.key, struck: e.struck, box: mapBoxToClean(union(boxes), clean.transform, { width: size.width!, height: size.height! }) };
        }).sort((a, b) => a.box[1] - b.box[1]);
        const left = Math.min(...inked.map((e) => e.box[0]));
        const right = Math.max(...inked.map((e) => e.box[0] + e.box[2]));
        const entries = inked.map((e, i) => {
          const top = e.box[1] - 8;
          const bottom = i + 1 < inked.length ? inked[i + 1]!.box[1] - 8 : e.box[1] + e.box[3] + 8;
          return { key: e.key, struck: e.struck, region: [left, top, right - left, Math.max(bottom, e.box[1] + e.box[3]) - top].map(Math.round) as Box };
        });
        const name = `${tag}_${book.id}_${truthPage.index}`;
        out.push({ name, entries, image: clean.image });
      }
    }
  }
  if (cacheDir && cacheFile) {
    await mkdir(cacheDir, { recursive: true });
    for (const p of out) await writeFile(join(cacheDir, `${p.name}.png`), p.image);
    await writeFile(cacheFile, JSON.stringify(out.map(({ image: _, ...p }) => p)));
  }
  return out;
}

for (const dir of dirs) {
  const pages = await preparePages(dir);
  let injected = 0;
  let detected = 0;
  let falseAlarms = 0;
  let ms = 0;
  let cpuMs = 0;
  // how close the normal entries come to the thresholds: strongest slanted and along-text lines
  const margins = { slantedCuts: [] as number[], alongCrossing: [] as number[], struckCuts: [] as number[] };
  for (const page of pages) {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const found = await findStruckRegions(page.image, page.entries.map((e) => e.region));
    ms += performance.now() - started;
    const cpuUsed = process.cpuUsage(cpuStart);
    cpuMs += (cpuUsed.user + cpuUsed.system) / 1000;
    page.entries.forEach((e, i) => {
      const hit = found[i]!;
      if (!hit) throw new Error('no finding');
      if (e.struck) injected++;
      if (e.struck && hit.line) margins.struckCuts.push(hit.line.alongText ? -1 : hit.line.cuts);
      if (!e.struck && hit.line) (!hit.line.alongText ? margins.slantedCuts.push(hit.line.cuts) : margins.alongCrossing.push(Math.round(hit.line.crossing * 100) / 100));
      if (e.struck && hit.struck) detected++;
      if (!e.struck && hit.struck) falseAlarms++;
      if (show && (e.struck !== hit.struck || e.struck)) console.log(`${page.name} ${e.key} truth ${e.struck} found ${hit.struck} ${JSON.stringify(hit.line)} region ${JSON.stringify(e.region)}`);
    });
  }
  const top = (xs: number[], n = 8) => [...xs].sort((a, b) => b - a).slice(0, n).join(' ');
  console.log(`  normal entries: slanted lines' cuts (highest) ${top(margins.slantedCuts)}; along-text lines' crossing share ${top(margins.alongCrossing)}`);
  console.log(`  struck entries: cuts ${[...margins.struckCuts].sort((a, b) => a - b).join(' ')}`);
  console.log(`${dir}: ${pages.length} pages, struck entries detected ${detected}/${injected}, false alarms ${falseAlarms} (${((falseAlarms / pages.length) * 100).toFixed(2)} per 100 pages), ${(ms / pages.length).toFixed(1)} ms/page wall, ${(cpuMs / pages.length).toFixed(1)} ms/page CPU`);
}
