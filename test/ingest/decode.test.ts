import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { decodeUpload, DEFAULT_LIMITS, type DecodeResult } from '../../src/ingest/decode.ts';
import { collect, decodeFixture, expectRejected, fixture } from './ingest-helpers.ts';

describe('decodeUpload (file level)', () => {
  it('refuses a zero-byte file', async () => {
    await expectRejected('zero-bytes.pdf', 'empty_file');
  });

  it('refuses a file over the size limit before reading it', async () => {
    await expectRejected('pdf-jpeg-scans-2-pages.pdf', 'file_too_large', { maxFileBytes: 10_000 });
  });

  it('refuses GIF and BMP as unsupported formats', async () => {
    await expectRejected('gif-unsupported.gif', 'unsupported_format');
    await expectRejected('bmp-unsupported.bmp', 'unsupported_format');
  });

  it('refuses an archive format other than zip as unsupported', async () => {
    const gzip = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03]);
    expect(await decodeUpload(gzip, 'anh.tar.gz', DEFAULT_LIMITS)).toMatchObject({ ok: false, reason: 'unsupported_format' });
  });

  it('calls random bytes named .pdf a corrupt file, and unnamed random bytes unsupported', async () => {
    await expectRejected('random-bytes-named.pdf', 'corrupt_file');
    expect(await decodeUpload(fixture('random-bytes-named.pdf'), 'upload.bin', DEFAULT_LIMITS)).toMatchObject({ ok: false, reason: 'unsupported_format' });
  });

  it('reads a file by its content, not its name, and warns when the name lies', async () => {
    const result = await decodeFixture('png-named-as.pdf');
    expect(result).toMatchObject({ ok: true, kind: 'png', pageCount: 1, warnings: ['extension_mismatch'] });
    const [outcome] = await collect(result);
    expect(outcome).toMatchObject({ ok: true, page: { index: 0, label: 'trang 1', format: 'png', extraction: 'image' } });
  });

  it('does not warn for a name without an extension', async () => {
    const result = await decodeUpload(fixture('png-named-as.pdf'), 'scan', DEFAULT_LIMITS);
    expect(result).toMatchObject({ ok: true, warnings: [] });
  });

  it('refuses a PDF whose page is smaller than an inch', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.addPage([36, 36]);
    doc.addPage([288, 216]);
    const result = await decodeUpload(Buffer.from(await doc.save()), 'tem.pdf', { ...DEFAULT_LIMITS, renderDpi: 72 });
    const outcomes = await collect(result);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.reason))).toEqual(['page_size_absurd', 'ok']);
  });

  it('never throws on damaged copies of valid files', async () => {
    const originals = ['pdf-jpeg-scans-2-pages.pdf', 'tiff-multipage-3-pages.tif', 'zip-mixed-members-one-corrupt.zip', 'pdf-ccitt-g4-bilevel-200dpi.pdf'];
    const results: DecodeResult[] = [];
    for (const name of originals) {
      const bytes = fixture(name);
      const cut = bytes.subarray(0, Math.floor(bytes.length * 0.97));
      const flipped = Buffer.from(bytes);
      for (let at = 200; at < flipped.length - 2048; at += 997) flipped[at]! ^= 0x5a;
      for (const damaged of [cut, flipped]) {
        const result = await decodeUpload(damaged, name, DEFAULT_LIMITS);
        results.push(result);
        if (result.ok) {
          const outcomes = await collect(result);
          expect(outcomes.length).toBe(result.pageCount);
        } else {
          expect(result.detail).not.toMatch(/[^\x20-\x7e…]/);
        }
      }
    }
    expect(results).toHaveLength(originals.length * 2);
  });
});
