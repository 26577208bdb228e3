import { pageJobSchema, type PageJob } from '../../schemas/jobs.ts';
import { getCleanTable, getPage, recordPageResult, savePageOcr } from '../db/pages.ts';
import { isSettled } from '../imaging/stage.ts';
import type { RunContext, Stage } from '../pipeline/stage.ts';
import type { BlobStore } from '../store/blobs.ts';
import { recognizeByColumns } from './columns.ts';
import { readFigures } from './face-ones.ts';
import { readLostLines } from './lost-lines.ts';
import type { OcrPool } from './pool.ts';

export interface OcrDeps extends RunContext {
  blobs: BlobStore;
  ocr: OcrPool;
}

export function describeEngine(info: OcrPool['info']): string {
  return `${info.engine} ${info.engineVersion} ${info.model} psm ${info.psm}`;
}

/**
 * Reads the clean page with tesseract.js (a ruled table column by column, `recognizeByColumns`) and stores its words, lines, boxes and confidences,
 * replacing any earlier OCR of the page. A typewriter face's 1 read 4 or 7 is read 1 (`readFigures`), and words with a
 * digit whose glyph looks like another digit of the page are marked (`markDoubtfulDigits`): extraction sends their fields to a person. A timeout throws (transient): the job is retried.
 */
export const ocrStage: Stage<PageJob, OcrDeps> = {
  name: 'ocr',
  input: pageJobSchema,
  async run({ pageId }, deps) {
    const { sql } = deps;
    const page = await getPage(sql, pageId);
    if (!page || isSettled(page.status) || !page.cleanSha256) return { outcome: 'done', forward: [] };
    const image = await deps.blobs.get(page.cleanSha256);
    // A ruled table (cleanup found its column rules) is read column by column; any other page whole, and the
    // lines its layout analysis left out read again (`readLostLines`).
    const table = await getCleanTable(sql, pageId);
    const result = table ? await recognizeByColumns(deps.ocr, image, table) : await readLostLines(deps.ocr, image, await deps.ocr.recognize(image));
    const { text, words, lines } = await readFigures(image, result);
    const engine = `${describeEngine(deps.ocr.info)}${table ? ' by columns' : ''}`;
    await savePageOcr(sql, pageId, { engine, text, meanConfidence: result.meanConfidence, words, lines });
    await recordPageResult(sql, { pageId, stage: 'ocr', engine, outcome: 'done', producedBy: deps.instance, ms: Math.round(result.ms) });
    return { outcome: 'done', forward: [{ pageId }] };
  },
};
