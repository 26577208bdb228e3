import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  bookTruthSchema,
  existingRecordSchema,
  manifestSchema,
  truthLinksSchema,
  type BookTruth,
  type ExistingRecord,
  type Manifest,
  type ManifestBook,
  type TruthLinks,
} from '../../schemas/corpus.ts';

export interface Corpus {
  dir: string;
  manifest: Manifest;
  books: Array<{ book: ManifestBook; truth: BookTruth }>;
  /** Absent files are empty: a corpus without them simply has no linkage truth. */
  existing: ExistingRecord[];
  links: TruthLinks;
}

export class CorpusError extends Error {
  override name = 'CorpusError';
}

/**
 * Reads and validates a corpus in the EVALUATION.md format: manifest.json, each book's truth.json,
 * and, when present, existing.jsonl and truth-links.json. Any corpus in that shape is accepted,
 * including ones civreg did not generate; every problem names the file and the key.
 */
export async function loadCorpus(dir: string): Promise<Corpus> {
  const manifest = parseJson(manifestSchema, await readText(join(dir, 'manifest.json')), 'manifest.json');
  const books = [];
  for (const book of manifest.books) {
    const path = `${book.id}/truth.json`;
    books.push({ book, truth: parseJson(bookTruthSchema, await readText(join(dir, path)), path) });
  }
  const existingText = await readText(join(dir, 'existing.jsonl'), true);
  const existing = existingText
    .split('\n')
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line !== '')
    .map(({ line, i }) => parseJson(existingRecordSchema, line, `existing.jsonl line ${i + 1}`));
  const linksText = await readText(join(dir, 'truth-links.json'), true);
  const links = linksText ? parseJson(truthLinksSchema, linksText, 'truth-links.json') : { sameEvent: [] };
  return { dir, manifest, books, existing, links };
}

async function readText(path: string, optional = false): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new CorpusError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

function parseJson<T>(schema: z.ZodType<T>, text: string, where: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CorpusError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new CorpusError(`${where} does not match the corpus format:\n  ${issues.join('\n  ')}`);
  }
  return parsed.data;
}
