/**
 * Streams the rows of an export file (JSONL, CSV, Excel .xlsx) one at a time, never holding the file in
 * memory, as raw objects for validation. Each row carries its number in the file, for the report.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

export type ImportFormat = 'jsonl' | 'csv' | 'xlsx';

export interface RawRow {
  /** 1-based line (JSONL, CSV record) or sheet row (Excel). */
  row: number;
  /** The row as an object, or the parse failure. */
  value: unknown;
  error?: 'invalid_json';
}

/** The format by file name: exports are named by their program, and content sniffing buys nothing here. */
export function importFormatOf(path: string): ImportFormat | null {
  const ext = extname(path).toLowerCase();
  return ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.csv' ? 'csv' : ext === '.xlsx' ? 'xlsx' : null;
}

/**
 * The rows of `path`. `onBytes` reports how far into the file reading is (JSONL and CSV), for progress.
 * CSV and Excel: the first row names the columns (`id`, `registerType`, `registeredAt`, field keys); a
 * row becomes `{ id, registerType, registeredAt, fields: { other non-empty columns } }`.
 */
export async function* readRows(path: string, format: ImportFormat, onBytes?: (read: number, total: number) => void): AsyncGenerator<RawRow> {
  const total = (await stat(path)).size;
  if (format === 'jsonl') {
    const stream = createReadStream(path, { encoding: 'utf8' });
    let row = 0;
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      row++;
      onBytes?.(stream.bytesRead, total);
      const text = row === 1 ? line.replace(/^\uFEFF/u, '') : line;
      if (!text.trim()) continue;
      try {
        yield { row, value: JSON.parse(text) };
      } catch {
        yield { row, value: null, error: 'invalid_json' };
      }
    }
  } else if (format === 'csv') {
    const stream = createReadStream(path);
    const parser = stream.pipe(parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: false, info: true }));
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      onBytes?.(stream.bytesRead, total);
      yield { row: info.lines, value: fromColumns(record) };
    }
  } else {
    // Styles are read because they are what marks a number cell as a date.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'emit' });
    for await (const sheet of reader) {
      let header: string[] | null = null;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const cells = (row.values as unknown[]).slice(1).map(cellText);
        if (!header) {
          header = cells.map((c) => c.trim());
          continue;
        }
        yield { row: row.number, value: fromColumns(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']))) };
      }
      break; // the first sheet holds the records
    }
  }
}

const TOP_LEVEL = new Set(['id', 'registerType', 'registeredAt']);

function fromColumns(record: Record<string, string>): unknown {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) if (key && !TOP_LEVEL.has(key) && value !== '' && value !== undefined) fields[key] = value;
  return { id: record.id, registerType: record.registerType, ...(record.registeredAt ? { registeredAt: record.registeredAt } : {}), fields };
}

/** A cell as the text a person sees: dates as ISO days, rich text joined, formulas by their result. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: string; result?: unknown };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return String(v.text);
    if (v.result !== undefined) return cellText(v.result);
    return '';
  }
  return String(value);
}
