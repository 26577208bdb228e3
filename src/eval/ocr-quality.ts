import { mapLineBoxToClean } from '../imaging/transform.ts';
import type { Corpus } from './corpus.ts';
import { confidenceBands, judgeOcrWords, pageCharacterErrors } from './metrics/lines.ts';
import { ratio } from './metrics/counts.ts';
import { pageKey, truthPageKeys, withSameFiles, type CorpusRun, type OcrText } from './run.ts';

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

/** CER of a group of pages, cleaned and (when measured) uncleaned. */
export interface CerGroup {
  cer: number | null;
  cerRawImage: number | null;
  pages: number;
}

/** A scan's resolution band (the truth page's dpi, else the manifest book's): the typed target is at ≥ 300 dpi. */
export type DpiBand = '>=300' | '<300' | 'unknown';
export const dpiBand = (dpi: number | undefined): DpiBand => (typeof dpi !== 'number' || !(dpi > 0) ? 'unknown' : dpi >= 300 ? '>=300' : '<300');

export interface OcrQuality {
  cer: number | null;
  cerRawImage: number | null;
  wer: number | null;
  byEra: Record<string, CerGroup>;
  byRegisterType: Record<string, CerGroup>;
  /**
   * By how the book's values were entered (the manifest's `fill`: printed, typed, hand; `unknown` where it does
   * not say), each split by resolution band: an era's CER mixes its fills (1999–2005 holds typed and hand-written
   * books), so a target on typed or printed text is read here. A book's pages also hold the form's printed text
   * and any hand-written margin note: the figure is the book's, not the fill's lines alone.
   */
  byFill: Record<string, CerGroup & { byDpi: Partial<Record<DpiBand, CerGroup>> }>;
  /** The same per era: `byEraFill[era][fill]`. */
  byEraFill: Record<string, Record<string, CerGroup & { byDpi: Partial<Record<DpiBand, CerGroup>> }>>;
  byDpi: Partial<Record<DpiBand, CerGroup>>;
  confidenceBands: Array<{ from: number; to: number; words: number; errorRate: number | null }>;
  /** Delivered images the scan quality gate sent back (never read: their truth counts as deleted) or found blank. */
  gate: { needsRescan: number; blank: number; reasons: Record<string, number> };
}

/** Reads an original (uncleaned) page image with the same OCR engine and settings. */
export type ReadRawPage = (originalSha256: string) => Promise<{ words: OcrText[] }>;

/**
 * CER and WER of the pipeline's OCR against the truth lines, per era and overall, and the same
 * engine on the uncleaned images (`cerRawImage`; the gain from cleanup is cerRawImage / cer).
 * Pages the pipeline did not read count their whole truth as deleted; a file delivered twice is judged on its
 * first copy's reading (`withSameFiles`).
 */
export async function measureOcr(corpus: Corpus, run: CorpusRun, readRaw: ReadRawPage | null, onPage: () => void = () => {}): Promise<OcrQuality> {
  const total = emptyTally();
  const totalRaw = emptyTally();
  const eras = new Map<string, { clean: Tally; raw: Tally; pages: number }>();
  const types = new Map<string, { clean: Tally; raw: Tally; pages: number }>();
  /** Keyed `era|fill|band`; every other grouping by fill or band is summed from these. */
  const cells = new Map<string, { clean: Tally; raw: Tally; pages: number }>();
  const judged: Array<{ confidence: number; correct: boolean }> = [];
  const gate: OcrQuality['gate'] = { needsRescan: 0, blank: 0, reasons: {} };
  const pages = withSameFiles(run);

  for (const { book, truth } of corpus.books) {
    // Two facing pages delivered as one image are two truth pages on the same file page: judged each on its
    // own page row when the pipeline split the image, together on the image's row when it did not.
    const keys = truthPageKeys(truth.pages, pages);
    const read = new Map<string, typeof truth.pages>();
    for (const page of truth.pages) read.set(keys.get(page)!, [...(read.get(keys.get(page)!) ?? []), page]);
    // The raw image is read whole, so its words are judged against every truth line of the image, once.
    const rawJudged = new Set<string>();
    for (const [key, truthPages] of read) {
      const truthLines = truthPages.flatMap((page) => page.lines);
      const processed = pages.get(key);
      const image = pageKey(truthPages[0]!.file, truthPages[0]!.filePage);
      const imageLines = truth.pages.filter((page) => pageKey(page.file, page.filePage) === image).flatMap((page) => page.lines);
      // the gate's verdicts are on the images it judged: a file delivered twice was judged once
      const judgedHere = run.pages.has(key);
      if (judgedHere && processed?.status === 'blank') gate.blank += 1;
      if (judgedHere && processed?.status === 'needs_rescan') {
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
      const dpi = truthPages[0]!.dpi;
      const cell = `${book.era}|${book.fill ?? 'unknown'}|${dpiBand(dpi)}`;
      for (const [groups, key] of [[eras, book.era], [types, book.registerType], [cells, cell]] as const) {
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
    ...byFillAndDpi(cells, readRaw !== null),
    confidenceBands: confidenceBands(judged),
    gate,
  };
}

type Group = { clean: Tally; raw: Tally; pages: number };

function summarise(groups: Map<string, Group>, withRaw: boolean): Record<string, CerGroup> {
  return Object.fromEntries([...groups].map(([key, t]) => [key, cerOf(t, withRaw)]));
}

const cerOf = (t: Group, withRaw: boolean): CerGroup => ({ cer: ratio(t.clean.errors, t.clean.length), cerRawImage: withRaw ? ratio(t.raw.errors, t.raw.length) : null, pages: t.pages });

/** Sums the `era|fill|band` cells into the by-fill, by-era-and-fill and by-band groupings. */
function byFillAndDpi(cells: Map<string, Group>, withRaw: boolean): Pick<OcrQuality, 'byFill' | 'byEraFill' | 'byDpi'> {
  const sum = (match: (era: string, fill: string, band: string) => boolean): Group => {
    const into: Group = { clean: emptyTally(), raw: emptyTally(), pages: 0 };
    for (const [key, cell] of cells) {
      const [era, fill, band] = key.split('|') as [string, string, string];
      if (!match(era, fill, band)) continue;
      add(into.clean, cell.clean);
      add(into.raw, cell.raw);
      into.pages += cell.pages;
    }
    return into;
  };
  const parts = [...cells.keys()].map((key) => key.split('|') as [string, string, DpiBand]);
  const eras = [...new Set(parts.map(([era]) => era))];
  const fills = [...new Set(parts.map(([, fill]) => fill))];
  const bands = [...new Set(parts.map(([, , band]) => band))].sort();
  const withBands = (era: string | null, fill: string) => ({
    ...cerOf(sum((e, f) => (era === null || e === era) && f === fill), withRaw),
    byDpi: Object.fromEntries(bands.filter((b) => parts.some(([e, f, band]) => (era === null || e === era) && f === fill && band === b))
      .map((b) => [b, cerOf(sum((e, f, band) => (era === null || e === era) && f === fill && band === b), withRaw)])),
  });
  return {
    byFill: Object.fromEntries(fills.map((fill) => [fill, withBands(null, fill)])),
    byEraFill: Object.fromEntries(eras.map((era) => [era, Object.fromEntries(fills.filter((fill) => parts.some(([e, f]) => e === era && f === fill)).map((fill) => [fill, withBands(era, fill)]))])),
    byDpi: Object.fromEntries(bands.map((b) => [b, cerOf(sum((_e, _f, band) => band === b), withRaw)])),
  };
}
