import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../schemas/config.ts';
import { CliError } from '../../src/cli/errors.ts';
import { parseSamplesFlags, runSamples } from '../../src/cli/samples.ts';
import { SANS_FAMILIES, SERIF_FAMILY } from '../../src/samples/fonts.ts';
import { drawLook } from '../../src/samples/looks.ts';
import { Rng } from '../../src/samples/rng.ts';

describe('civreg samples flags', () => {
  it('parses lists, ranges and defaults', () => {
    expect(parseSamplesFlags({ out: '/tmp/x', books: '12', seed: '7', profile: 'hard', eras: '1956-1960,2016-', types: 'birth,death', 'pages-per-book': '2,5' })).toEqual({
      out: '/tmp/x', books: 12, seed: 7, profile: 'hard', eras: ['1956-1960', '2016-'], types: ['birth', 'death'], pagesPerBook: [2, 5],
    });
    expect(parseSamplesFlags({ out: 'rel', 'pages-per-book': '3' })).toMatchObject({ books: 10, seed: 1, profile: 'typical', pagesPerBook: [3, 3] });
    expect(parseSamplesFlags({ out: 'rel', 'facing-pages': '0.5' })).toMatchObject({ facingPages: 0.5 });
    expect(parseSamplesFlags({ out: 'rel', profile: 'clean', faults: 'typical' })).toMatchObject({ profile: 'clean', faults: 'typical' });
    expect(parseSamplesFlags({ out: 'rel', fills: 'typed,printed' })).toMatchObject({ fills: ['typed', 'printed'] });
  });

  it('refuses bad values with bad_arguments, naming every one', () => {
    const bad = () => parseSamplesFlags({ books: '0', seed: 'x', profile: 'medium', eras: '1990', types: 'divorce', 'pages-per-book': '5,2', 'facing-pages': '1.5', faults: 'some', fills: 'ink' });
    expect(bad).toThrow(CliError);
    try {
      bad();
    } catch (error) {
      expect((error as CliError).code).toBe('bad_arguments');
      for (const flag of ['--out', '--books', '--seed', '--profile', '--eras', '--types', '--pages-per-book', '--facing-pages', '--faults', '--fills']) expect((error as Error).message).toContain(flag);
    }
  });

  it('fills the values only as asked: typed books in an era mostly written by hand', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'civreg-cli-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      // 1961–1998 books are filled by hand four times in five: three typed books by chance would be 1 in 125
      await runSamples(parseConfig({}), { out: dir, books: '3', seed: '5', profile: 'clean', 'pages-per-book': '1', eras: '1961-1998', fills: 'typed', json: true });
      const books: { fill?: string }[] = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')).books;
      expect(books.map((b) => b.fill)).toEqual(['typed', 'typed', 'typed']);
    } finally {
      log.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints values by computer in another face than the labels only when asked (printed-sans)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'civreg-cli-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const fillsOf = async (fills?: string) => {
        await rm(dir, { recursive: true, force: true });
        await runSamples(parseConfig({}), { out: dir, books: '4', seed: '9', profile: 'clean', 'pages-per-book': '1', eras: '1999-2005,2006-2015,2016-', ...(fills ? { fills } : {}), json: true });
        return (JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')).books as { fill?: string }[]).map((b) => b.fill);
      };
      expect(await fillsOf('printed-sans')).toEqual(['printed-sans', 'printed-sans', 'printed-sans', 'printed-sans']);
      // asked with another fill, it is drawn as often as that one; by default never
      expect(new Set(await fillsOf('printed,printed-sans,typed,hand')).size).toBeGreaterThan(1);
      expect(await fillsOf()).not.toContain('printed-sans');
      const look = drawLook(new Rng(4), '2006-2015', [['printed-sans', 1]], { valuePt: 12, labelPt: 12 }, false);
      expect(look.value).toMatchObject({ mode: 'print' });
      expect(SANS_FAMILIES).toContain(look.value.family);
      expect(look.printed.label.family).toBe(SERIF_FAMILY);
    } finally {
      log.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes a corpus and prints its summary as JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'civreg-cli-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const code = await runSamples(parseConfig({}), { out: dir, books: '1', seed: '3', profile: 'clean', 'pages-per-book': '1', eras: '2016-', json: true });
      expect(code).toBe(0);
      const summary = JSON.parse(String(log.mock.calls.at(-1)?.[0]));
      expect(summary).toMatchObject({ out: dir, books: 1, pages: 1, profile: 'clean', seed: 3 });
      expect(summary.entries).toBeGreaterThan(0);
      expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')).books).toHaveLength(1);
    } finally {
      log.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
