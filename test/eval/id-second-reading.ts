// ID numbers of a stored run (`civreg eval --entries-out`) read a second time, figures only, from their crop of the
// clean page: what a digits-only reading (src/extract/id-reading.ts) says of the IDs held for `lonely_digit` alone and
// of every ID word OCR misread. Reads each page holding an ID of a printed or typed book again (clean, OCR as the
// pipeline does: a ruled table by columns, the face's 1 and the glyph marks of `readFigures`) and keeps its OCR in
// CACHE_DIR (reading needs the CPU lock; later runs read the cache only). The ID's words are found on the page by its
// raw text. Prints one line per value or misread word (synthetic data only) and counts.
//   node test/eval/id-second-reading.ts CORPUS_DIR ENTRIES.json CACHE_DIR   (CACHE_ONLY=1: pages not read yet are left out)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { fieldKind } from '../../src/extract/values.ts';
import { idReadingImage, idCrop } from '../../src/extract/id-reading.ts';
import { cleanPage } from '../../src/imaging/clean.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { expandInputs } from '../../src/ingest/receive.ts';
import { recognizeByColumns } from '../../src/ocr/columns.ts';
import { readFigures } from '../../src/ocr/face-ones.ts';
import { createOcrPool, type OcrPool } from '../../src/ocr/pool.ts';
import type { OcrResult } from '../../src/ocr/types.ts';
import type { OcrWord, PixelBox } from '../../src/ocr/words.ts';

const [dir, entriesFile, cache] = process.argv.slice(2);
if (!dir || !entriesFile || !cache) throw new Error('usage: id-second-reading.ts CORPUS_DIR ENTRIES.json CACHE_DIR');
mkdirSync(cache, { recursive: true });
const corpus = await loadCorpus(dir);
const stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as (StoredEntry & { page: number })[];
// hand-filled books only with HAND=1 (the pipeline reads again only values not told hand-written)
const books = corpus.books.filter(({ book }) => book.fill !== 'hand' || process.env.HAND === '1');
const paired = pairEntries(books.map(({ book, truth }) => ({ id: book.id, truth })), stored);

