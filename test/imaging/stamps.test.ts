import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cleanPage } from '../../src/imaging/clean.ts';
import { fadeGreyStamps } from '../../src/imaging/stamps.ts';
import { meanGreyWhere, renderTextPage } from './pages.ts';

/** A5 at 200 dpi, as the geometry tests use: real text lines, fast. */
const PAGE = { width: 1165, height: 1654, fontSize: 30, lines: 26 };
/** Geometry off, so clean pixels sit where they were drawn. */
const STILL = { orient: false, deskew: false, crop: false, split: false };
const STAMP = { cx: 560, cy: 700, radius: 140 };

/** A round office stamp as the registers carry: two rings, a filled star, a thick arc of lettering. */
function stampSvg(colour: string): string {
  const { cx, cy, radius } = STAMP;
  const star = Array.from({ length: 5 }, (_, i) => {
    const a = -Math.PI / 2 + (i * 4 * Math.PI) / 5;
    return `${cx + Math.cos(a) * radius * 0.35},${cy + Math.sin(a) * radius * 0.35}`;
  }).join(' ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE.width}" height="${PAGE.height}">` +
    `<circle cx="${cx}" cy="${cy}" r="${radius}" fill="none" stroke="${colour}" stroke-width="7"/>` +
    `<circle cx="${cx}" cy="${cy}" r="${radius * 0.8}" fill="none" stroke="${colour}" stroke-width="5"/>` +
    `<circle cx="${cx}" cy="${cy}" r="${radius * 0.9}" fill="none" stroke="${colour}" stroke-width="12" stroke-dasharray="14 8"/>` +
    `<polygon points="${star}" fill="${colour}"/></svg>`
  );
}

/** The page as a colour JPEG (chroma subsampled, as scanners deliver), with a stamp pressed on in `colour`; `grey`: a greyscale JPEG. */
async function stampedScan(ink: string, colour: string | null, grey = false): Promise<{ scan: Buffer; text: Uint8Array; stamp: Uint8Array }> {
  const page = await renderTextPage({ ...PAGE, ink, seed: 4 });
  const text = await sharp(page.png).greyscale().toColourspace('b-w').raw().toBuffer();
  let image = sharp(page.png).toColourspace('srgb');
  let stamp = new Uint8Array(text.length);
  if (colour) {
    const svg = Buffer.from(stampSvg(colour));
    image = sharp(await image.composite([{ input: svg, blend: 'multiply' }]).png().toBuffer());
    stamp = await sharp(Buffer.from(stampSvg('#000'))).flatten({ background: '#fff' }).greyscale().toColourspace('b-w').raw().toBuffer();
  }
  if (grey) image = image.greyscale().toColourspace('b-w');
  return { scan: await image.jpeg({ quality: 85 }).toBuffer(), text, stamp };
}

/** Mean clean grey over the pixels where `where` holds (enough of them to mean something). */
async function meanWhere(clean: Buffer, where: (i: number) => boolean): Promise<number> {
  const { mean, pixels } = await meanGreyWhere(clean, where);
  expect(pixels).toBeGreaterThan(500);
  return mean;
}

