import { describe, expect, it } from 'vitest';
import { naturalCompare } from '../../src/ingest/natural-order.ts';
import { extensionDisagrees, sniffType } from '../../src/ingest/sniff.ts';
import { fixture } from './ingest-helpers.ts';

describe('sniffType', () => {
  it('recognises the supported formats from their content', () => {
    expect(sniffType(fixture('pdf-jpeg-scans-2-pages.pdf'))).toEqual({ family: 'supported', kind: 'pdf' });
    expect(sniffType(fixture('tiff-multipage-3-pages.tif'))).toEqual({ family: 'supported', kind: 'tiff' });
    expect(sniffType(fixture('jpeg-grey-scan-150dpi.jpg'))).toEqual({ family: 'supported', kind: 'jpeg' });
    expect(sniffType(fixture('png-named-as.pdf'))).toEqual({ family: 'supported', kind: 'png' });
    expect(sniffType(fixture('zip-nested-zip.zip'))).toEqual({ family: 'supported', kind: 'zip' });
  });

  it('finds a PDF header preceded by a few junk bytes', () => {
    const bytes = Buffer.concat([Buffer.from('\r\n\r\nJUNK'), fixture('pdf-no-pages.pdf')]);
    expect(sniffType(bytes)).toEqual({ family: 'supported', kind: 'pdf' });
  });

  it('names formats it does not support', () => {
    expect(sniffType(fixture('gif-unsupported.gif'))).toEqual({ family: 'image', kind: 'gif' });
    expect(sniffType(fixture('bmp-unsupported.bmp'))).toEqual({ family: 'image', kind: 'bmp' });
    expect(sniffType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toEqual({ family: 'image', kind: 'webp' });
    expect(sniffType(Buffer.from([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]))).toEqual({ family: 'image', kind: 'jp2' });
    expect(sniffType(Buffer.from('MZ\x90\x00', 'latin1'))).toEqual({ family: 'other', kind: 'exe' });
    expect(sniffType(Buffer.from([0x1f, 0x8b, 0x08]))).toEqual({ family: 'archive', kind: 'gzip' });
    expect(sniffType(Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'))).toEqual({ family: 'archive', kind: 'rar' });
    expect(sniffType(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]))).toEqual({ family: 'archive', kind: '7z' });
    expect(sniffType(fixture('random-bytes-named.pdf'))).toEqual({ family: 'unknown' });
    expect(sniffType(Buffer.alloc(0))).toEqual({ family: 'unknown' });
  });
});

describe('extensionDisagrees', () => {
  it('compares the extension, case-insensitively, with the sniffed kind', () => {
    expect(extensionDisagrees('scan.pdf', 'png')).toBe(true);
    expect(extensionDisagrees('SCAN.JPG', 'jpeg')).toBe(false);
    expect(extensionDisagrees('quyen-01.tif', 'tiff')).toBe(false);
    expect(extensionDisagrees('trang.jpeg', 'tiff')).toBe(true);
    expect(extensionDisagrees('scan.dat', 'pdf')).toBe(true);
  });

  it('says nothing about a name without an extension', () => {
    expect(extensionDisagrees('scan', 'pdf')).toBe(false);
    expect(extensionDisagrees('.hidden', 'pdf')).toBe(false);
  });
});

describe('naturalCompare', () => {
  it('orders numbered names by number, not by character', () => {
    expect(['page10.png', 'page2.png', 'page1.png'].sort(naturalCompare)).toEqual(['page1.png', 'page2.png', 'page10.png']);
    expect(['Trang 12.tif', 'trang 3.tif', 'Trang 1.tif'].sort(naturalCompare)).toEqual(['Trang 1.tif', 'trang 3.tif', 'Trang 12.tif']);
  });

  it('gives a total order for names equal to the collator', () => {
    expect(naturalCompare('Trang 1', 'trang 1')).not.toBe(0);
    expect(Math.sign(naturalCompare('Trang 1', 'trang 1'))).toBe(-Math.sign(naturalCompare('trang 1', 'Trang 1')));
  });
});
