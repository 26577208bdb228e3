/**
 * What one upload may hold, apart from the decoder (src/ingest/decode.ts) so that a process that only needs the
 * numbers, every `civreg` command through openServices, does not load PDF.js, sharp and the archive reader.
 */
export interface DecodeLimits {
  /** Per page, default 120e6. */
  maxPixels: number;
  maxFileBytes: number;
  /** Total uncompressed bytes of a zip's members. */
  maxArchiveBytes: number;
  maxArchiveEntries: number;
  /** Resolution for PDF pages that must be rendered, default 300. */
  renderDpi: number;
}

export const DEFAULT_LIMITS: DecodeLimits = {
  maxPixels: 120e6,
  maxFileBytes: 1024 * 1024 * 1024,
  maxArchiveBytes: 2 * 1024 * 1024 * 1024,
  maxArchiveEntries: 5000,
  renderDpi: 300,
};
