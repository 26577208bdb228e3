import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  identityTransform,
  mapBoxToClean,
  mapBoxToOriginal,
  mapLineBoxToClean,
  mapPointToClean,
  mapPointToOriginal,
  rotatedSize,
  type Box,
  type CleanTransform,
} from '../../src/imaging/transform.ts';
import { findMarkers } from './pages.ts';

const ORIGINAL = { width: 1400, height: 1900 };

const TRANSFORMS: CleanTransform[] = [
  { rotate: 0, skewDeg: 0, crop: [0, 0, 1400, 1900], scale: 1 },
  { rotate: 0, skewDeg: 0, crop: [35, 60, 1200, 1700], scale: 1 },
  { rotate: 90, skewDeg: 0, crop: [10, 20, 1800, 1300], scale: 0.5 },
  { rotate: 180, skewDeg: -2.4, crop: [80, 40, 1300, 1800], scale: 1 },
  { rotate: 270, skewDeg: 7.9, crop: [120, 90, 1700, 1250], scale: 2 },
  { rotate: 0, skewDeg: -9.8, crop: [0, 0, 1700, 2100], scale: 1 },
];

function expectBoxClose(actual: Box, expected: Box, tolerance: number): void {
  for (let i = 0; i < 4; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tolerance);
}

describe('rotatedSize', () => {
  it('gives the canvas size sharp produces for quarter turns and for turns with a skew', async () => {
    const pixels = Buffer.alloc(401 * 300, 255);
    for (const angle of [90, 180, 270, 3, -7.3, 86.2, 182.4, 266.01, -93.2]) {
      const { info } = await sharp(pixels, { raw: { width: 401, height: 300, channels: 1 } })
        .rotate(angle, { background: '#fff' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect(rotatedSize({ width: 401, height: 300 }, angle), `angle ${angle}`).toEqual({ width: info.width, height: info.height });
    }
  });
});

describe('mapping between original and clean image', () => {
  it('maps points there and back exactly', () => {
    for (const transform of TRANSFORMS) {
      for (const point of [[0, 0], [1400, 1900], [333.5, 1201.25], [1399, 3]] as [number, number][]) {
        const back = mapPointToOriginal(mapPointToClean(point, transform, ORIGINAL), transform, ORIGINAL);
        expect(back[0]).toBeCloseTo(point[0], 6);
        expect(back[1]).toBeCloseTo(point[1], 6);
      }
    }
  });

  it('maps boxes there and back to the same box without skew, and to a slightly larger one with skew', () => {
    const box: Box = [412, 880, 300, 48];
    for (const transform of TRANSFORMS) {
      const back = mapBoxToOriginal(mapBoxToClean(box, transform, ORIGINAL), transform, ORIGINAL);
      if (transform.skewDeg === 0) {
        expectBoxClose(back, box, 1e-6);
        continue;
      }
      // A straight box is slanted on the other image: each trip grows it by sin|skew| of the other side.
      const sin = Math.sin((Math.abs(transform.skewDeg) * Math.PI) / 180);
      const growth = 2 * sin * (box[2] + box[3]);
      expect(back[0]).toBeLessThanOrEqual(box[0] + 1e-6);
      expect(back[1]).toBeLessThanOrEqual(box[1] + 1e-6);
      expect(back[0] + back[2]).toBeGreaterThanOrEqual(box[0] + box[2] - 1e-6);
      expect(back[1] + back[3]).toBeGreaterThanOrEqual(box[1] + box[3] - 1e-6);
      expect(back[2] - box[2]).toBeLessThanOrEqual(growth);
      expect(back[3] - box[3]).toBeLessThanOrEqual(growth);
    }
  });

  it('leaves boxes alone under the identity transform', () => {
    const box: Box = [12, 34, 56, 78];
    expect(mapBoxToClean(box, identityTransform(ORIGINAL), ORIGINAL)).toEqual(box);
    expect(mapBoxToOriginal(box, identityTransform(ORIGINAL), ORIGINAL)).toEqual(box);
  });

  it('puts a quarter-turned corner where sharp puts it', () => {
    // The top-left corner of the original ends up top-right after a clockwise quarter turn.
    const turned: CleanTransform = { rotate: 90, skewDeg: 0, crop: [0, 0, 1900, 1400], scale: 1 };
    expectBoxClose(mapBoxToClean([0, 0, 100, 50], turned, ORIGINAL), [1850, 0, 50, 100], 1e-9);
  });

  it('finds a drawn square where the mapping says, after sharp turned, skewed and cropped the image', async () => {
    const size = 60;
    const squares: Box[] = [
      [200, 150, size, size],
      [1100, 1600, size, size],
    ];
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${ORIGINAL.width}" height="${ORIGINAL.height}"><rect width="100%" height="100%" fill="#fff"/>${squares
      .map(([x, y, w, h]) => `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="#000"/>`)
      .join('')}</svg>`;
    const original = await sharp(Buffer.from(svg)).greyscale().toColourspace('b-w').raw().toBuffer();
    for (const transform of TRANSFORMS.filter((t) => t.scale === 1)) {
      const angle = transform.rotate - transform.skewDeg;
      const [left, top, width, height] = transform.crop;
      let pipeline = sharp(original, { raw: { ...ORIGINAL, channels: 1 } });
      if (angle !== 0) pipeline = pipeline.rotate(angle, { background: '#fff' });
      const clean = await pipeline.extract({ left, top, width, height }).toColourspace('b-w').png().toBuffer();
      const found = await findMarkers(clean, size);
      expect(found, JSON.stringify(transform)).toHaveLength(2);
      for (const square of squares) {
        const expected = mapBoxToClean(square, transform, ORIGINAL);
        const centre: [number, number] = [expected[0] + expected[2] / 2, expected[1] + expected[3] / 2];
        const match = found.find((marker) => Math.hypot(marker.centre[0] - centre[0], marker.centre[1] - centre[1]) < 0.5);
        expect(match, `${JSON.stringify(transform)}: square at ${square} expected near ${centre}`).toBeDefined();
        // And back: the found square maps onto the drawn one.
        expectBoxClose(mapBoxToOriginal(match!.box, transform, ORIGINAL), square, 2 + Math.sin((Math.abs(transform.skewDeg) * Math.PI) / 180) * 2 * size);
      }
    }
  });
});

describe('mapLineBoxToClean', () => {
  it.each(TRANSFORMS.map((t) => [t.rotate, t.skewDeg, t] as const))('maps the bounding box of a slanted text line (turn %i°, skew %f°) to the straight line', (_, skew, transform) => {
    // A long text line, straight on the clean image; on the scan it is slanted, and the truth gives its bounding box.
    const line: Box = [100, 300, 900 * transform.scale, 30 * transform.scale];
    const corners: [number, number][] = [[line[0], line[1]], [line[0] + line[2], line[1]], [line[0], line[1] + line[3]], [line[0] + line[2], line[1] + line[3]]];
    const onScan = corners.map((corner) => mapPointToOriginal(corner, transform, ORIGINAL));
    const xs = onScan.map((p) => p[0]);
    const ys = onScan.map((p) => p[1]);
    const truthBox: Box = [Math.min(...xs), Math.min(...ys), Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)];
    expectBoxClose(mapLineBoxToClean(truthBox, transform, ORIGINAL), line, 0.5 * transform.scale + 0.01);
    // Mapping the corners instead grows the box a second time: on a skewed page it spans several lines.
    const grown = mapBoxToClean(truthBox, transform, ORIGINAL);
    if (skew !== 0) expect(grown[3]).toBeGreaterThan(line[3] + 2 * 900 * transform.scale * Math.sin((Math.abs(skew) * Math.PI) / 180) * 0.9);
    else expectBoxClose(grown, line, 0.01);
  });
});
