/**
 * Zip uploads with yauzl, read from memory one member at a time. A first pass inflates each
 * member once (counting real bytes, not trusting headers) to settle file-level questions — unsafe
 * paths, nested archives, size, no images — and to count pages; `pages()` then inflates and decodes
 * one member at a time, so only one member is ever held in memory.
 */
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { ReasonCode, WarningCode } from '../../schemas/reasons.ts';
import { naturalCompare } from './natural-order.ts';
import { describeError, type PageResult } from './pixels.ts';
import { openRaster, type RasterKind } from './raster.ts';
import { extensionDisagrees, sniffType } from './sniff.ts';

export interface ArchiveLimits {
  maxPixels: number;
  maxArchiveBytes: number;
  maxArchiveEntries: number;
}

export interface ArchivePage {
  label: string;
  result: PageResult;
}

export interface ArchiveFile {
  pageCount: number;
  warnings: WarningCode[];
  pages(): AsyncGenerator<ArchivePage>;
}

export type OpenArchiveResult = { ok: true; file: ArchiveFile } | { ok: false; reason: ReasonCode; detail: string };

/** yauzl 3 functions missing from @types/yauzl 2. */
interface YauzlLowLevel {
  getFileNameLowLevel(generalPurposeBitFlag: number, fileName: Buffer, extraFields: unknown[], strictFileNames: boolean): string;
}

/** With `decodeStrings: false` yauzl gives names as bytes, unvalidated: we decode and check them. */
type RawEntry = Omit<Entry, 'fileName'> & { fileName: Buffer; canDecodeFileData?: () => boolean };

interface Member {
  entry: RawEntry;
  name: string;
  /** Pages this member contributes (1 for a member that cannot be read). */
  pageCount: number;
  kind?: RasterKind;
  failure?: string;
}

class ArchiveRejection extends Error {
  readonly reason: ReasonCode;
  readonly detail: string;
  constructor(reason: ReasonCode, detail: string) {
    super(detail);
    this.reason = reason;
    this.detail = detail;
  }
}

const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'jpe', 'jfif', 'tif', 'tiff']);
/** Files that make a zip an office document or Java/Android package rather than a folder of scans. */
const PACKAGE_MARKERS = new Set(['[Content_Types].xml', 'mimetype', 'META-INF/MANIFEST.MF', 'AndroidManifest.xml']);

/**
 * True for member paths that would leave the extraction folder: absolute, drive-letter, `..`
 * segments, NUL. Backslashes count as separators (Windows tools write them).
 *
 * @example
 * isUnsafeMemberPath('../evil.png'); // true
 * isUnsafeMemberPath('scans/page1.png'); // false
 */
export function isUnsafeMemberPath(name: string): boolean {
  const path = name.replace(/\\/g, '/');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\0')) return true;
  return path.split('/').some((segment) => segment === '..');
}

/** Operating-system litter that is never a page: skipped without a warning. */
export function isJunkMember(name: string): boolean {
  const path = name.replace(/\\/g, '/');
  const base = (path.split('/').filter(Boolean).pop() ?? '').toLowerCase();
  return (
    path.startsWith('__MACOSX/') ||
    path.includes('/__MACOSX/') ||
    base.startsWith('._') ||
    base === '.ds_store' ||
    base === 'thumbs.db' ||
    base === 'desktop.ini'
  );
}

function openZip(bytes: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    );
  });
}

function readEntries(zip: ZipFile): Promise<RawEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: RawEntry[] = [];
    zip.on('entry', (entry: RawEntry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function memberName(entry: RawEntry): string {
  return (yauzl as unknown as YauzlLowLevel).getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileName, entry.extraFields, false);
}

/** Inflates one member, failing as soon as more than `budget` bytes come out. */
function inflateMember(zip: ZipFile, entry: RawEntry, budget: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry as unknown as Entry, (openError, stream) => {
      if (openError) return reject(openError);
      const chunks: Buffer[] = [];
      let total = 0;
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > budget) {
          stream.destroy();
          reject(new ArchiveRejection('archive_too_large', 'zip contents exceed the uncompressed size limit'));
          return;
        }
        chunks.push(chunk);
      });
      stream.once('error', (error: Error) => {
        // yauzl stops a member that inflates beyond its declared size: the mark of a zip bomb.
        if (/too many bytes in the stream/.test(error.message)) {
          reject(new ArchiveRejection('archive_too_large', 'a zip member inflates beyond its declared size'));
        } else {
          reject(error);
        }
      });
      stream.once('end', () => resolve(Buffer.concat(chunks, total)));
    });
  });
}

function canInflate(entry: RawEntry): boolean {
  if (entry.isEncrypted()) return false;
  return entry.canDecodeFileData ? entry.canDecodeFileData() : entry.compressionMethod === 0 || entry.compressionMethod === 8;
}

function hasImageExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot >= 0 && IMAGE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/**
 * Opens a zip held in memory and checks it as a whole. Never throws.
 *
 * @example
 * const opened = await openArchive(bytes, { maxPixels: 120e6, maxArchiveBytes: 2 ** 31, maxArchiveEntries: 5000 });
 * if (opened.ok) for await (const { label, result } of opened.file.pages()) console.log(label, result.ok);
 */
export async function openArchive(bytes: Buffer, limits: ArchiveLimits): Promise<OpenArchiveResult> {
  try {
    return await inspectArchive(bytes, limits);
  } catch (error) {
    if (error instanceof ArchiveRejection) return { ok: false, reason: error.reason, detail: error.detail };
    if (error instanceof Error && /end of central directory record signature not found/i.test(error.message)) {
      return { ok: false, reason: 'truncated_file', detail: 'zip has no central directory; the file was cut off' };
    }
    return { ok: false, reason: 'corrupt_file', detail: `zip could not be read: ${describeError(error)}` };
  }
}

