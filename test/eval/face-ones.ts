// How the typewriter face's figure 1 read "4" or "7" (issue 5) looks beside the page's other figures, on the pages
// test/eval/typed-twins.ts read and cached (CACHE_DIR: the clean page and its OCR digits). Each figure of a word
// is given the figure the truth has there when one truth word of the page has the same number of figures and
// differs in at most two (none when two such words disagree there). Prints, per figure read 4 or 7, what it was
// and how alike it is to the page's figures read 1 and to the others read like it, and the counts of relabels,
// doubts and twins that `src/ocr/face-ones.ts` gives, right and wrong.
//   node test/eval/face-ones.ts CORPUS_DIR CACHE_DIR [VERBOSE=1]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { glyphShape, type ReadDigit } from '../../src/ocr/glyphs.ts';
import { faceOnes } from '../../src/ocr/face-ones.ts';

const [dir, cache] = process.argv.slice(2);
if (!dir || !cache) throw new Error('usage: face-ones.ts CORPUS_DIR CACHE_DIR');
const verbose = process.env.VERBOSE === '1';
const corpus = await loadCorpus(dir);
interface Cached { texts: string[]; digits: ReadDigit[] }
const figures = (s: string) => s.replace(/\D/g, '');

/** The truth's figure for each digit of the page (by index into `digits`), or null when unknown. */
function truthFigures(texts: string[], digits: ReadDigit[], truthTokens: string[]): (string | null)[] {
  const byWord = new Map<number, number[]>();
  digits.forEach((d, i) => byWord.set(d.word, [...(byWord.get(d.word) ?? []), i]));
  const out: (string | null)[] = digits.map(() => null);
  for (const [w, idx] of byWord) {
    const read = figures(texts[w] ?? '');
    if (read.length !== idx.length || read.length < 2) continue;
    let best = Infinity;
    let picks: string[] = [];
    for (const t of truthTokens) {
      if (t.length !== read.length) continue;
      const diff = [...t].filter((c, k) => c !== read[k]).length;
      if (diff < best) [best, picks] = [diff, [t]];
      else if (diff === best) picks.push(t);
    }
    if (best > 2 || best * 2 >= read.length) continue;
    idx.forEach((i, k) => {
      const chars = new Set(picks.map((p) => p[k]!));
      out[i] = chars.size === 1 ? [...chars][0]! : null;
    });
  }
  return out;
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, k) => s + v * b[k]!, 0);
const tally = new Map<string, number>();
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
for (const { book, truth } of corpus.books) {
  for (const page of truth.pages) {
    const base = join(cache, `${book.id}-${page.index}`);
    if (!existsSync(`${base}.json`)) continue;
    const { texts, digits } = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Cached;
    const { data, info } = await sharp(readFileSync(`${base}.png`)).greyscale().raw().toBuffer({ resolveWithObject: true });
    const grey = { data, width: info.width, height: info.height };
    const tokens = page.lines.flatMap((l) => l.text.split(/\s+/)).map(figures).filter((t) => t.length >= 2);
    const truthOf = truthFigures(texts, digits, tokens);
    const shapes = digits.map((d) => glyphShape(grey, d.box));
    const result = faceOnes(grey, digits, texts);
    for (const [i, d] of digits.entries()) {
      const t = truthOf[i];
      if (t === null || t === undefined) {
        if (result.relabel.has(i)) count(`relabelled ${d.digit}→1, truth unknown: ${book.id}-${page.index} "${texts[d.word]}"`);
        if (result.doubted.has(i)) count(`doubted ${d.digit}, truth unknown: ${book.id}-${page.index} "${texts[d.word]}"`);
        continue;
      }
      if (d.digit !== t) count(`misread ${t}→${d.digit}`);
      const now = result.relabel.get(i);
      if (now !== undefined) count(`relabelled ${d.digit}→${now}: ${now === t ? 'right' : `WRONG (was ${t})`}`);
      if (result.doubted.has(i)) count(`doubted ${d.digit}: ${d.digit === t ? 'read right' : `misread ${t}`}`);
      if (d.digit !== t && now === undefined && !result.doubted.has(i)) count(`misread ${t}→${d.digit} left as read`);
      if (!verbose || !'47'.includes(d.digit) || !shapes[i]) continue;
      const best = (digit: string) => Math.max(-1, ...digits.flatMap((e, j) => (j !== i && e.digit === digit && shapes[j] ? [dot(shapes[i]!, shapes[j]!)] : [])));
      console.log(`${book.id}-${page.index} "${texts[d.word]}" ${d.digit} truth ${t} h${d.box[3]} best-1 ${best('1').toFixed(2)} best-${d.digit} ${best(d.digit).toFixed(2)}${result.scores.has(i) ? ` like-face-1 ${result.scores.get(i)![0].toFixed(2)} like-own ${result.scores.get(i)![1].toFixed(2)}` : ''}${now ? ` → ${now}` : ''}${result.doubted.has(i) ? ' doubted' : ''}`);
    }
  }
}
for (const [k, v] of [...tally].sort()) console.log(`${k}: ${v}`);
