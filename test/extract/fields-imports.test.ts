import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** The files of `node_modules/<pkg>` that importing `module` (a path under src/) loads, counted in a fresh Node. */
async function loadedFilesOf(module: string, pkg: string): Promise<number> {
  const url = new URL(`../../src/${module}`, import.meta.url).href;
  const script = `await import(${JSON.stringify(url)});
    const { createRequire } = await import('node:module');
    const cache = createRequire(import.meta.url).cache;
    console.log(Object.keys(cache).filter((k) => k.includes(${JSON.stringify(`/node_modules/${pkg}/`)})).length);`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)) });
  return Number(stdout.trim());
}

// Parsing a field is string work: it must not load sharp (native image code) through a string check that lives
// beside the second reading (caseInDoubt, now src/extract/letter-case.ts).
describe('field parsing imports', () => {
  it('loads no sharp, while the second reading does', async () => {
    expect(await loadedFilesOf('extract/second-reading.ts', 'sharp')).toBeGreaterThan(0);
    expect(await loadedFilesOf('extract/fields.ts', 'sharp')).toBe(0);
  }, 60_000);
});