async function inspectArchive(bytes: Buffer, limits: ArchiveLimits): Promise<OpenArchiveResult> {
  const zip = await openZip(bytes);
  // A zip read from a buffer holds no file handle, so the early returns below leave nothing open.
  if (zip.entryCount > limits.maxArchiveEntries) {
    return { ok: false, reason: 'archive_too_large', detail: `zip has ${zip.entryCount} entries; limit is ${limits.maxArchiveEntries}` };
  }
  const entries = await readEntries(zip);
  const named = entries.map((entry) => ({ entry, name: memberName(entry) }));
  for (const { entry, name } of named) {
    if (isUnsafeMemberPath(name) || isUnsafeMemberPath(entry.fileName.toString('latin1'))) {
      return { ok: false, reason: 'archive_unsafe_path', detail: 'zip has a member path that leaves its folder' };
    }
  }
  if (named.some(({ name }) => PACKAGE_MARKERS.has(name))) {
    return { ok: false, reason: 'unsupported_format', detail: 'zip is an office document or application package, not scans' };
  }
  const candidates = named
    .filter(({ name }) => !name.endsWith('/') && !isJunkMember(name))
    .sort((a, b) => naturalCompare(a.name, b.name));
  const declaredTotal = candidates.reduce((sum, { entry }) => sum + entry.uncompressedSize, 0);
  if (declaredTotal > limits.maxArchiveBytes) {
    return { ok: false, reason: 'archive_too_large', detail: 'zip contents exceed the uncompressed size limit' };
  }

  const warnings = new Set<WarningCode>();
  const members: Member[] = [];
  let inflated = 0;
  for (const { entry, name } of candidates) {
    if (!canInflate(entry)) {
      if (hasImageExtension(name)) members.push({ entry, name, pageCount: 1, failure: 'zip member is encrypted or uses an unsupported compression method' });
      else warnings.add('archive_skipped_member');
      continue;
    }
    let data: Buffer;
    try {
      data = await inflateMember(zip, entry, limits.maxArchiveBytes - inflated);
    } catch (error) {
      if (error instanceof ArchiveRejection) throw error;
      if (hasImageExtension(name)) members.push({ entry, name, pageCount: 1, failure: `zip member could not be inflated: ${describeError(error)}` });
      else warnings.add('archive_skipped_member');
      continue;
    }
    inflated += data.length;
    const type = sniffType(data);
    if (type.family === 'archive' || (type.family === 'supported' && type.kind === 'zip')) {
      return { ok: false, reason: 'archive_nested', detail: 'zip contains another archive' };
    }
    const kind = type.family === 'supported' && type.kind !== 'pdf' && type.kind !== 'zip' ? type.kind : undefined;
    if (!kind) {
      if (type.family === 'unknown' && hasImageExtension(name)) {
        members.push({ entry, name, pageCount: 1, failure: 'zip member is not a readable image' });
      } else {
        warnings.add('archive_skipped_member');
      }
      continue;
    }
    if (extensionDisagrees(name, kind)) warnings.add('extension_mismatch');
    const opened = await openRaster(data, kind, limits);
    if (!opened.ok) {
      members.push({ entry, name, pageCount: 1, kind, failure: opened.detail });
      continue;
    }
    if (opened.file.firstPageDpiEstimated) warnings.add('dpi_estimated');
    members.push({ entry, name, pageCount: opened.file.pageCount, kind });
  }
  if (members.length === 0) {
    return { ok: false, reason: 'archive_empty', detail: 'zip contains no page images' };
  }

  async function* pages(): AsyncGenerator<ArchivePage> {
    for (const member of members) yield* memberPages(zip, member, limits);
  }

  return {
    ok: true,
    file: { pageCount: members.reduce((sum, m) => sum + m.pageCount, 0), warnings: [...warnings], pages },
  };
}

function pageLabel(member: Member, pageIndex: number): string {
  return member.pageCount > 1 ? `${member.name}, trang ${pageIndex + 1}` : member.name;
}

/** Inside a zip every problem belongs to one page: file-level reasons become `page_unreadable`. */
function asPageResult(result: PageResult): PageResult {
  if (result.ok || result.reason === 'too_many_pixels' || result.reason === 'page_size_absurd') return result;
  return { ok: false, reason: 'page_unreadable', detail: result.detail };
}

async function* memberPages(zip: ZipFile, member: Member, limits: ArchiveLimits): AsyncGenerator<ArchivePage> {
  const unreadable = (detail: string): ArchivePage[] =>
    Array.from({ length: member.pageCount }, (_, i) => ({ label: pageLabel(member, i), result: { ok: false, reason: 'page_unreadable', detail } }));
  if (member.failure || !member.kind) {
    yield* unreadable(member.failure ?? 'zip member is not a readable image');
    return;
  }
  let data: Buffer;
  try {
    data = await inflateMember(zip, member.entry, limits.maxArchiveBytes);
  } catch (error) {
    yield* unreadable(`zip member could not be inflated: ${describeError(error)}`);
    return;
  }
  const opened = await openRaster(data, member.kind, limits);
  if (!opened.ok) {
    yield* unreadable(opened.detail);
    return;
  }
  for (let i = 0; i < member.pageCount; i++) {
    yield { label: pageLabel(member, i), result: asPageResult(await opened.file.decodePage(i)) };
  }
}
