/**
 * Text comparison for OCR metrics (EVALUATION.md §2, CER): NFC text, grapheme clusters as the unit,
 * Levenshtein distance, errors counted against the truth's length as dinglehopper does.
 */

const graphemeSegmenter = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/**
 * NFC, every run of whitespace (including tabs, newlines, no-break spaces) collapsed to one space,
 * trimmed. Both sides of every comparison go through this, so layout whitespace is never an error.
 *
 * @example
 * normaliseText(' Nguye\u0302\u0303n \t Thị\nHoa '); // 'Nguyễn Thị Hoa' (NFC)
 */
export function normaliseText(s: string): string {
  return s.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * Grapheme clusters of the NFC form of `s`: a letter with its vowel and tone marks is one unit, so a
 * lost tone mark is one substitution whether the input was precomposed or decomposed.
 *
 * @example
 * graphemes('Nguye\u0302\u0303n'); // ['N', 'g', 'u', 'y', 'ễ', 'n']
 */
export function graphemes(s: string): string[] {
  return Array.from(graphemeSegmenter.segment(s.normalize('NFC')), (part) => part.segment);
}

/**
 * Whitespace-separated words of the normalised text; empty text has no words.
 *
 * @example
 * splitWords(' Nguyễn  Thị Hoa '); // ['Nguyễn', 'Thị', 'Hoa']
 */
export function splitWords(s: string): string[] {
  const text = normaliseText(s);
  return text === '' ? [] : text.split(' ');
}

/**
 * Levenshtein distance (unit-cost insert, delete, substitute) between two sequences, units compared
 * with `===`. O(n·m) time; memory is one row over the shorter sequence, after stripping the common
 * prefix and suffix.
 *
 * @example
 * editDistance([...'kitten'], [...'sitting']); // 3
 * editDistance([1, 2, 3], [1, 3]); // 1
 */
export function editDistance<T>(a: readonly T[], b: readonly T[]): number {
  let start = 0;
  let endA = a.length;
  let endB = b.length;
  while (start < endA && start < endB && a[start] === b[start]) start++;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const [long, longStart, longLength, short, shortStart, shortLength] =
    endA - start >= endB - start ? [a, start, endA - start, b, start, endB - start] : [b, start, endB - start, a, start, endA - start];
  if (shortLength === 0) return longLength;

  // row[j] = distance between the first i units of `long` and the first j units of `short`.
  const row = new Uint32Array(shortLength + 1);
  for (let j = 0; j <= shortLength; j++) row[j] = j;
  for (let i = 1; i <= longLength; i++) {
    const unit = long[longStart + i - 1];
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= shortLength; j++) {
      const above = row[j]!;
      const substitute = unit === short[shortStart + j - 1] ? diagonal : diagonal + 1;
      row[j] = Math.min(substitute, above + 1, row[j - 1]! + 1);
      diagonal = above;
    }
  }
  return row[shortLength]!;
}

/**
 * One step of an alignment: `a`/`b` index the two sequences; the side without a unit has no index.
 *
 * @example
 * const step: EditStep = { op: 'delete', a: 1 }; // a[1] has no counterpart in b
 */
export type EditStep =
  | { op: 'match'; a: number; b: number }
  | { op: 'substitute'; a: number; b: number }
  | { op: 'delete'; a: number }
  | { op: 'insert'; b: number };

/**
 * A minimum-cost alignment of `a` (truth) with `b` (OCR), in order. Among alignments of equal cost the
 * one with the most matches is returned, so a swapped pair of words keeps one of them as a match
 * instead of two substitutions; which of several such alignments is returned is otherwise unspecified.
 * O(n·m) time and memory: meant for the words of one line.
 *
 * @example
 * editScript(['Số', '52', 'phố', 'Ngô'], ['Số', 'phố', 'Ngo']);
 * // [{ op: 'match', a: 0, b: 0 }, { op: 'delete', a: 1 }, { op: 'match', a: 2, b: 1 }, { op: 'substitute', a: 3, b: 2 }]
 */
export function editScript<T>(a: readonly T[], b: readonly T[]): EditStep[] {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  // cost[i*width+j] / matches[…]: best (lowest cost, then most matches) alignment of a[0,i) with b[0,j).
  const cost = new Uint32Array((n + 1) * width);
  const matches = new Uint32Array((n + 1) * width);
  for (let i = 0; i <= n; i++) cost[i * width] = i;
  for (let j = 0; j <= m; j++) cost[j] = j;
  const better = (c: number, k: number, bestC: number, bestK: number) => c < bestC || (c === bestC && k > bestK);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const same = a[i - 1] === b[j - 1];
      const d = (i - 1) * width + (j - 1);
      let bestC = cost[d]! + (same ? 0 : 1);
      let bestK = matches[d]! + (same ? 1 : 0);
      const up = (i - 1) * width + j;
      if (better(cost[up]! + 1, matches[up]!, bestC, bestK)) [bestC, bestK] = [cost[up]! + 1, matches[up]!];
      const left = i * width + (j - 1);
      if (better(cost[left]! + 1, matches[left]!, bestC, bestK)) [bestC, bestK] = [cost[left]! + 1, matches[left]!];
      cost[i * width + j] = bestC;
      matches[i * width + j] = bestK;
    }
  }

  const steps: EditStep[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const here = i * width + j;
    if (i > 0 && j > 0) {
      const same = a[i - 1] === b[j - 1];
      const d = (i - 1) * width + (j - 1);
      if (cost[d]! + (same ? 0 : 1) === cost[here]! && matches[d]! + (same ? 1 : 0) === matches[here]!) {
        steps.push(same ? { op: 'match', a: i - 1, b: j - 1 } : { op: 'substitute', a: i - 1, b: j - 1 });
        i--;
        j--;
        continue;
      }
    }
    const up = (i - 1) * width + j;
    if (i > 0 && cost[up]! + 1 === cost[here]! && matches[up]! === matches[here]!) {
      steps.push({ op: 'delete', a: i - 1 });
      i--;
    } else {
      steps.push({ op: 'insert', b: j - 1 });
      j--;
    }
  }
  return steps.reverse();
}

/**
 * Character errors of one text against its truth: `errors` is the grapheme edit distance of the
 * normalised texts (spaces count as units), `length` the truth's grapheme count, so CER =
 * errors / length, as dinglehopper computes it. An empty truth has length 0 and every OCR grapheme
 * is an error.
 *
 * @example
 * characterErrors('Nguyễn', 'Nguyen'); // { errors: 1, length: 6 }
 * characterErrors('', 'abc');          // { errors: 3, length: 0 }
 */
export function characterErrors(truth: string, ocr: string): { errors: number; length: number } {
  const truthUnits = graphemes(normaliseText(truth));
  return { errors: editDistance(truthUnits, graphemes(normaliseText(ocr))), length: truthUnits.length };
}

/**
 * Word errors: edit distance over the whitespace-separated words of the normalised texts, words
 * compared exactly (NFC); `length` is the truth's word count, so WER = errors / length.
 *
 * @example
 * wordErrors('Nguyễn Thị Hoa', 'Nguyen Thị Hoa'); // { errors: 1, length: 3 }
 */
export function wordErrors(truth: string, ocr: string): { errors: number; length: number } {
  const truthWords = splitWords(truth);
  return { errors: editDistance(truthWords, splitWords(ocr)), length: truthWords.length };
}
