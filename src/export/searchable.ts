import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { embedTextFonts } from '../certified/fonts.ts';
import type { Sql } from '../db/sql.ts';
import type { OcrWord } from '../ocr/words.ts';
import type { BlobStore } from '../store/blobs.ts';
import { compactScan } from './scan.ts';

const A4_WIDTH = 595.28;

/**
 * The whole book as one searchable PDF: every usable page's cleaned scan (compact colour/grey JPEG) with
 * the OCR words laid over it as invisible text at their boxes, so a PDF reader finds and copies the text
 * where it is on the image. Rejected, duplicate and failed pages are left out. Null when the book has no
 * page image.
 */
export async function searchableBookPdf(deps: { db: Sql; blobs: BlobStore }, bookId: number, title: string): Promise<Uint8Array | null> {
  const pages = await deps.db.query<{ id: number; sha256: string | null; words: OcrWord[] | null }>(
    `select p.id, coalesce(p.clean_sha256, p.original_sha256) as sha256, o.words
       from page p join upload u on u.id = p.upload_id left join page_ocr o on o.page_id = p.id
      where p.book_id = $1 and p.status not in ('rejected', 'duplicate', 'failed')
      order by page_place(p.id)`,
    [bookId],
  );
  const usable = pages.filter((p) => p.sha256);
  if (!usable.length) return null;
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  const text = await embedTextFonts(doc);
  for (const p of usable) {
    const source = await deps.blobs.get(p.sha256!);
    const { width = 1, height = 1 } = await sharp(source).metadata();
    const image = await doc.embedJpg(await compactScan(source));
    const scale = A4_WIDTH / width;
    const pageHeight = height * scale;
    const page = doc.addPage([A4_WIDTH, pageHeight]);
    page.drawImage(image, { x: 0, y: 0, width: A4_WIDTH, height: pageHeight });
    // OCR boxes are in pixels of the cleaned image, which is what is drawn.
    for (const word of p.words ?? []) {
      const [x, y, w, h] = word.box;
      if (!word.text.trim() || w <= 0 || h <= 0) continue;
      let size = h * scale * 0.85;
      const natural = text.width(word.text, size);
      if (natural > w * scale) size *= (w * scale) / natural;
      text.draw(page, word.text, { x: x * scale, y: pageHeight - (y + h) * scale + h * scale * 0.2, size, opacity: 0 });
    }
  }
  return doc.save({ useObjectStreams: true });
}
