import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every advisory lock class of the source (`const X_LOCK = n`): two classes that share a number block each other. */
async function lockClasses(dir: string): Promise<Array<{ name: string; value: number; file: string }>> {
  const found: Array<{ name: string; value: number; file: string }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await lockClasses(path)));
    else if (entry.name.endsWith('.ts')) {
      for (const m of (await readFile(path, 'utf8')).matchAll(/const (\w+_LOCK) = ([\d_]+);/g)) found.push({ name: m[1]!, value: Number(m[2]!.replace(/_/g, '')), file: path });
    }
  }
  return found;
}

describe('advisory lock classes', () => {
  it('gives each lock of the source its own class', async () => {
    const classes = await lockClasses('src');
    expect(classes.map((c) => c.name)).toEqual(expect.arrayContaining(['BOOK_CHECK_LOCK', 'CHANGE_LOCK', 'KEYING_LOCK']));
    const shared = classes.filter((c) => classes.some((o) => o !== c && o.value === c.value));
    expect(shared).toEqual([]);
  });
});