interface Wanted { name: string; raw: string; value: string; right: boolean; status: string; reasons: string }
const counts = new Map<string, number>();
const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
let page: OcrPool | null = null;
let digitsPool: OcrPool | null = null;
let secondReads = 0;
let secondMs = 0;
try {
  for (const { book, truth } of books) {
    const wanted = new Map<number, Wanted[]>();
    const truthIds = new Map<number, string[]>();
    for (const entry of truth.entries) {
      const machine = paired.get(`${book.id}/${entry.year}/${entry.entryNo}`)?.machine as (StoredEntry & { page: number }) | undefined;
      if (!machine || entry.struck) continue;
      for (const [name, t] of Object.entries(entry.fields)) if (fieldKind(name) === 'idNumber' && t.value) truthIds.set(machine.page, [...(truthIds.get(machine.page) ?? []), t.value.replace(/\D/g, '')]);
      for (const [name, field] of Object.entries(machine.fields)) {
        if (fieldKind(name) !== 'idNumber' || !field.value) continue;
        const reasons = (field.reasons ?? []).slice().sort().join('+');
        const right = sameFieldValue(name, field.value, entry.fields[name]?.value ?? '');
        if (field.status === 'auto_accepted' && right) continue;
        const list = wanted.get(machine.page) ?? [];
        list.push({ name, raw: field.raw ?? '', value: field.value, right, status: field.status === 'auto_accepted' ? 'accepted' : 'held', reasons });
        wanted.set(machine.page, list);
      }
    }
    let pageNo = 0;
    for (const file of await expandInputs(book.files.map((f) => join(dir, f)))) {
      const decoded = await decodeUpload(await readFile(file), file, DEFAULT_LIMITS);
      if (!decoded.ok) continue;
      for await (const outcome of decoded.pages()) {
        const no = pageNo++;
        const here = wanted.get(no) ?? [];
        const ids = truthIds.get(no) ?? [];
        const base = join(cache, `${book.id}-${no}`);
        // only pages holding an ID not accepted right (ALL=1: every page with an ID, for the misread words)
        if (!outcome.ok || (here.length === 0 && (process.env.ALL !== '1' || ids.length === 0))) continue;
        if (!existsSync(`${base}.json`) && process.env.CACHE_ONLY === '1') continue;
        if (!existsSync(`${base}.json`)) {
          const clean = (await cleanPage(outcome.page.image)).pages[0]!;
          page ??= await createOcrPool({ size: 1, pageTimeoutMs: 180_000, recycleAfterPages: 50, model: 'best_int' });
          const read = clean.table ? await recognizeByColumns(page, clean.image, clean.table) : await page.recognize(clean.image);
          writeFileSync(`${base}.png`, clean.image);
          writeFileSync(`${base}.json`, JSON.stringify({ text: read.text, words: read.words, lines: read.lines, digits: read.digits }));
        }
        const png = readFileSync(`${base}.png`);
        const read = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Pick<OcrResult, 'text' | 'words' | 'lines' | 'digits'>;
        const { words } = await readFigures(png, read);
        const second = async (box: PixelBox) => {
          const crop = await idCrop(png, box);
          if (!crop) return { text: '', confidence: 0 };
          digitsPool ??= await createOcrPool({ size: 1, pageTimeoutMs: 60_000, recycleAfterPages: 500, model: 'best_int', psm: 7 });
          const started = Date.now();
          const { words: got } = await digitsPool.recognize(await idReadingImage(crop), { figures: true });
          secondReads++;
          secondMs += Date.now() - started;
          return { text: got.map((w) => w.text).join(''), confidence: got.length ? Math.min(...got.map((w) => w.confidence)) : 0 };
        };
        // the stored values held (or accepted wrong)
        for (const v of here) {
          const run = wordsOf(words, v.raw);
          if (!run) { add(`${book.fill} ${v.right ? 'right' : 'WRONG'} ${v.status} ${v.reasons}: words not found`); continue; }
          const s = await second(unionBox(run.map((w) => w.box)));
          const agrees = s.text === v.value.replace(/\D/g, '');
          const lonely = run.some((w) => w.lonelyDigit);
          add(`${book.fill} ${v.right ? 'right' : 'WRONG'} ${v.status} ${v.reasons}: second ${agrees ? 'agrees' : 'differs'}`);
          console.log(`  ${book.id}/${no} ${v.right ? 'right' : 'WRONG'} ${v.status} ${v.reasons} ${v.value} second ${s.text} (${s.confidence.toFixed(2)})${lonely ? ' lonely' : ''}`);
        }
        // every word shaped as an ID that is one or two figures off a true ID of the page: OCR's misreads
        for (const w of words) {
          if (!/^\d{9}$|^\d{12}$/.test(w.text)) continue;
          const near = ids.find((t) => t.length === w.text.length && t !== w.text && [...t].filter((c, i) => c !== w.text[i]).length <= 2);
          if (!near || ids.includes(w.text)) continue;
          const s = await second(w.box);
          add(`${book.fill} misread word ${w.lonelyDigit ? 'lonely' : 'not lonely'}${w.doubtfulDigit ? ' doubted' : ''}: second ${s.text === w.text ? 'AGREES with the misreading' : s.text === near ? 'reads the truth' : 'differs'}`);
          console.log(`  ${book.id}/${no} misread ${w.text} truth ${near} second ${s.text} (${s.confidence.toFixed(2)})`);
        }
      }
    }
  }
} finally {
  await page?.close();
  await (digitsPool as OcrPool | null)?.close();
}

/** The run of words that spells `raw` on the page, null when none does. */
function wordsOf(words: readonly OcrWord[], raw: string): OcrWord[] | null {
  const tokens = raw.trim().split(/\s+/);
  for (let i = 0; i + tokens.length <= words.length; i++) {
    const run = words.slice(i, i + tokens.length);
    if (run.map((w) => w.text).join(' ') === tokens.join(' ')) return run;
  }
  return null;
}

function unionBox(boxes: PixelBox[]): PixelBox {
  const left = Math.min(...boxes.map((b) => b[0]));
  const top = Math.min(...boxes.map((b) => b[1]));
  const right = Math.max(...boxes.map((b) => b[0] + b[2]));
  const bottom = Math.max(...boxes.map((b) => b[1] + b[3]));
  return [left, top, right - left, bottom - top];
}

for (const [key, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) console.log(`${String(n).padStart(5)}  ${key}`);
console.log(`second readings: ${secondReads}, ${secondReads ? Math.round(secondMs / secondReads) : 0} ms each`);
