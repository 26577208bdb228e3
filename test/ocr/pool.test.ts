import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import levenshtein from 'fast-levenshtein';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrPool, OcrPoolClosedError, OcrTimeoutError, traineddataDir } from '../../src/ocr/pool.ts';
import type { OcrPool, OcrResult } from '../../src/ocr/pool.ts';

interface DrawnText {
  text: string;
  x: number;
  /** baseline */
  y: number;
  size?: number;
}

const WIDTH = 1200;
const HEIGHT = 420;
const FONT_SIZE = 30;

/** The form page every happy-path test reads; the ID number stands alone so its position is known. */
const FORM: DrawnText[] = [
  { text: 'Họ và tên: Nguyễn Thị Hoa', x: 60, y: 100 },
  { text: 'Ngày sinh: 15/03/1962', x: 60, y: 200 },
  { text: 'Nơi sinh: xã Đông Hưng, tỉnh Thái Bình', x: 60, y: 300 },
  { text: '4827', x: 900, y: 380 },
];
const FORM_TEXT = FORM.map((line) => line.text).join('\n');

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Renders black text on white with whatever sans-serif font fontconfig finds. */
async function renderPage(texts: DrawnText[], width = WIDTH, height = HEIGHT): Promise<Buffer> {
  const body = texts
    .map(({ text, x, y, size }) => `<text x="${x}" y="${y}" font-family="DejaVu Sans, sans-serif" font-size="${size ?? FONT_SIZE}" fill="#000">${escapeXml(text)}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#fff' }).greyscale().png().toBuffer();
}

/** A 300-dpi A4 page of dense text: takes seconds to recognise, unlike the small form. */
async function renderDensePage(): Promise<Buffer> {
  const words = 'Họ và tên Nguyễn Thị Hoa ngày sinh tháng năm nơi đăng ký khai sinh quê quán dân tộc Kinh quốc tịch Việt Nam cha mẹ xã phường huyện tỉnh'.split(' ');
  const lines: DrawnText[] = [];
  for (let row = 0; row < 58; row++) {
    const text = Array.from({ length: 16 }, (_, i) => words[(row * 7 + i * 5) % words.length]).join(' ');
    lines.push({ text, x: 200, y: 240 + row * 54, size: 38 });
  }
  return renderPage(lines, 2480, 3508);
}

function characterErrorRate(actual: string, expected: string): number {
  const squash = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();
  return levenshtein.get(squash(actual), squash(expected)) / squash(expected).length;
}

function expectBoxInside(box: [number, number, number, number], width: number, height: number): void {
  const [x, y, w, h] = box;
  expect(x).toBeGreaterThanOrEqual(0);
  expect(y).toBeGreaterThanOrEqual(0);
  expect(w).toBeGreaterThan(0);
  expect(h).toBeGreaterThan(0);
  expect(x + w).toBeLessThanOrEqual(width);
  expect(y + h).toBeLessThanOrEqual(height);
}

describe('createOcrPool', () => {
  describe('recognising pages', () => {
    let pool: OcrPool;
    let form: Buffer;
    let result: OcrResult;

    beforeAll(async () => {
      [pool, form] = await Promise.all([
        createOcrPool({ size: 2, pageTimeoutMs: 30_000, recycleAfterPages: 1000, model: 'best_int' }),
        renderPage(FORM),
      ]);
      result = await pool.recognize(form);
    });
    afterAll(() => pool?.close());

    it('describes the engine it runs', () => {
      expect(pool.info).toEqual({ engine: 'tesseract.js', engineVersion: '7.0.0', model: 'vie 4.0.0_best_int', psm: 3 });
    });

    it('reads Vietnamese text with its diacritics', () => {
      expect(result.text).toContain('Nguyễn');
      expect(result.text).toContain('15/03/1962');
      expect(result.text).toBe(result.text.normalize('NFC'));
      expect(characterErrorRate(result.text, FORM_TEXT)).toBeLessThan(0.05);
      expect(result.ms).toBeGreaterThan(0);
    });

    it('returns one line per drawn line, each word pointing at its line', () => {
      expect(result.lines.map((line) => line.text)).toHaveLength(FORM.length);
      expect(result.lines[0]?.text).toContain('Nguyễn');
      const nguyen = result.words.find((word) => word.text === 'Nguyễn');
      expect(nguyen?.line).toBe(0);
      for (const word of result.words) expect(result.lines[word.line]?.text).toContain(word.text);
    });

    it('gives boxes inside the image, where the text was drawn', () => {
      for (const item of [...result.words, ...result.lines]) expectBoxInside(item.box, WIDTH, HEIGHT);
      const number = result.words.find((word) => word.text === '4827');
      expect(number).toBeDefined();
      const [x, y, w, h] = number!.box;
      // Drawn at x = 900 with its baseline at y = 380; digits rise about 0.73 em above it.
      expect(x).toBeGreaterThanOrEqual(895);
      expect(x).toBeLessThanOrEqual(910);
      expect(x + w).toBeLessThan(900 + 4 * FONT_SIZE);
      expect(y).toBeGreaterThanOrEqual(380 - FONT_SIZE);
      expect(y + h).toBeLessThanOrEqual(380 + 3);
      // Each word of the first line sits on its baseline band.
      for (const word of result.words.filter((w) => w.line === 0)) {
        expect(word.box[1]).toBeGreaterThanOrEqual(100 - FONT_SIZE - 5);
        expect(word.box[1] + word.box[3]).toBeLessThanOrEqual(100 + 0.3 * FONT_SIZE);
      }
    });

    it('gives confidences in 0..1', () => {
      for (const item of [...result.words, ...result.lines]) {
        expect(item.confidence).toBeGreaterThanOrEqual(0);
        expect(item.confidence).toBeLessThanOrEqual(1);
      }
      expect(result.meanConfidence).toBeGreaterThan(0.8);
      expect(result.meanConfidence).toBeLessThanOrEqual(1);
    });

    it('finds no words on a blank page', async () => {
      const blank = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#fff' } }).greyscale().withDensity(72).png().toBuffer();
      const empty = await pool.recognize(blank);
      expect(empty).toMatchObject({ text: '', words: [], lines: [], meanConfidence: 0 });
    });

    it('runs two pages at once on two workers and queues a third', async () => {
      const recognised = pool.stats().recognised;
      const pages = [pool.recognize(form), pool.recognize(form), pool.recognize(form)];
      expect(pool.stats()).toMatchObject({ workers: 2, busy: 2, queued: 1 });
      const results = await Promise.all(pages);
      for (const page of results) expect(page.text).toContain('Nguyễn');
      expect(pool.stats()).toMatchObject({ workers: 2, busy: 0, queued: 0, recognised: recognised + 3 });
    });
  });

  describe('recycling workers', () => {
    let pool: OcrPool;
    let form: Buffer;

    beforeAll(async () => {
      [pool, form] = await Promise.all([
        createOcrPool({ size: 1, pageTimeoutMs: 30_000, recycleAfterPages: 2, model: 'best_int' }),
        renderPage(FORM),
      ]);
    });
    afterAll(() => pool?.close());

    it('replaces a worker after recycleAfterPages pages and keeps working', async () => {
      await pool.recognize(form);
      expect(pool.stats().recycled).toBe(0);
      await pool.recognize(form);
      expect(pool.stats().recycled).toBe(1);
      const third = await pool.recognize(form);
      expect(third.text).toContain('15/03/1962');
      expect(pool.stats()).toMatchObject({ workers: 1, recognised: 3, recycled: 1, timedOut: 0 });
    });

    it('rejects an unreadable image and gives the next page a fresh worker', async () => {
      await expect(pool.recognize(Buffer.from('not an image'))).rejects.toThrow(/read image/);
      const next = await pool.recognize(form);
      expect(next.text).toContain('Nguyễn');
      expect(pool.stats()).toMatchObject({ workers: 1, busy: 0, queued: 0 });
    });
  });

  describe('timeouts', () => {
    let pool: OcrPool;
    let dense: Buffer;
    let form: Buffer;

    beforeAll(async () => {
      // A dense A4 page takes several seconds and the small form a few hundred ms, so 1.5 s
      // separates them with a wide margin either way.
      [pool, dense, form] = await Promise.all([
        createOcrPool({ size: 1, pageTimeoutMs: 1500, recycleAfterPages: 1000, model: 'best_int' }),
        renderDensePage(),
        renderPage(FORM),
      ]);
    });
    afterAll(() => pool?.close());

    it('rejects a page that runs too long with OcrTimeoutError, then replaces the worker', async () => {
      const started = Date.now();
      await expect(pool.recognize(dense)).rejects.toBeInstanceOf(OcrTimeoutError);
      expect(Date.now() - started).toBeLessThan(4000);
      expect(pool.stats()).toMatchObject({ timedOut: 1, recognised: 0 });
      const next = await pool.recognize(form);
      expect(next.text).toContain('Nguyễn');
      expect(pool.stats()).toMatchObject({ workers: 1, busy: 0, timedOut: 1, recognised: 1 });
    });

    it('times out even at 1 ms, without breaking the pool', async () => {
      const tiny = await createOcrPool({ size: 1, pageTimeoutMs: 1, recycleAfterPages: 1000, model: 'best_int' });
      try {
        await expect(tiny.recognize(form)).rejects.toBeInstanceOf(OcrTimeoutError);
        await expect(tiny.recognize(form)).rejects.toBeInstanceOf(OcrTimeoutError);
        expect(tiny.stats()).toMatchObject({ timedOut: 2, recognised: 0 });
      } finally {
        await tiny.close();
      }
    });
  });

  describe('closing', () => {
    it('rejects running and queued pages and refuses new ones', async () => {
      const [pool, form] = await Promise.all([
        createOcrPool({ size: 1, pageTimeoutMs: 30_000, recycleAfterPages: 1000, model: 'best_int' }),
        renderPage(FORM),
      ]);
      // Assertions attach their handlers now, before close() rejects the promises.
      const running = expect(pool.recognize(form)).rejects.toBeInstanceOf(OcrPoolClosedError);
      const queued = expect(pool.recognize(form)).rejects.toBeInstanceOf(OcrPoolClosedError);
      expect(pool.stats()).toMatchObject({ busy: 1, queued: 1 });
      await pool.close();
      await running;
      await queued;
      await expect(pool.recognize(form)).rejects.toBeInstanceOf(OcrPoolClosedError);
      expect(pool.stats()).toMatchObject({ workers: 0, busy: 0, queued: 0 });
    });

    it('refuses invalid options before starting any worker', async () => {
      await expect(createOcrPool({ size: 0, pageTimeoutMs: 1000, recycleAfterPages: 10, model: 'best_int' })).rejects.toThrow(/size/);
      await expect(createOcrPool({ size: 1, pageTimeoutMs: 1000, recycleAfterPages: 10, model: 'best_int', psm: 0 })).rejects.toThrow(/psm/);
    });
  });

  describe('model files', () => {
    let workDir: string;
    let formPath: string;

    beforeAll(async () => {
      workDir = await mkdtemp(path.join(tmpdir(), 'civreg-ocr-'));
      formPath = path.join(workDir, 'form.png');
      await writeFile(formPath, await renderPage(FORM));
    });
    afterAll(() => rm(workDir, { recursive: true, force: true }));

    it('reads traineddata from node_modules', async () => {
      for (const model of ['best_int', 'legacy'] as const) {
        const dir = traineddataDir(model);
        expect(dir.split(path.sep)).toContain('node_modules');
        expect(path.basename(path.dirname(dir))).toBe('vie');
        expect((await stat(path.join(dir, 'vie.traineddata.gz'))).size).toBeGreaterThan(1_000_000);
      }
    });

    it('runs with the network blocked and ignores a vie.traineddata in the working directory', async () => {
      // Every network entry point throws, in the main thread and (through --require) in worker
      // threads; a junk ./vie.traineddata would break initialisation if tesseract.js read its cache.
      const blocker = path.join(workDir, 'block-network.cjs');
      await writeFile(
        blocker,
        `const block = (name) => () => { throw new Error('network blocked: ' + name); };
         globalThis.fetch = block('fetch');
         for (const mod of ['http', 'https']) { const m = require(mod); m.request = block(mod); m.get = block(mod); }
         const net = require('net'); net.connect = net.createConnection = block('net');
         require('tls').connect = block('tls');`,
      );
      await writeFile(path.join(workDir, 'vie.traineddata'), 'not a model');
      const poolUrl = pathToFileURL(fileURLToPath(new URL('../../src/ocr/pool.ts', import.meta.url))).href;
      const script = `
        import { readFileSync } from 'node:fs';
        import { createOcrPool } from ${JSON.stringify(poolUrl)};
        const pool = await createOcrPool({ size: 1, pageTimeoutMs: 30000, recycleAfterPages: 10, model: 'legacy' });
        const result = await pool.recognize(readFileSync(${JSON.stringify(formPath)}));
        await pool.close();
        console.log(JSON.stringify({ text: result.text, model: pool.info.model }));`;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--require', blocker, '--input-type=module', '--eval', script],
        { cwd: workDir, timeout: 60_000 },
      );
      const output = JSON.parse(stdout.trim().split('\n').at(-1)!) as { text: string; model: string };
      expect(output.model).toBe('vie 4.0.0');
      expect(output.text).toContain('Nguyễn');
      expect(await readdir(workDir)).toEqual(expect.arrayContaining(['vie.traineddata']));
      expect((await stat(path.join(workDir, 'vie.traineddata'))).size).toBe('not a model'.length);
      expect(existsSync(path.join(process.cwd(), 'vie.traineddata'))).toBe(false);
    });
  });
});
