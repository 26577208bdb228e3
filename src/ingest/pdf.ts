/**
 * PDF pages with pdfjs: a page that is one scanned image gives that image at its native
 * resolution (the original JPEG bytes when possible); any other page is rendered at `renderDpi`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentLoadingTask, PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/types/src/display/api.js';
import sharp from 'sharp';
import type { ReasonCode } from '../../schemas/reasons.ts';
import { fullPagePlacement, readPageContent, type FullPagePlacement, type Matrix, type PlacedImage } from './pdf-layout.ts';
import { readPdfObjects, type PdfObjects } from './pdf-objects.ts';
import {
  absurdPageSize,
  classifyColour,
  describeError,
  encodeLosslessPage,
  tooManyPixels,
  unpackBilevel,
  type PageResult,
  type RawPixels,
} from './pixels.ts';

export interface PdfLimits {
  maxPixels: number;
  renderDpi: number;
}

export interface PdfFile {
  pageCount: number;
  /** Opened without a password but with owner restrictions (printing, copying…). */
  restricted: boolean;
  /** Reads the pages in order, one at a time; each call opens the document afresh. */
  pages(): AsyncGenerator<PageResult>;
}

export type OpenPdfResult = { ok: true; file: PdfFile } | { ok: false; reason: ReasonCode; detail: string };

const PDFJS_ROOT = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
/** pdfjs in Node reads these with fs and appends file names, so they are paths ending in "/". */
const PDFJS_DATA = {
  wasmUrl: join(PDFJS_ROOT, 'wasm') + '/',
  standardFontDataUrl: join(PDFJS_ROOT, 'standard_fonts') + '/',
  cMapUrl: join(PDFJS_ROOT, 'cmaps') + '/',
  iccUrl: join(PDFJS_ROOT, 'iccs') + '/',
};

/** A PDF's last "%%EOF" must be in its final 1 KiB (readers allow that much trailing junk). */
const EOF_MARKER = Buffer.from('%%EOF', 'latin1');
const EOF_WINDOW = 1024;

let mainThreadWorker: Promise<void> | undefined;

/**
 * Node has no web worker for pdfjs, so pdfjs runs its worker code on the main thread and would
 * load it with a relative dynamic import, which test runners and bundlers break. Handing pdfjs the
 * worker module through `globalThis.pdfjsWorker` (its documented hook) avoids that import.
 */
function useMainThreadWorker(): Promise<void> {
  mainThreadWorker ??= import('pdfjs-dist/legacy/build/pdf.worker.mjs').then((worker) => {
    const target = globalThis as { pdfjsWorker?: unknown };
    target.pdfjsWorker ??= worker;
  });
  return mainThreadWorker;
}

