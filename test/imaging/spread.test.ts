import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookTruthSchema, type BookTruth } from '../../schemas/corpus.ts';
import { cleanPage, mapBoxToClean, mapBoxToOriginal, mapPointToOriginal, type CleanResult } from '../../src/imaging/clean.ts';
import { pointTurner } from '../../src/imaging/transform.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { generateCorpus } from '../../src/samples/generate.ts';
import { findMarkers, meanGrey, renderTextPage, scanPage } from './pages.ts';

/** A5 at 200 dpi per page, as in the geometry tests. */
const PAGE = { width: 1165, height: 1654, fontSize: 30, lines: 26 };
const DPI = 200;
const MM = DPI / 25.4;
const MARKER = 48;
const FRAME: [number, number, number, number] = [60, 90, 110, 45];

/**
 * Two facing pages side by side, as a book lies open: each page darkened towards the fold by a shadow
 * `shadowMm` wide (factor `1 - shadow` at the fold), a marker on each page.
 */
async function spread(shadow: number, shadowMm = 20): Promise<Buffer> {
  const markers = [{ x: 300, y: 1520, size: MARKER }];
  const left = await renderTextPage({ ...PAGE, seed: 71, markers });
  const right = await renderTextPage({ ...PAGE, seed: 72, markers });
  const width = PAGE.width * 2;
  const data = Buffer.alloc(width * PAGE.height);
  const pixels = [left, right].map((page) => sharp(page.png).greyscale().toColourspace('b-w').raw().toBuffer());
  const [l, r] = await Promise.all(pixels);
  for (let y = 0; y < PAGE.height; y++) {
    l!.copy(data, y * width, y * PAGE.width, (y + 1) * PAGE.width);
    r!.copy(data, y * width + PAGE.width, y * PAGE.width, (y + 1) * PAGE.width);
  }
  const reach = shadowMm * MM;
  for (let x = 0; x < width; x++) {
    const distance = Math.abs(x + 0.5 - PAGE.width);
    if (distance >= reach) continue;
    const factor = 1 - shadow * (1 - distance / reach);
    for (let y = 0; y < PAGE.height; y++) data[y * width + x] = Math.round(data[y * width + x]! * factor);
  }
  return sharp(data, { raw: { width, height: PAGE.height, channels: 1 } }).png().toBuffer();
}

/** Where the right clean page's left edge (half way down) lies on the spread before scanning. */
function foldOnSpread(clean: CleanResult, size: { width: number; height: number }, skewDeg: number): number {
  const right = clean.pages[1]!;
  const [x, y] = mapPointToOriginal([0, right.height / 2], right.transform, size);
  const spreadSize = { width: PAGE.width * 2, height: PAGE.height };
  return pointTurner(spreadSize, skewDeg).inverse(x - FRAME[0], y - FRAME[1])[0];
}

