import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cleanPage, identityTransform, mapBoxToClean, mapBoxToOriginal, type Box } from '../../src/imaging/clean.ts';
import { osdTurnTaken } from '../../src/imaging/geometry.ts';
import { rotatedSize } from '../../src/imaging/transform.ts';
import { findMarkers, meanGrey, renderTablePage, renderTextPage, scanPage, type PageOptions, type ScanOptions } from './pages.ts';

/** A5 at 200 dpi: big enough for real text lines, small enough to keep the suite fast. */
const PAGE = { width: 1165, height: 1654, fontSize: 30, lines: 26 };
const MARKER = 48;
/** Markers near the four page corners, closer to the page edge than any text. */
const CORNER_MARKERS = [
  { x: 40, y: 40, size: MARKER },
  { x: PAGE.width - 40 - MARKER, y: 40, size: MARKER },
  { x: 40, y: PAGE.height - 40 - MARKER, size: MARKER },
  { x: PAGE.width - 40 - MARKER, y: PAGE.height - 40 - MARKER, size: MARKER },
];
const FRAME: [number, number, number, number] = [60, 90, 110, 45];
const POOR: ScanOptions = { contrast: [85, 210], blur: 1.3, noise: 30, jpegQuality: 45 };
const GEOMETRY_OFF = { orient: false, deskew: false, crop: false, split: false };

async function scan(page: PageOptions, options: ScanOptions): Promise<Buffer> {
  const rendered = await renderTextPage({ ...PAGE, ...page });
  return scanPage(rendered.png, options);
}