async function loadDocument(bytes: Buffer, maxPixels: number): Promise<{ task: PDFDocumentLoadingTask; doc: PDFDocumentProxy }> {
  await useMainThreadWorker();
  const task = pdfjs.getDocument({
    // pdfjs takes ownership of (and may detach) the buffer it is given: hand it a copy.
    data: new Uint8Array(bytes),
    ...PDFJS_DATA,
    cMapPacked: true,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    useSystemFonts: false,
    useWorkerFetch: false,
    enableXfa: false,
    // Images larger than the page limit are dropped by pdfjs instead of being decoded.
    maxImageSize: maxPixels,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    return { task, doc: await task.promise };
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw error;
  }
}

function isRestricted(permissions: unknown): boolean {
  if (permissions === null || permissions === undefined) return false;
  const granted = permissions instanceof Set ? permissions : new Set(permissions as number[]);
  const { PRINT, COPY, MODIFY_CONTENTS, PRINT_HIGH_QUALITY } = pdfjs.PermissionFlag;
  return [PRINT, COPY, MODIFY_CONTENTS, PRINT_HIGH_QUALITY].some((flag) => !granted.has(flag));
}

/**
 * Checks that a PDF opens and counts its pages. Pages are read later, lazily, by `pages()`.
 *
 * @example
 * const opened = await openPdf(bytes, { maxPixels: 120e6, renderDpi: 300 });
 * if (opened.ok) for await (const page of opened.file.pages()) console.log(page.ok);
 */
export async function openPdf(bytes: Buffer, limits: PdfLimits): Promise<OpenPdfResult> {
  if (!bytes.subarray(Math.max(0, bytes.length - EOF_WINDOW)).includes(EOF_MARKER)) {
    return { ok: false, reason: 'truncated_file', detail: 'PDF has no end-of-file marker; the file was cut off' };
  }
  let pageCount: number;
  let restricted: boolean;
  try {
    const { task, doc } = await loadDocument(bytes, limits.maxPixels);
    try {
      pageCount = doc.numPages;
      restricted = isRestricted(await doc.getPermissions());
    } finally {
      await task.destroy();
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'PasswordException') {
      return { ok: false, reason: 'pdf_encrypted', detail: 'PDF needs a password to open' };
    }
    return { ok: false, reason: 'corrupt_file', detail: `PDF could not be opened: ${describeError(error)}` };
  }
  if (pageCount === 0) {
    return { ok: false, reason: 'pdf_no_pages', detail: 'PDF page tree has no pages' };
  }

  async function* pages(): AsyncGenerator<PageResult> {
    const objects = await readPdfObjects(bytes);
    let opened: { task: PDFDocumentLoadingTask; doc: PDFDocumentProxy } | undefined;
    try {
      opened = await loadDocument(bytes, limits.maxPixels);
    } catch (error) {
      for (let n = 1; n <= pageCount; n++) {
        yield { ok: false, reason: 'page_unreadable', detail: `PDF could not be reopened: ${describeError(error)}` };
      }
      return;
    }
    try {
      const sameTree = objects?.pageCount === pageCount ? objects : undefined;
      for (let n = 1; n <= pageCount; n++) yield await readPage(opened.doc, n, limits, objects, sameTree);
    } finally {
      await opened.task.destroy();
    }
  }

  return { ok: true, file: { pageCount, restricted, pages } };
}

async function readPage(
  doc: PDFDocumentProxy,
  pageNumber: number,
  limits: PdfLimits,
  objects: PdfObjects | undefined,
  objectsWithSamePages: PdfObjects | undefined,
): Promise<PageResult> {
  let page: PDFPageProxy | undefined;
  try {
    page = await doc.getPage(pageNumber);
    const viewport = page.getViewport({ scale: 1 });
    const absurd = absurdPageSize(viewport.width / 72, viewport.height / 72);
    if (absurd) return absurd;
    // pdfjs silently drops an image over maxImageSize; catch it here from its declared size.
    const declared = objectsWithSamePages?.largestImage(pageNumber - 1);
    const oversized = declared && tooManyPixels(declared.width, declared.height, limits.maxPixels);
    if (oversized) return oversized;

    const operators = await page.getOperatorList();
    const content = readPageContent(operators.fnArray, operators.argsArray, pdfjs.OPS);
    const [only] = content.images;
    if (only && content.images.length === 1 && !content.drawsAfterLastImage) {
      const placement = fullPagePlacement(only, viewport.transform as unknown as Matrix, viewport.width, viewport.height);
      if (placement) return await extractImage(page, only, placement, limits, objects);
    }
    return await renderPage(page, limits);
  } catch (error) {
    return { ok: false, reason: 'page_unreadable', detail: `PDF page ${pageNumber} could not be read: ${describeError(error)}` };
  } finally {
    page?.cleanup();
  }
}

/** pdfjs's decoded image: packed 1-bit grey, RGB or RGBA rows. */
interface PdfjsImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8Array | Uint8ClampedArray | null;
  ref?: string | null;
}

