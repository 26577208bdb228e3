import { mapLineBoxToClean } from '../imaging/transform.ts';
import type { Corpus } from './corpus.ts';
import { confidenceBands, judgeOcrWords, pageCharacterErrors } from './metrics/lines.ts';
import { ratio } from './metrics/counts.ts';
import { pageKey, truthPageKeys, type CorpusRun, type OcrText } from './run.ts';

interface Tally {
  errors: number;
  length: number;
  wordErrors: number;
  words: number;
}

const emptyTally = (): Tally => ({ errors: 0, length: 0, wordErrors: 0, words: 0 });
const add = (into: Tally, more: Tally) => {
  into.errors += more.errors;
  into.length += more.length;
  into.wordErrors += more.wordErrors;
  into.words += more.words;
};

export interface OcrQuality {
  cer: number | null;
  cerRawImage: number | null;
  wer: number | null;
  byEra: Record<string, { cer: number | null; cerRawImage: number | null; pages: number }>;
  byRegisterType: Record<string, { cer: number | null; cerRawImage: number | null; pages: number }>;
  confidenceBands: Array<{ from: number; to: number; words: number; errorRate: number | null }>;
  /** Delivered images the scan quality gate sent back (never read: their truth counts as deleted) or found blank. */
  gate: { needsRescan: number; blank: number; reasons: Record<string, number> };
}

/** Reads an original (uncleaned) page image with the same OCR engine and settings. */
export type ReadRawPage = (originalSha256: string) => Promise<{ words: OcrText[] }>;

/**
 * CER and WER of the pipeline's OCR against the truth lines, per era and overall, and the same
 * engine on the uncleaned images (`cerRawImage`; the gain from cleanup is cerRawImage / cer).
 * Pages the pipeline did not read count their whole truth as deleted.
 */
export async function measureOcr(corpus: Corpus, run: CorpusRun, readRaw: ReadRawPage | null, onPage: () => void = () => {}): Promise<OcrQuality> {
  const total = emptyTally();
  const totalRaw = emptyTally();
  const eras = new Map<string, { clean: Tally; raw: Tally; pages: number }>();
  const types = new Map<string, { clean: Tally; raw: Tally; pages: number }>();
  const judged: Array<{ confidence: number; correct: boolean }> = [];
  const gate: OcrQuality['gate'] = { needsRescan: 0, blank: 0, reasons: {} };

  for (const { book, truth } of corpus.books) {
    // Two facing pages delivered as one image are two truth pages on the same file page: judged each on its
    // own page row when the pipeline split the image, together on the image's row when it did not.
    const keys = truthPageKeys(truth.pages, run.pages);
    const read = new Map<string, typeof truth.pages>();
    for (const page of truth.pages) read.set(keys.get(page)!, [...(read.get(keys.get(page)!) ?? []), page]);
    // The raw image is read whole, so its words are judged against every truth line of the image, once.
    const rawJudged = new Set<string>();
    for (const [key, truthPages] of read) {
      const truthLines = truthPages.flatMap((page) => page.lines);
      const processed = run.pages.get(key);
      const image = pageKey(truthPages[0]!.file, truthPages[0]!.filePage);
      const imageLines = truth.pages.filter((page) => pageKey(page.file, page.filePage) === image).flatMap((page) => page.lines);
      if (processed?.status === 'blank') gate.blank += 1;
      if (processed?.status === 'needs_rescan') {
        gate.needsRescan += 1;
        if (processed.reason) gate.reasons[processed.reason] = (gate.reasons[processed.reason] ?? 0) + 1;
      }
      // Words, not OCR lines: tesseract may merge a table row's cells into one line (counted twice
      // against the cells' truth lines) or split one; words are placed on their truth line singly.
      // The pipeline's words are judged on the clean page, the truth boxes mapped onto it, so that words of a
      // page turned upright are placed along their line in reading order. A truth box of a skewed scan is the
      // bounding box of its slanted line, so it is mapped straight (mapLineBoxToClean), not grown a second time.
      const frame = processed?.cleanFrame;
      const cleanTruth = frame ? truthLines.map((line) => ({ ...line, box: mapLineBoxToClean(line.box, frame.transform, frame.size) })) : truthLines;
      const cleanWords = frame ? frame.words : processed?.ocr?.words ?? [];
      const clean = pageCharacterErrors(cleanTruth, cleanWords);
      const raw = readRaw && processed?.originalSha256 && !rawJudged.has(image) ? pageCharacterErrors(imageLines, (await readRaw(processed.originalSha256)).words) : null;
      rawJudged.add(image);
      add(total, clean);
      if (raw) add(totalRaw, raw);
      for (const [groups, key] of [[eras, book.era], [types, book.registerType]] as const) {
        const group = groups.get(key) ?? { clean: emptyTally(), raw: emptyTally(), pages: 0 };
        add(group.clean, clean);
        if (raw) add(group.raw, raw);
        group.pages += 1;
        groups.set(key, group);
      }
      if (processed?.ocr) judged.push(...judgeOcrWords(cleanTruth, cleanWords));
      onPage();
    }
  }
  return {
    cer: ratio(total.errors, total.length),
    cerRawImage: readRaw ? ratio(totalRaw.errors, totalRaw.length) : null,
    wer: ratio(total.wordErrors, total.words),
    byEra: summarise(eras, readRaw !== null),
    byRegisterType: summarise(types, readRaw !== null),
    confidenceBands: confidenceBands(judged),
    gate,
  };
}

function summarise(groups: Map<string, { clean: Tally; raw: Tally; pages: number }>, withRaw: boolean): OcrQuality['byEra'] {
  return Object.fromEntries(
    [...groups].map(([key, t]) => [key, { cer: ratio(t.clean.errors, t.clean.length), cerRawImage: withRaw ? ratio(t.raw.errors, t.raw.length) : null, pages: t.pages }]),
  );
}
