import { describe, expect, it } from 'vitest';
import { isJunkMember, isUnsafeMemberPath } from '../../src/ingest/archive.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { writeZip } from '../fixtures/fixture-writers.ts';
import { collect, decodeFixture, decodePages, expectRejected, fixture } from './ingest-helpers.ts';

describe('decodeUpload (zip)', () => {
  describe('happy path', () => {
    it('delivers member images in natural order and skips folders and OS junk silently', async () => {
      const result = await decodeFixture('zip-pages-unordered-with-junk.zip');
      expect(result).toMatchObject({ ok: true, kind: 'zip', pageCount: 3, warnings: [] });
      const pages = await decodePages('zip-pages-unordered-with-junk.zip');
      expect(pages.map((p) => [p.index, p.label])).toEqual([
        [0, 'page1.png'],
        [1, 'page2.png'],
        [2, 'page10.png'],
      ]);
      expect(pages[0]).toMatchObject({ format: 'png', width: 300, height: 200, dpi: 100, extraction: 'image' });
    });

    it('skips a member that is not an image, with a warning', async () => {
      const result = await decodeFixture('zip-with-text-member.zip');
      expect(result).toMatchObject({ ok: true, pageCount: 1, warnings: ['archive_skipped_member'] });
    });

    it('expands a multi-page TIFF member into pages and keeps going past a corrupt member', async () => {
      const result = await decodeFixture('zip-mixed-members-one-corrupt.zip');
      expect(result).toMatchObject({ ok: true, pageCount: 5 });
      const outcomes = await collect(result);
      expect(outcomes.map((o) => [o.ok ? o.page.index : o.index, o.ok ? o.page.label : o.label, o.ok ? o.page.format : o.reason])).toEqual([
        [0, 'trang-1.jpg', 'jpeg'],
        [1, 'trang-2.png', 'page_unreadable'],
        [2, 'trang-3.tif, trang 1', 'png'],
        [3, 'trang-3.tif, trang 2', 'png'],
        [4, 'trang-3.tif, trang 3', 'png'],
      ]);
      const first = outcomes[0];
      if (first?.ok) expect(first.page.image.equals(fixture('jpeg-grey-scan-150dpi.jpg'))).toBe(true);
    });

    it('refuses a member image over the pixel limit as that page only', async () => {
      const zip = writeZip([
        { name: 'trang-1.png', data: fixture('png-header-claims-huge-size.png') },
        { name: 'trang-2.png', data: fixture('png-named-as.pdf') },
      ]);
      const outcomes = await collect(await decodeUpload(zip, 'quyen.zip', DEFAULT_LIMITS));
      expect(outcomes.map((o) => (o.ok ? 'ok' : o.reason))).toEqual(['too_many_pixels', 'ok']);
    });

    it('can read the pages twice', async () => {
      const result = await decodeFixture('zip-pages-unordered-with-junk.zip');
      expect((await collect(result)).length).toBe(3);
      expect((await collect(result)).length).toBe(3);
    });
  });

  describe('bad input', () => {
    it('refuses a member path that climbs out of the archive', async () => {
      await expectRejected('zip-path-traversal.zip', 'archive_unsafe_path');
    });

    it('refuses a zip inside the zip', async () => {
      await expectRejected('zip-nested-zip.zip', 'archive_nested');
    });

    it('refuses a zip whose members inflate past the size limit', async () => {
      await expectRejected('zip-bomb-20mb-member.zip', 'archive_too_large', { maxArchiveBytes: 5_000_000 });
    });

    it('refuses a zip bomb that understates its sizes, while inflating', async () => {
      await expectRejected('zip-bomb-lying-header.zip', 'archive_too_large', { maxArchiveBytes: 5_000_000 });
    });

    it('refuses a zip with more entries than allowed', async () => {
      await expectRejected('zip-pages-unordered-with-junk.zip', 'archive_too_large', { maxArchiveEntries: 5 });
    });

    it('refuses a zip without page images', async () => {
      await expectRejected('zip-without-images.zip', 'archive_empty');
      const empty = writeZip([]);
      expect(await decodeUpload(empty, 'rong.zip', DEFAULT_LIMITS)).toMatchObject({ ok: false, reason: 'archive_empty' });
    });

    it('refuses a zip cut off before its central directory as truncated', async () => {
      await expectRejected('zip-truncated.zip', 'truncated_file');
    });

    it('refuses an office document (a zip with a package manifest)', async () => {
      const docx = writeZip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'word/media/image1.png', data: fixture('png-named-as.pdf') },
      ]);
      expect(await decodeUpload(docx, 'so.docx', DEFAULT_LIMITS)).toMatchObject({ ok: false, reason: 'unsupported_format' });
    });
  });
});

describe('isUnsafeMemberPath', () => {
  it('flags parent segments, absolute paths, drive letters and backslash tricks', () => {
    for (const name of ['../evil.png', 'a/../../evil.png', '/etc/passwd', 'C:/Windows/x.png', 'C:x.png', '..\\evil.png', 'a\\..\\..\\evil.png', '\\\\server\\share\\x.png']) {
      expect(isUnsafeMemberPath(name), name).toBe(true);
    }
  });

  it('accepts ordinary nested names, including dots inside names', () => {
    for (const name of ['page1.png', 'quyen 01/trang 2.tif', '..trang.png', 'a/b..c/d.png']) {
      expect(isUnsafeMemberPath(name), name).toBe(false);
    }
  });
});

describe('isJunkMember', () => {
  it('recognises macOS and Windows litter', () => {
    expect(['__MACOSX/._page1.png', 'scans/.DS_Store', 'Thumbs.db', 'anh/desktop.ini', 'anh/._trang1.jpg'].every(isJunkMember)).toBe(true);
    expect(isJunkMember('anh/trang1.jpg')).toBe(false);
  });
});