describe('red stamp suppression', () => {
  // Colour scans: red pixels take the red channel's level (the stamp is then on the paper side of the
  // midpoint between ink and paper, where a global threshold drops it, and the grey method fades it
  // further). Greyscale scans: the mid-grey ring is found and faded by its grey alone.
  it.each([
    ['colour', false, 'stamps', 175],
    ['greyscale', true, 'grey-stamps', 215],
  ] as const)('fades a red stamp over black text on a %s scan while the text under it stays dark', async (_, grey, step, faded) => {
    const { scan, text, stamp } = await stampedScan('#000', '#c8232c', grey);
    const on = await cleanPage(scan, { dpi: 200, steps: STILL });
    const off = await cleanPage(scan, { dpi: 200, steps: { ...STILL, stamps: false } });
    expect(on.steps).toContain(step);
    expect(off.steps).not.toContain(step);
    // Stamp ink on bare paper: nearly as dark as text in plain greyscale, close to paper with the step.
    const stampOnPaper = (i: number) => stamp[i]! < 60 && text[i]! > 230;
    expect(await meanWhere(off.image, stampOnPaper)).toBeLessThan(110);
    expect(await meanWhere(on.image, stampOnPaper)).toBeGreaterThan(faded);
    // Letter strokes under the stamp keep their darkness, and away from the stamp the page is as it was.
    expect(await meanWhere(on.image, (i) => stamp[i]! < 60 && text[i]! < 60)).toBeLessThan(90);
    const farText = (i: number) => text[i]! < 60 && Math.abs((i % PAGE.width) - STAMP.cx) + Math.abs(Math.floor(i / PAGE.width) - STAMP.cy) > 3 * STAMP.radius;
    expect(Math.abs((await meanWhere(on.image, farText)) - (await meanWhere(off.image, farText)))).toBeLessThan(1);
  });

  it('leaves blue writing and unstamped colour pages alone', async () => {
    const blue = await stampedScan('#1c2a63', null);
    const clean = await cleanPage(blue.scan, { dpi: 200, steps: STILL });
    expect(clean.steps).not.toContain('stamps');
    expect(await meanWhere(clean.image, (i) => blue.text[i]! < 60)).toBeLessThan(110);
    // A blue stamp cannot be told from blue ink by colour: it is not touched either.
    const blueStamp = await stampedScan('#000', '#1f3f8f');
    expect((await cleanPage(blueStamp.scan, { dpi: 200, steps: STILL })).steps).not.toContain('stamps');
  });

  it('leaves a greyscale page without a stamp alone', async () => {
    const { scan } = await stampedScan('#000', null, true);
    expect((await cleanPage(scan, { dpi: 200, steps: STILL })).steps).not.toContain('grey-stamps');
  });
});

describe('fadeGreyStamps on ruled pages', () => {
  /**
   * A ruled register page at 300 dpi: dark rules 3 px thick, those around the first cell (68 × 44 mm, a
   * stamp's size) with the one-pixel grey fringe a JPEG leaves, a clerk's writing in grey ink inside it.
   */
  function ruledPage(): { data: Uint8Array; width: number; height: number } {
    const [width, height] = [1400, 1100];
    const data = new Uint8Array(width * height).fill(243);
    const set = (x: number, y: number, v: number) => { data[y * width + x] = v; };
    // the fringe falls where the rule's edge meets the pixel grid: around the first cell only here
    const fringed = (x: number, y: number) => x <= 903 && y <= 623;
    for (const y of [100, 620, 1000]) for (let x = 100; x <= 1300; x++) { for (let d = 0; d < 3; d++) set(x, y + d, 27); if (fringed(x, y)) set(x, y + 3, 130); }
    for (const x of [100, 900, 1300]) for (let y = 100; y <= 1003; y++) { for (let d = 0; d < 3; d++) set(x + d, y, 27); if (fringed(x, y)) set(x + 3, y, 130); }
    // hand-writing: short grey strokes inside the first cell
    for (let k = 0; k < 12; k++) for (let x = 200 + k * 50; x < 230 + k * 50; x++) for (let y = 300; y < 306; y++) set(x, y, 110);
    return { data, width, height };
  }

  it('takes no box of rules for a stamp, and leaves the writing in it', () => {
    const page = ruledPage();
    const { image, stamps } = fadeGreyStamps(page, 300);
    expect(stamps).toBe(0);
    expect(image.data[303 * page.width + 210]).toBe(110);
  });

  it('still finds a stamp pressed across a rule', () => {
    const [width, height] = [1500, 900];
    const data = new Uint8Array(width * height).fill(243);
    // a rule across the page, its fringe too; black print enough for the page's darkest ink
    for (let x = 50; x < 1450; x++) { for (let d = 0; d < 3; d++) data[(450 + d) * width + x] = 27; data[453 * width + x] = 130; }
    for (let y = 100; y < 200; y++) for (let x = 100; x < 220; x++) data[y * width + x] = 27;
    // a ring 34 mm across in a red stamp's grey, centred on the rule
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      const r = Math.hypot(x - 750, y - 450);
      if (r > 190 && r < 202 && data[y * width + x] === 243) data[y * width + x] = 140;
    }
    const { image, stamps } = fadeGreyStamps({ data, width, height }, 300);
    expect(stamps).toBe(1);
    expect(image.data[254 * width + 750]).toBe(243);
    expect(image.data[451 * width + 1300]).toBe(27);
  });
});