function imageObject(page: PDFPageProxy, objId: string): Promise<PdfjsImage | null> {
  const store = objId.startsWith('g_') ? page.commonObjs : page.objs;
  return new Promise((resolve, reject) => {
    store.get(objId, (data: unknown) => resolve((data ?? null) as PdfjsImage | null), reject);
  });
}

function toRawPixels(image: PdfjsImage): { pixels: RawPixels; bilevel: boolean } | undefined {
  const { width, height, data } = image;
  if (!data) return undefined;
  switch (image.kind) {
    case pdfjs.ImageKind.GRAYSCALE_1BPP:
      return { pixels: { data: unpackBilevel(data, width, height), width, height, channels: 1 }, bilevel: true };
    case pdfjs.ImageKind.RGB_24BPP:
      return { pixels: { data, width, height, channels: 3 }, bilevel: false };
    case pdfjs.ImageKind.RGBA_32BPP:
      return { pixels: { data, width, height, channels: 4 }, bilevel: false };
    default:
      return undefined;
  }
}

async function extractImage(
  page: PDFPageProxy,
  placed: PlacedImage,
  placement: FullPagePlacement,
  limits: PdfLimits,
  objects: PdfObjects | undefined,
): Promise<PageResult> {
  const oversized = tooManyPixels(placed.width, placed.height, limits.maxPixels);
  if (oversized) return oversized;
  const image = placed.objId ? await imageObject(page, placed.objId) : (placed.inline as PdfjsImage | undefined);
  const raw = image ? toRawPixels(image) : undefined;
  if (!image || !raw) return { ok: false, reason: 'page_unreadable', detail: 'the page image could not be decoded' };

  const upright = !placement.orientation.mirror && placement.orientation.rotate === 0;
  const jpeg = upright && image.ref ? objects?.originalJpeg(image.ref, image.width, image.height) : undefined;
  if (jpeg && (await isUsableJpeg(jpeg, image.width, image.height))) {
    return {
      ok: true,
      image: {
        image: jpeg,
        format: 'jpeg',
        width: image.width,
        height: image.height,
        dpi: placement.dpi,
        dpiEstimated: false,
        colourMode: classifyColour(raw.pixels),
        extraction: 'embedded',
      },
    };
  }
  const encoded = await encodeLosslessPage(raw.pixels, {
    dpi: placement.dpi,
    dpiEstimated: false,
    extraction: 'embedded',
    knownMode: raw.bilevel ? 'bilevel' : undefined,
    orientation: placement.orientation,
  });
  return { ok: true, image: encoded };
}

/** The JPEG's own header must agree with the PDF's (pdfjs forgives what other readers will not). */
async function isUsableJpeg(jpeg: Buffer, width: number, height: number): Promise<boolean> {
  try {
    const meta = await sharp(jpeg, { limitInputPixels: false }).metadata();
    return meta.format === 'jpeg' && meta.width === width && meta.height === height && (meta.orientation ?? 1) === 1;
  } catch {
    return false;
  }
}

async function renderPage(page: PDFPageProxy, limits: PdfLimits): Promise<PageResult> {
  const viewport = page.getViewport({ scale: limits.renderDpi / 72 });
  // The viewport size is fractional only through floating-point noise or an odd page size.
  const width = Math.max(1, Math.round(viewport.width));
  const height = Math.max(1, Math.round(viewport.height));
  const oversized = tooManyPixels(width, height, limits.maxPixels);
  if (oversized) return oversized;
  const canvas = createCanvas(width, height);
  await page.render({ canvas: canvas as unknown as HTMLCanvasElement, viewport, background: '#ffffff' }).promise;
  const { data } = canvas.getContext('2d').getImageData(0, 0, width, height);
  const encoded = await encodeLosslessPage(
    { data, width, height, channels: 4 },
    { dpi: limits.renderDpi, dpiEstimated: false, extraction: 'rendered' },
  );
  return { ok: true, image: encoded };
}
