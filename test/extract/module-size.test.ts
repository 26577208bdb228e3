import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

/** The book checks' modules stay within STYLE.md's ~400 lines: a concern that grows is split off (as the book's years were). */
describe('the book checks’ modules', () => {
  it('are each at most 400 lines', async () => {
    for (const name of ['book-checks', 'numbering', 'book-years', 'registration-pace', 'page-place', 'continued', 'struck-numbers', 'judged-numbers']) {
      const lines = (await readFile(new URL(`../../src/extract/${name}.ts`, import.meta.url), 'utf8')).split('\n').length - 1;
      expect({ name, over: lines > 400 }).toEqual({ name, over: false });
    }
  });
});