describe('two facing pages in one image', () => {
  it.each([
    ['with a gutter shadow, straight', 0.35, 0],
    ['without a shadow, skewed 1.8° in a scanner frame', 0, 1.8],
    ['with a faint shadow, skewed -2.5° in a frame, poor scan', 0.12, -2.5],
  ])('splits a spread %s at the fold, left page first', async (_, shadow, skewDeg) => {
    const delivered = await scanPage(await spread(shadow), { skewDeg, frame: FRAME, dpi: DPI, ...(shadow === 0.12 ? { blur: 1, noise: 20, jpegQuality: 60 } : {}) });
    const size = { width: (await sharp(delivered).metadata()).width!, height: (await sharp(delivered).metadata()).height! };
    const clean = await cleanPage(delivered);
    expect(clean.pages).toHaveLength(2);
    expect(clean.pages.every((page) => page.steps.some((step) => step.startsWith('split:')))).toBe(true);
    expect(Math.abs(foldOnSpread(clean, size, skewDeg) - PAGE.width)).toBeLessThan(3 * MM);
    // Each page's marker is on its own clean page, left page first; both map back onto the scan.
    const [leftMarker, rightMarker] = (await findMarkers(delivered, MARKER)).sort((a, b) => a.centre[0] - b.centre[0]);
    expect(rightMarker).toBeDefined();
    for (const [onScan, page] of [[leftMarker!, clean.pages[0]!], [rightMarker!, clean.pages[1]!]] as const) {
      const found = await findMarkers(page.image, MARKER);
      expect(found).toHaveLength(1);
      const mapped = mapBoxToClean(onScan.box, page.transform, size);
      expect(Math.hypot(mapped[0] + mapped[2] / 2 - found[0]!.centre[0], mapped[1] + mapped[3] / 2 - found[0]!.centre[1])).toBeLessThan(1.5);
      const back = mapBoxToOriginal(found[0]!.box, page.transform, size);
      expect(Math.hypot(back[0] + back[2] / 2 - onScan.centre[0], back[1] + back[3] / 2 - onScan.centre[1])).toBeLessThan(1.5);
    }
  });

  it('splits a spread whose gutter punched holes cut into empty stretches, at the widest of them', async () => {
    // A column of punched holes 8 mm left of the fold (as on seed 2721's b05): the stretch left of it is
    // narrower than a gutter, the one right of it is the gutter.
    const holes = Array.from({ length: 6 }, (_, i) => `<circle cx="${Math.round(PAGE.width - 8 * MM)}" cy="${200 + i * 240}" r="${Math.round(1.2 * MM)}" fill="none" stroke="#000" stroke-width="3"/>`);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE.width * 2}" height="${PAGE.height}">${holes.join('')}</svg>`;
    const punched = await sharp(await spread(0)).composite([{ input: Buffer.from(svg) }]).png().toBuffer();
    const clean = await cleanPage(await scanPage(punched, { dpi: DPI }));
    expect(clean.findings.split).toMatchObject({ gutterX: expect.any(Number) });
    expect(clean.pages).toHaveLength(2);
    const [leftMarker, rightMarker] = await Promise.all(clean.pages.map((page) => findMarkers(page.image, MARKER)));
    expect([leftMarker, rightMarker].map((found) => found?.length)).toEqual([1, 1]);
  });

  it('fades the gutter shadow beside the fold while the page text stays', async () => {
    const delivered = await scanPage(await spread(0.35), { dpi: DPI });
    const paperOnly = { background: false, normalise: false };
    const split = await cleanPage(delivered, { steps: paperOnly });
    const unsplit = await cleanPage(delivered, { steps: { ...paperOnly, split: false } });
    const left = split.pages[0]!;
    expect(split.pages).toHaveLength(2);
    // The last 8 mm of the left page, in its margin (no text there).
    const nearFold: [number, number, number, number] = [left.width - 8 * MM, 100, 8 * MM, PAGE.height - 200];
    expect(await meanGrey(unsplit.image, [PAGE.width - 8 * MM, 100, 8 * MM, PAGE.height - 200])).toBeLessThan(215);
    expect(await meanGrey(left.image, nearFold)).toBeGreaterThan(245);
    // Text keeps its darkness: the text area of the left page is as dark as before.
    const text: [number, number, number, number] = [PAGE.width * 0.1, PAGE.height * 0.1, PAGE.width * 0.6, PAGE.height * 0.6];
    expect(Math.abs((await meanGrey(left.image, text)) - (await meanGrey(unsplit.image, text)))).toBeLessThan(2);
  });

  it.each([
    ['portrait page', { seed: 81 }, 'portrait'],
    ['landscape register table (ruled)', { seed: 82, width: PAGE.height, height: PAGE.width, lines: 18, ruled: true }, 'no_gutter'],
    ['landscape page of text', { seed: 83, width: PAGE.height, height: PAGE.width, lines: 18 }, 'no_gutter'],
  ] as const)('does not split a single %s', async (_, page, reason) => {
    const rendered = await renderTextPage({ ...PAGE, ...page });
    const clean = await cleanPage(await scanPage(rendered.png, { skewDeg: 1.2, dpi: DPI }));
    expect(clean.pages).toHaveLength(1);
    expect(clean.findings.split).toMatchObject({ gutterX: null, reason });
    expect(clean.steps.some((step) => step.startsWith('split'))).toBe(false);
  });
});

describe('spreads of the corpus generator', () => {
  let dir: string;
  let truth: BookTruth;
  let files: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'civreg-spread-'));
    await generateCorpus({ out: dir, books: 1, seed: 5, profile: 'typical', eras: ['2016-'], pagesPerBook: [3, 3], facingPages: 1 });
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { books: { id: string; files: string[] }[] };
    truth = bookTruthSchema.parse(JSON.parse(await readFile(join(dir, manifest.books[0]!.id, 'truth.json'), 'utf8')));
    files = manifest.books[0]!.files;
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('splits each generated spread between its pages, left page first, and leaves single pages whole', async () => {
    let spreads = 0;
    let singles = 0;
    for (const file of files) {
      const decoded = await decodeUpload(await readFile(join(dir, file)), file, DEFAULT_LIMITS);
      if (!decoded.ok) throw new Error(decoded.detail);
      for await (const outcome of decoded.pages()) {
        if (!outcome.ok) throw new Error(outcome.detail);
        const pages = truth.pages.filter((p) => p.file === file && p.filePage === outcome.page.index);
        const clean = await cleanPage(outcome.page.image);
        const size = { width: pages[0]!.width as number, height: pages[0]!.height as number };
        if (pages.length === 1) {
          singles++;
          expect(clean.pages).toHaveLength(1);
          continue;
        }
        spreads++;
        const left = pages.find((p) => p.facing === 'left')!;
        const right = pages.find((p) => p.facing === 'right')!;
        expect(clean.pages).toHaveLength(2);
        // Every truth line of the left page lands inside the first clean page, the right page's inside the second.
        for (const [page, clean1] of [[left, clean.pages[0]!], [right, clean.pages[1]!]] as const) {
          for (const line of page.lines) {
            const [x, , w] = mapBoxToClean(line.box, clean1.transform, size);
            expect(x >= -2 && x + w <= clean1.width + 2, `"${line.text}"`).toBe(true);
          }
        }
        // The split, mapped back onto the scan, runs between the two pages' text.
        const [foldX] = mapPointToOriginal([0, clean.pages[1]!.height / 2], clean.pages[1]!.transform, size);
        expect(foldX).toBeGreaterThan(Math.max(...left.lines.map((l) => l.box[0] + l.box[2])));
        expect(foldX).toBeLessThan(Math.min(...right.lines.map((l) => l.box[0])));
      }
    }
    expect(spreads).toBeGreaterThanOrEqual(1);
    expect(singles).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
