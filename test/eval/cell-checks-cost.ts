// What the page checks of ruled cells held back (src/extract/cell-checks.ts), right and wrong, from an eval run with
// CIVREG_TRACE_CELL_CHECKS=FILE: each held value is looked up in the corpus's truth by its entry's year and number
// and its field (an entry number read wrong, or one two books share, counts as not found or as either book's).
// Run: node test/eval/cell-checks-cost.ts CORPUS_DIR TRACE_FILE
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { sameFieldValue } from '../../src/eval/metrics/extraction.ts';

const [dir, traceFile] = process.argv.slice(2);
if (!dir || !traceFile) throw new Error('usage: cell-checks-cost.ts CORPUS_DIR TRACE_FILE');
const corpus = await loadCorpus(dir);
const truth = new Map<string, string[]>();
for (const { truth: book } of corpus.books) for (const entry of book.entries) {
  for (const [name, t] of Object.entries(entry.fields)) {
    const key = `${entry.year}/${entry.entryNo}/${name}`;
    truth.set(key, [...(truth.get(key) ?? []), t.value]);
  }
}
const count = new Map<string, number>();
const lines = readFileSync(traceFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { check: string; year: number; entryNo: number; field: string; value: string });
for (const held of lines) {
  const values = truth.get(`${held.year}/${held.entryNo}/${held.field}`);
  const verdict = !values ? 'not found' : values.some((v) => sameFieldValue(held.field, held.value, v)) ? 'right' : 'wrong';
  count.set(`${held.check}\t${verdict}`, (count.get(`${held.check}\t${verdict}`) ?? 0) + 1);
  if (verdict === 'wrong') console.log(`${held.check}\t${held.field}\t${held.value}\t(truth ${values!.join(' | ')})`);
}
for (const [key, n] of [...count].sort()) console.log(`${String(n).padStart(5)}  ${key}`);
