/**
 * The stamp and signature steps on register pages the corpus generator did not make
 * (`rendered-pages.ts`: pdf-lib + DejaVu Serif, rasterised by pdfjs-dist through civreg's PDF ingest,
 * stamp and signatures painted from ink-density fields, then a scanner). For each page and configuration:
 * OCR CER over all printed lines and over the lines the stamp touches (truth lines mapped onto the clean
 * page, as `civreg eval` does), and, on unturned copies cleaned without geometry, how light the stamp's
 * and the signatures' own pixels become and how dark the text under the stamp stays. Not a test.
 *
 *   [TYPED=0.55] npx node test/imaging/measure-rendered.ts [pages] [first seed]
 *
 * TYPED types the values on a typewriter whose strikes are up to that light (`RenderedOptions.typed`).
 */
import { createHash } from 'node:crypto';
import { cleanPage, cleanStepsFrom, mapLineBoxToClean } from '../../src/imaging/clean.ts';
import { pageCharacterErrors } from '../../src/eval/metrics/lines.ts';
import { createOcrPool } from '../../src/ocr/pool.ts';
import { meanGreyWhere, renderedRegisterPage } from './rendered-pages.ts';

const pages = Number(process.argv[2] ?? 12);
const firstSeed = Number(process.argv[3] ?? 1);
const ALL = cleanStepsFrom(undefined);
const configs = {
  'defaults': ALL,
  '- stamps': { ...ALL, stamps: false },
  '- signatures': { ...ALL, signatures: false },
  '- stamps - signatures': { ...ALL, stamps: false, signatures: false },
};
const STILL = { orient: false, deskew: false, crop: false, split: false };
const STAMP_INKS: Array<[number, number, number]> = [[200, 35, 45], [185, 30, 60], [210, 60, 50]];
const PENS: Array<[number, number, number]> = [[30, 45, 150], [20, 20, 30]];

const pool = await createOcrPool({ size: 2, pageTimeoutMs: 180_000, recycleAfterPages: 200, model: 'best_int' });
type Tally = { errors: number; length: number };
const totals = new Map<string, { all: Tally; stamped: Tally }>();
const readings = new Map<string, ReturnType<typeof pool.recognize>>();
const jobs: Promise<void>[] = [];
const fades: string[] = [];
for (let k = 0; k < pages; k++) {
  const seed = firstSeed + k;
  const grey = k % 2 === 1;
  const options = { seed, stamp: { colour: STAMP_INKS[k % 3]! }, signatures: 3, pen: PENS[k % 2]!, grey, ...(process.env.TYPED ? { typed: { lightest: Number(process.env.TYPED) } } : {}) };
  const page = await renderedRegisterPage({ ...options, skewDeg: ((k % 5) - 2) * 0.4 });
  for (const [name, steps] of Object.entries(configs)) {
    const clean = await cleanPage(page.scan, { dpi: page.dpi, steps });
    const key = createHash('sha1').update(clean.image).digest('hex');
    const reading = readings.get(key) ?? pool.recognize(clean.image);
    readings.set(key, reading);
    jobs.push(
      reading.then((ocr) => {
        const onClean = page.lines.map((line) => ({ ...line, box: mapLineBoxToClean(line.box, clean.transform, page.size) }));
        const all = pageCharacterErrors(onClean, ocr.words);
        const stamped = pageCharacterErrors(onClean.filter((line) => page.underStamp.includes(line.text)), ocr.words.filter((w) => onClean.some((l) => page.underStamp.includes(l.text) && overlaps(l.box, w.box))));
        const t = totals.get(name) ?? { all: { errors: 0, length: 0 }, stamped: { errors: 0, length: 0 } };
        for (const [into, e] of [[t.all, all], [t.stamped, stamped]] as const) {
          into.errors += e.errors;
          into.length += e.length;
        }
        totals.set(name, t);
        if (process.env.VERBOSE) console.log(`seed ${seed} ${grey ? 'grey' : 'colour'} ${name}: CER ${pct(all)} (stamped lines ${pct(stamped)}) steps ${clean.steps.join(' ')}`);
      }),
    );
  }
  // The same page unturned, cleaned without geometry, so its masks sit on the clean pixels.
  const still = await renderedRegisterPage({ ...options, skewDeg: 0 });
  const on = await cleanPage(still.scan, { dpi: still.dpi, steps: { ...ALL, ...STILL } });
  const off = await cleanPage(still.scan, { dpi: still.dpi, steps: { ...ALL, ...STILL, stamps: false, signatures: false } });
  const stampOnly = (i: number) => still.stampMask[i] === 1 && still.textMask[i] === 0 && still.signatureMask[i] === 0;
  const textUnderStamp = (i: number) => still.stampMask[i] === 1 && still.textMask[i] === 1;
  const signatureOnly = (i: number) => still.signatureMask[i] === 1 && still.textMask[i] === 0 && still.stampMask[i] === 0;
  const m = async (image: Buffer, where: (i: number) => boolean) => Math.round((await meanGreyWhere(image, where)).mean);
  fades.push(
    `seed ${seed} ${grey ? 'grey  ' : 'colour'}: stamp ink ${await m(off.image, stampOnly)} → ${await m(on.image, stampOnly)}, ` +
      `text under it ${await m(off.image, textUnderStamp)} → ${await m(on.image, textUnderStamp)}, ` +
      `signature ink ${await m(off.image, signatureOnly)} → ${await m(on.image, signatureOnly)}; steps ${on.steps.join(' ')}`,
  );
}
await Promise.all(jobs);
await pool.close();
console.log(`${pages} pages (seeds ${firstSeed}–${firstSeed + pages - 1}, odd ones greyscale), CER:`);
for (const [name, t] of totals) console.log(`  ${name.padEnd(24)} all lines ${pct(t.all).padStart(6)} (${t.all.length} graphemes)   lines under the stamp ${pct(t.stamped).padStart(6)} (${t.stamped.length})`);
console.log('mean clean grey (without the two steps → with them):');
for (const line of fades) console.log(`  ${line}`);

function pct(t: Tally): string {
  return `${((100 * t.errors) / Math.max(1, t.length)).toFixed(1)}%`;
}

function overlaps(a: [number, number, number, number], b: [number, number, number, number]): boolean {
  return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

