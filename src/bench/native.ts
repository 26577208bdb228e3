import { execFile, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { traineddataDir } from '../ocr/pool.ts';
import type { OcrModel } from '../ocr/types.ts';

export interface NativeTesseract {
  version: string;
  /**
   * Reads one page with the same traineddata, --oem 1 and the same --psm, single-threaded, writing
   * words with boxes and confidences (TSV) as the pipeline asks tesseract.js to; returns ms.
   */
  read(image: Buffer): Promise<number>;
  close(): Promise<void>;
}

/**
 * The Tesseract command-line program (Debian `tesseract-ocr`) set up with civreg's own traineddata
 * from node_modules, for a fair side-by-side speed comparison. Null when it is not installed.
 */
export async function openNativeTesseract(model: OcrModel, psm: number): Promise<NativeTesseract | null> {
  const probe = spawnSync('tesseract', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return null;
  const dir = await mkdtemp(join(tmpdir(), 'civreg-tessdata-'));
  await pipeline(createReadStream(join(traineddataDir(model), 'vie.traineddata.gz')), createGunzip(), createWriteStream(join(dir, 'vie.traineddata')));
  const run = promisify(execFile);
  let n = 0;
  return {
    version: (probe.stdout || probe.stderr).split('\n')[0]!.trim(),
    async read(image) {
      const input = join(dir, `page-${n++}.png`);
      await writeFile(input, image);
      const started = performance.now();
      await run('tesseract', [input, 'stdout', '--tessdata-dir', dir, '-l', 'vie', '--oem', '1', '--psm', String(psm), 'tsv'], {
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        maxBuffer: 64 * 1024 * 1024,
      });
      return performance.now() - started;
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
