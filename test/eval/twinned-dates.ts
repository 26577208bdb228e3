// Typed dates to the day of a stored run (`civreg eval --entries-out`) beside what the second reading's twinned-date
// rule looks at (src/extract/second-reading.ts `twinnedDayDate`): the page's trust (`pageTrust`) and whether each
// figure of the date was compared and twinned (`twinnedDigits`, src/ocr/glyphs.ts). Reads each page holding such a
// date again (clean, OCR as the pipeline does: a ruled table by columns, the face's 1 and the glyph marks of
// `readFigures`) and keeps its OCR in CACHE_DIR (reading needs the CPU lock; later runs read the cache only). The date's
// words are found on the page by its raw text. Prints, for dates accepted at 0.995 with no reason (the rule's reach and
// what else confirms a date so) and for the others, right and wrong by page trust and twins.
// ID numbers the same way (the rule does not take them).
//   node test/eval/twinned-dates.ts CORPUS_DIR ENTRIES.json CACHE_DIR [fill]   (CACHE_ONLY=1: pages not read yet are left out)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { pageTrust } from '../../src/extract/extract.ts';
import { TWINNED_DATE_TRUST } from '../../src/extract/second-reading.ts';
import { fieldKind } from '../../src/extract/values.ts';
import { cleanPage } from '../../src/imaging/clean.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { expandInputs } from '../../src/ingest/receive.ts';
import { recognizeByColumns } from '../../src/ocr/columns.ts';
import { readFigures } from '../../src/ocr/face-ones.ts';
import { createOcrPool, type OcrPool } from '../../src/ocr/pool.ts';
import type { OcrResult } from '../../src/ocr/types.ts';
import type { OcrWord } from '../../src/ocr/words.ts';

const [dir, entriesFile, cache, fill = 'typed'] = process.argv.slice(2);
if (!dir || !entriesFile || !cache) throw new Error('usage: twinned-dates.ts CORPUS_DIR ENTRIES.json CACHE_DIR [fill]');
mkdirSync(cache, { recursive: true });
const corpus = await loadCorpus(dir);
const stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as StoredEntry[];
const books = corpus.books.filter(({ book }) => book.fill === fill);
const paired = pairEntries(books.map(({ book, truth }) => ({ id: book.id, truth })), stored);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface Row { kind: string; status: string; accepted: boolean; right: boolean; trust: number; twinned: boolean | null; value: string }
const rows: Row[] = [];
let pool: OcrPool | null = null;
try {
  for (const { book, truth } of books) {
    // the stored entries' dates to the day, by page, each with whether it is right
    const dates = new Map<number, { kind: string; raw: string; value: string; accepted: boolean; right: boolean; status: string }[]>();
    for (const entry of truth.entries) {
      const machine = paired.get(`${book.id}/${entry.year}/${entry.entryNo}`)?.machine as (StoredEntry & { page: number }) | undefined;
      if (!machine || entry.struck) continue;
      for (const [name, field] of Object.entries(machine.fields)) {
        const kind = fieldKind(name);
        if (!(kind === 'date' && DAY.test(field.value ?? '')) && !(kind === 'idNumber' && field.value)) continue;
        const accepted = field.status === 'auto_accepted' && (field.reasons ?? []).length === 0 && field.confidence === 0.995;
        const list = dates.get(machine.page) ?? [];
        const status = field.status === 'auto_accepted' ? 'accepted' : `held: ${(field.reasons ?? []).join('+')}`;
        list.push({ kind, status, raw: field.raw ?? '', value: field.value!, accepted, right: sameFieldValue(name, field.value, entry.fields[name]?.value ?? '') });
        dates.set(machine.page, list);
      }
    }
    let pageNo = 0;
    for (const file of await expandInputs(book.files.map((f) => join(dir, f)))) {
      const decoded = await decodeUpload(await readFile(file), file, DEFAULT_LIMITS);
      if (!decoded.ok) continue;
      for await (const outcome of decoded.pages()) {
        const here = dates.get(pageNo);
        const base = join(cache, `${book.id}-${pageNo++}`);
        if (!outcome.ok || !here) continue;
        if (!existsSync(`${base}.json`) && process.env.CACHE_ONLY === '1') continue;
        if (!existsSync(`${base}.json`)) {
          const clean = (await cleanPage(outcome.page.image)).pages[0]!;
          pool ??= await createOcrPool({ size: 1, pageTimeoutMs: 120_000, recycleAfterPages: 50, model: 'best_int' });
          const read = clean.table ? await recognizeByColumns(pool, clean.image, clean.table) : await pool.recognize(clean.image);
          writeFileSync(`${base}.png`, clean.image);
          writeFileSync(`${base}.json`, JSON.stringify({ text: read.text, words: read.words, lines: read.lines, digits: read.digits }));
        }
        const read = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Pick<OcrResult, 'text' | 'words' | 'lines' | 'digits'>;
        const { words } = await readFigures(readFileSync(`${base}.png`), read);
        const trust = pageTrust(words);
        for (const date of here) rows.push({ kind: date.kind, status: date.status, accepted: date.accepted, right: date.right, trust, twinned: twinnedOn(words, date.raw), value: date.value });
      }
    }
  }
} finally {
  await pool?.close();
}

