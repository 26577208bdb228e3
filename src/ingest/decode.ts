/**
 * Turns one uploaded file's bytes into page images. Bad input is always a returned result with a
 * reason code (schemas/reasons.ts), never an exception: the whole file is refused with `ok: false`,
 * or, inside a multi-page file, one page comes back failed while the others go on.
 */
import type { ReasonCode, WarningCode } from '../../schemas/reasons.ts';
import { openArchive } from './archive.ts';
import { openPdf } from './pdf.ts';
import { describeError, type PageResult } from './pixels.ts';
import { openRaster, type RasterKind } from './raster.ts';
import { extensionDisagrees, kindClaimedByName, sniffType, type SupportedKind } from './sniff.ts';
import type { DecodeLimits } from './limits.ts';

export { DEFAULT_LIMITS, type DecodeLimits } from './limits.ts';

export interface DecodedPage {
  /** 0-based position in delivery order within this upload. */
  index: number;
  /** Where it came from, for messages: "trang 3" / zip member name. */
  label: string;
  /** Encoded: the original embedded JPEG bytes when the page is a plain DCT image, else a lossless PNG. */
  image: Buffer;
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  dpi: number;
  dpiEstimated: boolean;
  colourMode: 'bilevel' | 'grey' | 'colour';
  /** Image file / embedded PDF image / rendered PDF page. */
  extraction: 'image' | 'embedded' | 'rendered';
}

export type PageOutcome =
  | { ok: true; page: DecodedPage }
  | { ok: false; index: number; label: string; reason: ReasonCode; detail: string };

export type DecodeResult =
  | { ok: true; kind: SupportedKind; warnings: WarningCode[]; pageCount: number; pages(): AsyncIterable<PageOutcome> }
  | { ok: false; reason: ReasonCode; detail: string };


interface LabelledResult {
  label: string;
  result: PageResult;
}

/**
 * Decodes an uploaded file into page images, read lazily one page at a time.
 *
 * @example
 * const decoded = await decodeUpload(await readFile('so-khai-sinh-1987.pdf'), 'so-khai-sinh-1987.pdf', DEFAULT_LIMITS);
 * if (!decoded.ok) return reject(decoded.reason, decoded.detail);
 * for await (const outcome of decoded.pages()) {
 *   if (outcome.ok) await store(outcome.page);
 *   else await markPageFailed(outcome.index, outcome.reason);
 * }
 */
export async function decodeUpload(bytes: Buffer, fileName: string, limits: DecodeLimits): Promise<DecodeResult> {
  try {
    return await decodeChecked(bytes, fileName, limits);
  } catch (error) {
    return { ok: false, reason: 'corrupt_file', detail: `file could not be decoded: ${describeError(error)}` };
  }
}

async function decodeChecked(bytes: Buffer, fileName: string, limits: DecodeLimits): Promise<DecodeResult> {
  if (bytes.length === 0) return { ok: false, reason: 'empty_file', detail: 'file is 0 bytes' };
  if (bytes.length > limits.maxFileBytes) {
    return { ok: false, reason: 'file_too_large', detail: `file is ${bytes.length} bytes; limit is ${limits.maxFileBytes}` };
  }
  const type = sniffType(bytes);
  if (type.family === 'unknown') {
    // Unrecognisable bytes under a name we support are a damaged file of that kind, not a new format.
    const claimed = kindClaimedByName(fileName);
    return claimed
      ? { ok: false, reason: 'corrupt_file', detail: `content is not a valid ${claimed} file` }
      : { ok: false, reason: 'unsupported_format', detail: 'content matches no supported format' };
  }
  if (type.family !== 'supported') {
    return { ok: false, reason: 'unsupported_format', detail: `${type.kind} files are not supported` };
  }
  const kind = type.kind;
  const warnings: WarningCode[] = extensionDisagrees(fileName, kind) ? ['extension_mismatch'] : [];

  if (kind === 'pdf') {
    const opened = await openPdf(bytes, limits);
    if (!opened.ok) return opened;
    if (opened.file.restricted) warnings.push('pdf_restricted');
    const { file } = opened;
    return success(kind, warnings, file.pageCount, async function* () {
      let pageNumber = 0;
      for await (const result of file.pages()) yield { label: `trang ${++pageNumber}`, result };
    });
  }

  if (kind === 'zip') {
    const opened = await openArchive(bytes, limits);
    if (!opened.ok) return opened;
    const { file } = opened;
    for (const warning of file.warnings) if (!warnings.includes(warning)) warnings.push(warning);
    return success(kind, warnings, file.pageCount, () => file.pages());
  }

  return decodeRaster(bytes, kind, warnings, limits);
}

async function decodeRaster(bytes: Buffer, kind: RasterKind, warnings: WarningCode[], limits: DecodeLimits): Promise<DecodeResult> {
  const opened = await openRaster(bytes, kind, limits);
  if (!opened.ok) return opened;
  const { file } = opened;
  if (file.pageCount === 1) {
    // A file of one page stands or falls with that page: decode it now, so its problem is the file's.
    const only = await file.decodePage(0);
    if (!only.ok) return { ok: false, reason: only.reason, detail: only.detail };
    if (only.image.dpiEstimated) warnings.push('dpi_estimated');
    return success(kind, warnings, 1, async function* () {
      yield { label: 'trang 1', result: only };
    });
  }
  if (file.firstPageDpiEstimated) warnings.push('dpi_estimated');
  return success(kind, warnings, file.pageCount, async function* () {
    for (let i = 0; i < file.pageCount; i++) yield { label: `trang ${i + 1}`, result: await file.decodePage(i) };
  });
}

function success(
  kind: SupportedKind,
  warnings: WarningCode[],
  pageCount: number,
  source: () => AsyncIterable<LabelledResult>,
): DecodeResult {
  return { ok: true, kind, warnings, pageCount, pages: () => numberedOutcomes(source, pageCount) };
}

/**
 * Numbers pages in delivery order and keeps the no-throw promise even if a reader fails
 * unexpectedly: the page being read is reported failed, and so is every page after it, so a
 * consumer always receives `pageCount` outcomes.
 */
async function* numberedOutcomes(source: () => AsyncIterable<LabelledResult>, pageCount: number): AsyncGenerator<PageOutcome> {
  let index = 0;
  try {
    for await (const { label, result } of source()) {
      yield result.ok
        ? { ok: true, page: { index, label, ...result.image } }
        : { ok: false, index, label, reason: result.reason, detail: result.detail };
      index++;
    }
  } catch (error) {
    const detail = `reading stopped unexpectedly: ${describeError(error)}`;
    for (const last = Math.max(pageCount, index + 1); index < last; index++) {
      yield { ok: false, index, label: `trang ${index + 1}`, reason: 'page_unreadable', detail };
    }
  }
}
