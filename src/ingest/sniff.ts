/** Formats civreg can turn into pages. */
export type SupportedKind = 'pdf' | 'tiff' | 'jpeg' | 'png' | 'zip';

/** Formats recognised only to refuse them with a precise reason. */
export type OtherImageKind = 'gif' | 'bmp' | 'webp' | 'jp2' | 'heic' | 'djvu' | 'psd';
export type OtherArchiveKind = 'gzip' | 'rar' | '7z' | 'bzip2' | 'xz' | 'tar' | 'cab';
export type OtherKind = 'exe' | 'elf' | 'ole' | 'postscript';

export type SniffedType =
  | { family: 'supported'; kind: SupportedKind }
  | { family: 'image'; kind: OtherImageKind }
  | { family: 'archive'; kind: OtherArchiveKind }
  | { family: 'other'; kind: OtherKind }
  | { family: 'unknown' };

const PDF_MARKER = Buffer.from('%PDF-', 'latin1');
/** Readers accept a PDF header preceded by junk (some scanners prepend bytes) within the first 1 KiB. */
const PDF_HEADER_WINDOW = 1024;

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  return signature.every((value, i) => bytes[at + i] === value);
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

/**
 * Identifies a file from its first bytes, ignoring its name.
 *
 * @example
 * sniffType(await readFile('scan.pdf')); // { family: 'supported', kind: 'pdf' }
 */
export function sniffType(bytes: Uint8Array): SniffedType {
  const b = bytes;
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { family: 'supported', kind: 'jpeg' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { family: 'supported', kind: 'png' };
  // Classic TIFF and BigTIFF, both byte orders.
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { family: 'supported', kind: 'tiff' };
  }
  if (startsWith(b, [0x49, 0x49, 0x2b, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2b])) {
    return { family: 'supported', kind: 'tiff' };
  }
  // Local file header, or the end record of an empty archive.
  if (startsWith(b, ascii('PK\x03\x04')) || startsWith(b, ascii('PK\x05\x06'))) return { family: 'supported', kind: 'zip' };
  if (Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, PDF_HEADER_WINDOW)).includes(PDF_MARKER)) {
    return { family: 'supported', kind: 'pdf' };
  }

  if (startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a'))) return { family: 'image', kind: 'gif' };
  if (startsWith(b, ascii('BM')) && b.length >= 26 && startsWith(b, [0, 0, 0, 0], 6)) return { family: 'image', kind: 'bmp' };
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return { family: 'image', kind: 'webp' };
  if (startsWith(b, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a])) return { family: 'image', kind: 'jp2' };
  if (startsWith(b, [0xff, 0x4f, 0xff, 0x51])) return { family: 'image', kind: 'jp2' };
  if (startsWith(b, ascii('ftyp'), 4) && /^(heic|heix|hevc|mif1|msf1|avif)$/.test(Buffer.from(b.subarray(8, 12)).toString('latin1'))) {
    return { family: 'image', kind: 'heic' };
  }
  if (startsWith(b, ascii('AT&TFORM'))) return { family: 'image', kind: 'djvu' };
  if (startsWith(b, ascii('8BPS'))) return { family: 'image', kind: 'psd' };

  if (startsWith(b, [0x1f, 0x8b])) return { family: 'archive', kind: 'gzip' };
  if (startsWith(b, ascii('Rar!\x1a\x07'))) return { family: 'archive', kind: 'rar' };
  if (startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return { family: 'archive', kind: '7z' };
  if (startsWith(b, ascii('BZh'))) return { family: 'archive', kind: 'bzip2' };
  if (startsWith(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return { family: 'archive', kind: 'xz' };
  if (startsWith(b, ascii('MSCF'))) return { family: 'archive', kind: 'cab' };
  if (startsWith(b, ascii('ustar'), 257)) return { family: 'archive', kind: 'tar' };

  if (startsWith(b, ascii('MZ'))) return { family: 'other', kind: 'exe' };
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return { family: 'other', kind: 'elf' };
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return { family: 'other', kind: 'ole' };
  if (startsWith(b, ascii('%!PS'))) return { family: 'other', kind: 'postscript' };
  return { family: 'unknown' };
}

const KIND_BY_EXTENSION: Record<string, SupportedKind> = {
  pdf: 'pdf',
  tif: 'tiff',
  tiff: 'tiff',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  jfif: 'jpeg',
  png: 'png',
  zip: 'zip',
};

/** Lower-case extension without the dot, or '' when the name has none. */
export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** The supported format a file name claims to be, if any. */
export function kindClaimedByName(fileName: string): SupportedKind | undefined {
  return KIND_BY_EXTENSION[extensionOf(fileName)];
}

/**
 * True when the name's extension names a different format than the content. A name without an
 * extension claims nothing, so it never mismatches.
 *
 * @example
 * extensionDisagrees('scan.pdf', 'png'); // true
 * extensionDisagrees('scan.JPG', 'jpeg'); // false
 */
export function extensionDisagrees(fileName: string, actual: SupportedKind): boolean {
  const extension = extensionOf(fileName);
  if (extension === '') return false;
  return KIND_BY_EXTENSION[extension] !== actual;
}