/** Whether the words that spell `raw` on the page all have their figures twinned (null: not found on the page). */
function twinnedOn(words: readonly OcrWord[], raw: string): boolean | null {
  const tokens = raw.trim().split(/\s+/);
  for (let i = 0; i + tokens.length <= words.length; i++) {
    const run = words.slice(i, i + tokens.length);
    if (run.map((w) => w.text).join(' ') !== tokens.join(' ')) continue;
    const figured = run.filter((w) => /\d/.test(w.text));
    const twinned = figured.every((w) => w.twinnedDigits && !w.doubtfulDigit);
    // LIST=1: why a date's figures are not vouched for (synthetic data only)
    if (!twinned && process.env.LIST === '1') console.log(`  not twinned: ${raw} ${figured.map((w) => `${w.text}${w.lonelyDigit ? ' lonely' : ''}${w.lonelyAligned ? ' unaligned' : ''}${w.doubtfulDigit ? ' doubted' : ''}`).join(', ')}`);
    return twinned;
  }
  return null;
}

const band = (t: number) => (t < 0.5 ? '<0.5' : t >= 1 ? '1' : `${Math.floor(t * 10) / 10}`);
for (const [kind, accepted] of [['date', true], ['date', false], ['idNumber', true], ['idNumber', false]] as const) {
  const of = rows.filter((r) => r.accepted === accepted && r.kind === kind);
  console.log(`${accepted ? 'accepted at 0.995, no reason' : 'any other'}: ${of.length} ${kind === 'date' ? 'dates to the day' : 'ID numbers'} (${of.filter((r) => !r.right).length} wrong)`);
  const counts = new Map<string, number>();
  for (const r of of) {
    const key = `trust ${band(r.trust).padEnd(4)} ${r.twinned === null ? 'words not found' : r.twinned ? 'twinned' : 'not twinned'} ${r.right ? 'right' : 'WRONG'}${accepted ? '' : ` (${r.status})`}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of [...counts].sort()) console.log(`${String(n).padStart(6)}  ${key}`);
  if (accepted && kind === 'date') {
    const held = of.filter((r) => r.twinned === false || r.trust < TWINNED_DATE_TRUST);
    console.log(`  held by the rule's conditions (twinned, trust ≥ ${TWINNED_DATE_TRUST}) if confirmed by it: ${held.filter((r) => r.right).length} right, ${held.filter((r) => !r.right).length} wrong; least trust of a right one ${Math.min(...of.filter((r) => r.right).map((r) => r.trust)).toFixed(2)}`);
  }
}