describe('fadeGreyStamps on a grainy stamp', () => {
  /**
   * A round stamp 34 mm across at 300 dpi (rings at 1 and 0.8 of its radius, strokes of lettering between them, an emblem at its centre) whose grey
   * is grainy (130 ± a normal spread of 12, seeded): its darkest grains lie below the foot of its grey's peak. A
   * light typed stroke (grey 105, 3 × 40 px) crosses its band, a thread of that grey one pixel wide lies along its ring; black print elsewhere sets the page's darkest ink.
   */
  function grainyStamp(): { data: Uint8Array; width: number; height: number; band: (x: number, y: number) => boolean } {
    const [width, height] = [1000, 1000];
    const data = new Uint8Array(width * height).fill(243);
    let state = 7;
    const uniform = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const normal = () => Math.sqrt(-2 * Math.log(uniform() || 1e-9)) * Math.cos(2 * Math.PI * uniform());
    for (let y = 50; y < 130; y++) for (let x = 50; x < 400; x++) data[y * width + x] = 25;
    // lettering between the rings: a radial stroke every 10°
    const letter = (x: number, y: number) => Math.abs(((Math.atan2(y - 500, x - 500) * 180) / Math.PI + 360) % 10 - 5) < 0.7;
    const inkOf = (r: number, x: number, y: number) => (r > 190 && r < 200) || (r > 150 && r < 159) || (r >= 159 && r <= 190 && letter(x, y)) || r < 50;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      if (inkOf(Math.hypot(x - 500, y - 500), x, y)) data[y * width + x] = Math.max(0, Math.min(255, Math.round(130 + 12 * normal())));
    }
    for (let y = 290; y < 330; y++) for (let x = 530; x < 533; x++) data[y * width + x] = 105;
    // a thread of the same grey one pixel wide, 60 px long, along the outer ring's inner edge (what a stamp's edge leaves)
    for (let x = 400; x < 460; x++) data[Math.round(500 - Math.sqrt(189.5 ** 2 - (x - 500) ** 2)) * width + x] = 105;
    return { data, width, height, band: (x, y) => inkOf(Math.hypot(x - 500, y - 500), x, y) };
  }

  it('clears the grain from the band and keeps the typed stroke', () => {
    const page = grainyStamp();
    const { image, stamps } = fadeGreyStamps(page, 300);
    expect(stamps).toBe(1);
    let left = 0;
    for (let y = 0; y < page.height; y++) for (let x = 0; x < page.width; x++) if (page.band(x, y) && !(x >= 530 && x < 533 && y >= 290 && y < 330) && image.data[y * page.width + x]! < 200) left++;
    // without the grain cleared, ~1,200 pixels of grain darker than the peak's foot stay in the band
    expect(left).toBeLessThan(50);
    expect(image.data[310 * page.width + 531]).toBe(105);
  });

  it('clears a thread of grain too thin for a letter\'s stroke', () => {
    const page = grainyStamp();
    const { image } = fadeGreyStamps(page, 300);
    let left = 0;
    for (let x = 400; x < 460; x++) if (image.data[Math.round(500 - Math.sqrt(189.5 ** 2 - (x - 500) ** 2)) * page.width + x]! < 200) left++;
    expect(left).toBeLessThan(6);
  });

  it('keeps a light stroke two pixels wide below 300 dpi, where a letter\'s stroke may have no core', () => {
    const page = grainyStamp();
    for (let y = 290; y < 330; y++) page.data[y * page.width + 532] = 243;
    const { image, stamps } = fadeGreyStamps(page, 250);
    expect(stamps).toBe(1);
    let kept = 0;
    for (let y = 290; y < 330; y++) for (let x = 530; x < 532; x++) if (image.data[y * page.width + x] === 105) kept++;
    expect(kept).toBe(80);
  });
});