describe('cleanPage geometry', () => {
  describe('deskew', () => {
    const cases: [string, number, PageOptions, ScanOptions][] = [
      ['serif', -9.5, { seed: 1 }, {}],
      ['sans', -5.2, { seed: 2, fontFamily: 'Liberation Sans' }, {}],
      ['mono, framed', -1.3, { seed: 3, fontFamily: 'FreeMono' }, { frame: FRAME }],
      ['serif, poor scan', -0.4, { seed: 4 }, POOR],
      ['sans, poor scan, framed', 0.6, { seed: 5, fontFamily: 'Liberation Sans' }, { ...POOR, frame: FRAME }],
      ['serif', 2.7, { seed: 6 }, {}],
      ['mono, poor scan', 6.1, { seed: 7, fontFamily: 'FreeMono' }, POOR],
      ['serif, framed', 9.8, { seed: 8 }, { frame: FRAME }],
      ['sparse page (3 lines)', -3.6, { seed: 9, lines: 3 }, {}],
      ['sparse page (3 lines), poor scan', 7.2, { seed: 10, lines: 3 }, POOR],
    ];
    it.each(cases)('estimates the skew of a %s page turned by %f° within 0.3°', async (_, angle, page, options) => {
      const clean = await cleanPage(await scan(page, { ...options, skewDeg: angle }));
      expect(Math.abs(clean.transform.skewDeg - angle)).toBeLessThanOrEqual(0.3);
      expect(clean.transform.rotate).toBe(0);
      expect(clean.steps).toContain(`deskew:${clean.transform.skewDeg}`);
    });

    it('leaves a straight page unrotated', async () => {
      const clean = await cleanPage(await scan({ seed: 11 }, {}));
      expect(clean.transform.skewDeg).toBe(0);
      expect(clean.findings.deskew).toMatchObject({ skewDeg: 0, reason: 'below_minimum' });
    });
  });

  describe('orientation', () => {
    it('takes OSD\'s turn only when it is sure, along the lines\' likely axis, and not against a clear up/down lean', () => {
      const sure = (turn: 0 | 90 | 180 | 270) => ({ turn, confidence: 6 });
      // a typed table delivered sideways, its ink giving no clear lean
      expect(osdTurnTaken({ linesVsColumns: 0.78, aboveVsBelow: 1.1 }, sure(270))).toBe(270);
      expect(osdTurnTaken({ linesVsColumns: 0.78, aboveVsBelow: 1.1 }, { turn: 270, confidence: 1.2 })).toBeNull();
      // lines fairly clearly across: no quarter turn
      expect(osdTurnTaken({ linesVsColumns: 1.2, aboveVsBelow: 1.1 }, sure(90))).toBeNull();
      // an upright hand-written table whose ink leans upright: OSD's "upside down" is not taken; with no lean it is
      expect(osdTurnTaken({ linesVsColumns: 1.25, aboveVsBelow: 1.5 }, sure(180))).toBeNull();
      expect(osdTurnTaken({ linesVsColumns: 1.25, aboveVsBelow: 1.05 }, sure(180))).toBe(180);
      expect(osdTurnTaken({ linesVsColumns: 1.25, aboveVsBelow: 0.7 }, sure(180))).toBe(180);
    });

    it.each([
      [90, {}],
      [180, { frame: FRAME }],
      [270, POOR],
      [180, POOR],
    ] as const)('turns a page delivered turned by %i° upright (%o)', async (turn, options) => {
      const delivered = await scan({ seed: 20 + turn, markers: CORNER_MARKERS.slice(0, 1) }, { ...options, turn, skewDeg: 1.5 });
      // With the contrast stretch the faded marker of a poor scan is dark enough for findMarkers' fixed threshold.
      const clean = await cleanPage(delivered, { steps: { normalise: true } });
      expect(clean.transform.rotate).toBe((360 - turn) % 360);
      expect(clean.findings.orient).toMatchObject({ sure: true });
      // The marker drawn at the top left of the upright page is at the top left again.
      const [marker] = await findMarkers(clean.image, MARKER);
      expect(marker).toBeDefined();
      expect(marker!.centre[0]).toBeLessThan(clean.width * 0.15);
      expect(marker!.centre[1]).toBeLessThan(clean.height * 0.15);
    });

    it('turns a ruled register page upright: the table rules do not pass for text lines', async () => {
      const delivered = await scan({ seed: 25, ruled: true, lines: 20, markers: CORNER_MARKERS.slice(0, 1) }, { turn: 270, skewDeg: -2.1, frame: FRAME });
      const clean = await cleanPage(delivered);
      expect(clean.transform.rotate).toBe(90);
      expect(Math.abs(clean.transform.skewDeg + 2.1)).toBeLessThanOrEqual(0.3);
      const [marker] = await findMarkers(clean.image, MARKER);
      expect(marker!.centre[0]).toBeLessThan(clean.width * 0.15);
      expect(marker!.centre[1]).toBeLessThan(clean.height * 0.15);
    });

    it.each([180, 0] as const)('decides a typed register table delivered turned by %i° (lines/columns under its bound) by its up/down evidence', async (turn) => {
      const table = await renderTablePage({ seed: 1 });
      const clean = await cleanPage(await scanPage(table.png, { turn, skewDeg: 2.1, noise: 20, blur: 0.8 }), { steps: { orient: true } });
      // The case this covers: the axis measure alone is not sure (the column rules and ragged cells look like columns).
      expect(clean.findings.orient).toMatchObject({ sure: true });
      expect((clean.findings.orient as { linesVsColumns: number }).linesVsColumns).toBeLessThan(1.3);
      expect(clean.transform.rotate).toBe((360 - turn) % 360);
    });

    it.each([90, 270] as const)('turns a typed register table delivered turned by %i° upright by OSD when lines/columns is unsure', async (turn) => {
      const table = await renderTablePage({ seed: 1 });
      const clean = await cleanPage(await scanPage(table.png, { turn, skewDeg: 2.1, noise: 20, blur: 0.8 }), { steps: { orient: true } });
      const orient = clean.findings.orient as { linesVsColumns: number; osd?: { turn: number; confidence: number } };
      // The geometric measure leans sideways but not surely, so the turn is OSD's.
      expect(1 / orient.linesVsColumns).toBeLessThan(1.3);
      expect(orient.osd).toMatchObject({ turn: (360 - turn) % 360 });
      expect(clean.findings.orient).toMatchObject({ sure: true });
      expect(clean.transform.rotate).toBe((360 - turn) % 360);
    });

    it('keeps an upright page upright', async () => {
      const clean = await cleanPage(await scan({ seed: 30 }, POOR));
      expect(clean.transform.rotate).toBe(0);
      expect(clean.findings.orient).toMatchObject({ turn: 0, sure: true });
    });

    it('neither turns nor crashes on a blank page, noisy or framed', async () => {
      for (const options of [{}, { ...POOR, turn: 90 as const }, { ...POOR, frame: FRAME, skewDeg: 3 }]) {
        const clean = await cleanPage(await scan({ seed: 31, lines: 0 }, options));
        expect(clean.transform.rotate).toBe(0);
        expect(clean.findings.orient).toMatchObject({ turn: 0, sure: false });
        // Without text nothing is straightened, unless the edges of a skewed sheet show its true skew.
        expect([0, 3]).toContainEqual(Math.round(clean.transform.skewDeg));
      }
    });
  });

  describe('border crop', () => {
    it('removes a dark frame without cutting into the page content', async () => {
      const delivered = await scan({ seed: 40, markers: CORNER_MARKERS }, { frame: FRAME, frameGrey: 30, skewDeg: -2.2 });
      const clean = await cleanPage(delivered);
      expect(clean.steps).toContain('crop');
      // Every corner marker survives whole, at most a few pixels further in than on the page.
      const markers = await findMarkers(clean.image, MARKER);
      expect(markers).toHaveLength(4);
      for (const { box } of markers) {
        expect(Math.min(box[0], box[1], clean.width - box[0] - box[2], clean.height - box[1] - box[3])).toBeGreaterThanOrEqual(25);
      }
      // No frame is left along any edge: each edge strip is paper.
      const strip = 6;
      for (const edge of [
        [0, 0, clean.width, strip],
        [0, clean.height - strip, clean.width, strip],
        [0, 0, strip, clean.height],
        [clean.width - strip, 0, strip, clean.height],
      ] as Box[]) {
        expect(await meanGrey(clean.image, edge)).toBeGreaterThan(235);
      }
      // The clean page is about the size of the paper.
      expect(Math.abs(clean.width - PAGE.width)).toBeLessThan(PAGE.width * 0.03);
      expect(Math.abs(clean.height - PAGE.height)).toBeLessThan(PAGE.height * 0.03);
    });

    it('keeps text that runs close to a black margin', async () => {
      // A photocopy with black margins cutting close to the text: the crop grows around the text.
      const tight = { seed: 41, markers: [{ x: 8, y: 8, size: MARKER }] };
      const clean = await cleanPage(await scan(tight, { frame: [30, 30, 30, 30], frameGrey: 0 }));
      const [marker] = await findMarkers(clean.image, MARKER);
      expect(marker).toBeDefined();
      expect(marker!.box[0]).toBeGreaterThan(0);
      expect(marker!.box[1]).toBeGreaterThan(0);
    });

    it('does nothing on a page without a frame', async () => {
      const clean = await cleanPage(await scan({ seed: 42 }, { skewDeg: 1 }));
      expect(clean.findings.crop).toEqual({ box: null, reason: 'no_frame' });
      expect(clean.steps).not.toContain('crop');
    });
  });

  describe('boxes mapped back onto the original', () => {
    it('finds each marker of a turned, skewed, framed scan where the mapping says, on both images', async () => {
      const delivered = await scan({ seed: 50, markers: CORNER_MARKERS }, { turn: 270, skewDeg: 3.4, frame: FRAME });
      const clean = await cleanPage(delivered);
      expect(clean.steps).toEqual(expect.arrayContaining(['orient:90', 'crop']));
      const size = { width: (await sharp(delivered).metadata()).width!, height: (await sharp(delivered).metadata()).height! };
      const onOriginal = await findMarkers(delivered, MARKER);
      const onClean = await findMarkers(clean.image, MARKER);
      expect(onOriginal).toHaveLength(4);
      expect(onClean).toHaveLength(4);
      for (const marker of onOriginal) {
        const mapped = mapBoxToClean(marker.box, clean.transform, size);
        const centre = [mapped[0] + mapped[2] / 2, mapped[1] + mapped[3] / 2];
        const match = onClean.find((found) => Math.hypot(found.centre[0] - centre[0]!, found.centre[1] - centre[1]!) < 1);
        expect(match, `marker at ${marker.box} should be near ${centre}`).toBeDefined();
        const back = mapBoxToOriginal(match!.box, clean.transform, size);
        expect(Math.hypot(back[0] + back[2] / 2 - marker.centre[0], back[1] + back[3] / 2 - marker.centre[1])).toBeLessThan(1);
      }
    });
  });

  describe('switching steps', () => {
    const turnedSkewedFramed = () => scan({ seed: 60 }, { turn: 180, skewDeg: 2.5, frame: FRAME, contrast: [60, 220] });

    it('runs every geometry step by default on a page that needs them', async () => {
      const clean = await cleanPage(await turnedSkewedFramed());
      expect(clean.steps).toEqual(['greyscale', 'orient:180', `deskew:${clean.transform.skewDeg}`, 'crop']);
      expect(clean.transform.skewDeg).toBeCloseTo(2.5, 0);
    });

    it.each(['orient', 'deskew', 'crop', 'normalise'] as const)('leaves out %s when it is switched off', async (step) => {
      const delivered = await turnedSkewedFramed();
      const clean = await cleanPage(delivered, { steps: { [step]: false } });
      expect(clean.steps.some((name) => name.startsWith(step))).toBe(false);
      expect(clean.findings[step as keyof typeof clean.findings]).toBeUndefined();
      if (step === 'orient') expect(clean.transform.rotate).toBe(0);
      if (step === 'deskew') expect(clean.transform.skewDeg).toBe(0);
      if (step === 'crop') {
        // The whole turned canvas is kept.
        const { width, height } = await sharp(delivered).metadata();
        const turned = rotatedSize({ width: width!, height: height! }, clean.transform.rotate - clean.transform.skewDeg);
        expect(clean.transform.crop).toEqual([0, 0, turned.width, turned.height]);
        expect(clean).toMatchObject(turned);
      }
      for (const other of ['orient', 'deskew', 'crop'] as const) if (other !== step) expect(clean.findings[other]).toBeDefined();
    });

    it('gives the identity transform and the original size when all geometry steps are off', async () => {
      const delivered = await turnedSkewedFramed();
      const { width, height } = await sharp(delivered).metadata();
      const clean = await cleanPage(delivered, { steps: GEOMETRY_OFF });
      expect(clean.transform).toEqual(identityTransform({ width: width!, height: height! }));
      expect(clean.findings).toEqual({});
      expect(clean).toMatchObject({ width, height });
      // The paper steps still run: the dark frame makes the background uneven.
      expect(clean.steps).toEqual(['greyscale', 'background']);
    });
  });
});
