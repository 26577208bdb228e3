/**
 * What pdfjs does not tell us, read from the PDF's objects with pdf-lib: an embedded JPEG's
 * original bytes, the declared size of every image on a page (before anything is decoded), and
 * the page count as the page tree states it. pdf-lib cannot decrypt, so for encrypted files only
 * the plain dictionary values (sizes, counts) are used, never stream bytes.
 */
import {
  ParseSpeeds,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  type PDFObject,
} from 'pdf-lib';

export interface PdfObjects {
  pageCount: number;
  encrypted: boolean;
  /**
   * The stream bytes of an image XObject when they are a complete JPEG a viewer can show as is:
   * DCTDecode alone, DeviceGray or DeviceRGB, 8 bits, no decode array, mask or colour transform.
   * `ref` is pdfjs's reference string ("12R", or "12R3" for generation 3).
   */
  originalJpeg(ref: string, width: number, height: number): Buffer | undefined;
  /** Largest declared image on a page (including inside forms), as width × height. */
  largestImage(pageIndex: number): { width: number; height: number } | undefined;
}

const MAX_FORM_DEPTH = 6;

function name(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFName ? value.decodeText() : undefined;
}

function num(value: PDFObject | undefined): number | undefined {
  return value instanceof PDFNumber ? value.asNumber() : undefined;
}

function parseRef(ref: string): PDFRef | undefined {
  const match = /^(\d+)R(\d*)$/.exec(ref);
  if (!match) return undefined;
  return PDFRef.of(Number(match[1]), match[2] ? Number(match[2]) : 0);
}

function streamDict(value: PDFObject | undefined): PDFDict | undefined {
  return value instanceof PDFStream ? value.dict : undefined;
}

/**
 * Parses the PDF's objects. Returns undefined when pdf-lib cannot parse the file; callers then do
 * without (pdfjs is more forgiving and stays the authority on whether the file is readable).
 */
export async function readPdfObjects(bytes: Uint8Array): Promise<PdfObjects | undefined> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, {
      ignoreEncryption: true,
      updateMetadata: false,
      // A damaged file is left to pdfjs alone; pdf-lib would otherwise log each bad object to the console.
      throwOnInvalidObject: true,
      parseSpeed: ParseSpeeds.Fast,
    });
  } catch {
    return undefined;
  }
  const context = doc.context;
  let pages: ReturnType<PDFDocument['getPages']> = [];
  try {
    pages = doc.getPages();
  } catch {
    return undefined;
  }

  function originalJpeg(ref: string, width: number, height: number): Buffer | undefined {
    if (doc.isEncrypted) return undefined;
    const pdfRef = parseRef(ref);
    if (!pdfRef) return undefined;
    const stream = context.lookup(pdfRef);
    if (!(stream instanceof PDFRawStream)) return undefined;
    const dict = stream.dict;
    const filter = dict.lookup(PDFName.of('Filter'));
    const filters = filter instanceof PDFArray ? filter.asArray().map((f) => name(context.lookup(f))) : [name(filter)];
    if (filters.length !== 1 || filters[0] !== 'DCTDecode') return undefined;
    const colourSpace = name(dict.lookup(PDFName.of('ColorSpace')));
    if (colourSpace !== 'DeviceGray' && colourSpace !== 'DeviceRGB') return undefined;
    if (num(dict.lookup(PDFName.of('BitsPerComponent'))) !== 8) return undefined;
    if (num(dict.lookup(PDFName.of('Width'))) !== width || num(dict.lookup(PDFName.of('Height'))) !== height) return undefined;
    for (const key of ['Decode', 'DecodeParms', 'SMask', 'Mask', 'ImageMask', 'SMaskInData']) {
      if (dict.has(PDFName.of(key))) return undefined;
    }
    const contents = stream.contents;
    if (contents[0] !== 0xff || contents[1] !== 0xd8) return undefined;
    return Buffer.from(contents.buffer, contents.byteOffset, contents.byteLength);
  }

  function largestImage(pageIndex: number): { width: number; height: number } | undefined {
    const page = pages[pageIndex];
    if (!page) return undefined;
    let largest: { width: number; height: number } | undefined;
    const visited = new Set<string>();

    function visitResources(resources: PDFDict | undefined, depth: number): void {
      const xObjects = resources?.lookup(PDFName.of('XObject'));
      if (!(xObjects instanceof PDFDict) || depth > MAX_FORM_DEPTH) return;
      for (const [, value] of xObjects.entries()) {
        if (value instanceof PDFRef) {
          if (visited.has(value.toString())) continue;
          visited.add(value.toString());
        }
        const dict = streamDict(context.lookup(value));
        if (!dict) continue;
        const subtype = name(dict.lookup(PDFName.of('Subtype')));
        if (subtype === 'Image') {
          const width = num(dict.lookup(PDFName.of('Width'))) ?? 0;
          const height = num(dict.lookup(PDFName.of('Height'))) ?? 0;
          if (!largest || width * height > largest.width * largest.height) largest = { width, height };
        } else if (subtype === 'Form') {
          const inner = dict.lookup(PDFName.of('Resources'));
          visitResources(inner instanceof PDFDict ? inner : undefined, depth + 1);
        }
      }
    }

    try {
      visitResources(page.node.Resources(), 0);
    } catch {
      return largest;
    }
    return largest;
  }

  return { pageCount: pages.length, encrypted: doc.isEncrypted, originalJpeg, largestImage };
}
