import { PDFDocument, rgb, type PDFPage, type RGB } from 'pdf-lib';
import QRCode from 'qrcode';
import { LAYOUTS, type ExtractContent } from './content.ts';
import { embedTextFonts, type TextWriter, type Weight } from './fonts.ts';
import { issuePlaceLine, NATIONAL_HEADING, vietnamDay } from './heading.ts';
import type { ExtractIssuer } from './issuer.ts';

export interface ExtractPdfInput {
  content: ExtractContent;
  /** The URL the QR code carries: `<base>/verify/<seal>`. */
  verifyUrl: string;
  kid: string;
  /** When the electronic copy was made and sealed (not the day of issue, which the signing officer writes). */
  issuedAt: Date;
  /** Who issues the extract today (issuer.ts): the heading and the place line; the book's office is in the source line. */
  issuer: Pick<ExtractIssuer, 'superior' | 'issuer' | 'place'>;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const RIGHT = A4.width - MARGIN;
const BLACK = rgb(0, 0, 0);
const RED = rgb(0.75, 0.05, 0.05);
const GREY = rgb(0.35, 0.35, 0.35);

/** Banner on every extract: it is a copy for reference until an authorised officer signs and seals it. */
export const REFERENCE_NOTICE = 'BẢN ĐIỆN TỬ ĐỂ THAM KHẢO – chưa có giá trị pháp lý cho đến khi được người có thẩm quyền ký, đóng dấu.';

/** The heading's two columns: the issuing authority on the left, the national motto on the right. */
const HEADING = { left: { x: MARGIN - 16, width: 230 }, right: { x: RIGHT - 250, width: 266 } };

/**
 * The foot of the last page (points from the bottom left). The signature column on the right: the signer's title
 * and caption, then the room an officer signs and stamps in (a round seal is about 4 cm, 113 points), kept clear of
 * everything printed; the QR code and the technical lines (when the copy was made, key, record, link) on the left.
 */
export const SIGNATURE = { x: RIGHT - 200, width: 200, top: MARGIN + 150, stampTop: MARGIN + 112 };
/** Where the QR code sits on the last page and its quiet zone in modules. */
export const QR_BOX = { x: MARGIN, y: MARGIN + 28, size: 96, quiet: 2 };
const TECH = { x: MARGIN, width: SIGNATURE.x - 14 - MARGIN };

/** The signer's block, as the extract forms print it. */
export const SIGNER = { title: 'NGƯỜI KÝ TRÍCH LỤC', caption: '(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)' };

/** One block of the body, kept together on a page: `draw` puts its top line's baseline at `y`. */
interface Block {
  height: number;
  draw(page: PDFPage, y: number): void;
  /** A note after the first: a page that starts with it says first that the notes go on ("Ghi chú (tiếp theo):"). */
  continuesNotes?: boolean;
}

/** The heading a page starts with when the notes go on from the page before. */
export const NOTES_CONTINUED = 'Ghi chú (tiếp theo):';

/**
 * The certified extract as an A4 PDF: the administrative heading (issuing authority left, national motto right,
 * each wrapped within its column), title, the reference notice, the entry's fields under their printed labels, the
 * source and notes, and at the foot the signer's block with room to sign and stamp beside the QR code with the
 * signed seal. It fits one page, in a smaller type when the content needs it; content longer than that goes on,
 * and every page then says "Trang x/y" and the extract's number.
 *
 * @example const bytes = await renderExtractPdf({ content, verifyUrl, kid, issuedAt: new Date(), issuer: await issuerFor(sql, content.office) });
 */
export async function renderExtractPdf(input: ExtractPdfInput): Promise<Uint8Array> {
  const { content } = input;
  const doc = await PDFDocument.create();
  doc.setTitle(`${content.title} – ${content.recordId}`);
  doc.setSubject(REFERENCE_NOTICE);
  doc.setProducer('civreg');
  doc.setCreationDate(input.issuedAt);
  doc.setModificationDate(input.issuedAt);
  const text = await embedTextFonts(doc);
  const number = `Số: ………/${LAYOUTS[content.registerType].numberSuffix}`;

  const first = doc.addPage([A4.width, A4.height]);
  const bodyTop = drawHeading(first, text, content, input.issuer, number);
  const footTop = SIGNATURE.top + 8;
  // the largest type (of a few steps) in which the whole body fits above the foot of the first page
  const scales = [1, 0.95, 0.9, 0.85, 0.8];
  const fits = scales.find((s) => bodyBlocks(text, content, s).reduce((sum, b) => sum + b.height, 0) <= bodyTop - footTop);
  const scale = fits ?? 0.9;
  const blocks = bodyBlocks(text, content, scale);
  const notesContinued: Block = {
    height: 18 * scale,
    draw(page, top) {
      text.draw(page, NOTES_CONTINUED, { x: MARGIN, y: top - 4 * scale, size: 11 * scale, weight: 'bold' });
    },
  };

  // pages of blocks: a page ends where the next block would cross its bottom; the last page keeps room for the foot
  const contTop = A4.height - MARGIN - 24;
  const pages: Block[][] = [[]];
  let y = bodyTop;
  for (const block of blocks) {
    if (y - block.height < MARGIN + 10 && pages.at(-1)!.length) {
      pages.push([]);
      y = contTop;
      if (block.continuesNotes) {
        pages.at(-1)!.push(notesContinued);
        y -= notesContinued.height;
      }
    }
    pages.at(-1)!.push(block);
    y -= block.height;
  }
  if (y < footTop) {
    // the last page's closing blocks go on with the foot, so that the signature never stands alone
    const last = pages.at(-1)!;
    const moved: Block[] = [];
    while (last.length > 1 && y < footTop) {
      const block = last.pop()!;
      moved.unshift(block);
      y += block.height;
    }
    if (y < footTop || (last.length === 1 && last[0] === notesContinued)) moved.unshift(...last.splice(0));
    if (!last.length) pages.pop();
    if (moved[0]?.continuesNotes) moved.unshift(notesContinued);
    pages.push(moved);
  }
  const pdfPages = pages.map((_, i) => (i === 0 ? first : doc.addPage([A4.width, A4.height])));
  pages.forEach((list, i) => {
    const page = pdfPages[i]!;
    let top = i === 0 ? bodyTop : contTop;
    if (pages.length > 1) {
      const mark = `Trang ${i + 1}/${pages.length}`;
      // every page names the extract and its place in it, so that a page apart is known for what it is
      if (i > 0) {
        text.draw(page, `${content.title} (tiếp theo)`, { x: MARGIN, y: A4.height - MARGIN, size: 10, weight: 'bold' });
        text.draw(page, number, { x: RIGHT - text.width(number, 10), y: A4.height - MARGIN, size: 10 });
      }
      const footer = `${mark} · ${content.title} ${number}`;
      text.draw(page, footer, { x: A4.width / 2 - text.width(footer, 8.5) / 2, y: MARGIN - 34, size: 8.5, color: GREY });
    }
    for (const block of list) {
      block.draw(page, top);
      top -= block.height;
    }
  });
  drawFoot(pdfPages.at(-1)!, text, input);
  return doc.save({ useObjectStreams: true });
}

const centred = (text: TextWriter, page: PDFPage, line: string, cx: number, y: number, size: number, weight: Weight = 'regular', color: RGB = BLACK) =>
  text.draw(page, line, { x: cx - text.width(line, size, weight) / 2, y, size, weight, color });

/** Heading, title and reference notice of the first page; returns where the body starts. */
function drawHeading(page: PDFPage, text: TextWriter, content: ExtractContent, authority: ExtractPdfInput['issuer'], number: string): number {
  const { left, right } = HEADING;
  const leftCx = left.x + left.width / 2;
  const rightCx = right.x + right.width / 2;
  const top = A4.height - MARGIN + 8;
  // the issuing authority: its superior in a plain face, itself in bold, every line wrapped within the column
  const { superior, issuer } = authority;
  let y = top;
  for (const line of superior ? wrap(text, superior, left.width, 11, 'regular') : []) {
    centred(text, page, line, leftCx, y, 11);
    y -= 14;
  }
  const issuerLines = issuer.flatMap((line) => wrap(text, line, left.width, 11, 'bold'));
  for (const line of issuerLines) {
    centred(text, page, line, leftCx, y, 11, 'bold');
    y -= 14;
  }
  const rule = Math.min(70, text.width(issuerLines.at(-1)!, 11, 'bold'));
  page.drawLine({ start: { x: leftCx - rule / 2, y: y + 7 }, end: { x: leftCx + rule / 2, y: y + 7 }, thickness: 0.6 });
  y -= 8;
  centred(text, page, number, leftCx, y, 11);
  const leftBottom = y;

  let r = top;
  centred(text, page, NATIONAL_HEADING[0], rightCx, r, 11, 'bold');
  r -= 14;
  centred(text, page, NATIONAL_HEADING[1], rightCx, r, 11.5, 'bold');
  const mottoWidth = text.width(NATIONAL_HEADING[1], 11.5, 'bold');
  page.drawLine({ start: { x: rightCx - mottoWidth / 2, y: r - 3 }, end: { x: rightCx + mottoWidth / 2, y: r - 3 }, thickness: 0.6 });
  r -= 22;
  // where and when: the day is written by the officer who signs (heading.ts issuePlaceLine)
  for (const line of wrap(text, issuePlaceLine(authority.place), right.width, 11, 'regular')) {
    centred(text, page, line, rightCx, r, 11);
    r -= 14;
  }

  y = Math.min(leftBottom, r + 14) - 30;
  centred(text, page, content.title, A4.width / 2, y, 16, 'bold');

  // The reference notice in a red frame, impossible to miss or crop off without cutting the title.
  y -= 24;
  const noticeLines = wrap(text, REFERENCE_NOTICE, RIGHT - MARGIN - 16, 10, 'bold');
  const boxHeight = noticeLines.length * 13 + 8;
  page.drawRectangle({ x: MARGIN, y: y - boxHeight + 10, width: RIGHT - MARGIN, height: boxHeight, borderColor: RED, borderWidth: 1 });
  for (const line of noticeLines) {
    centred(text, page, line, A4.width / 2, y - 2, 10, 'bold', RED);
    y -= 13;
  }
  return y - 12;
}

/** The body in type scaled by `s`: sections of rows (a heading kept with its first row), source, notes. */
function bodyBlocks(text: TextWriter, content: ExtractContent, s: number): Block[] {
  const size = 11 * s;
  const lead = 13.5 * s;
  const labelWidth = 175;
  const blocks: Block[] = [];
  for (const section of content.sections) {
    section.rows.forEach((row, ri) => {
      const heading = ri === 0 && section.heading ? section.heading : null;
      // a row the book gives no value for says why, in a plain face (content.ts MISSING_TEXT)
      const given = !row.missing && row.value !== '';
      const weight: Weight = given ? 'bold' : 'regular';
      const lines = wrap(text, row.value, RIGHT - MARGIN - labelWidth, size, weight);
      const headingHeight = heading ? 17 * s : 0;
      const last = ri === section.rows.length - 1;
      blocks.push({
        height: headingHeight + lines.length * lead + (last ? 4 * s : 0),
        draw(page, top) {
          let y = top;
          if (heading) {
            text.draw(page, heading, { x: MARGIN, y: y - 3 * s, size, weight: 'bold' });
            y -= headingHeight;
          }
          text.draw(page, `${row.label}:`, { x: MARGIN + (section.heading ? 12 : 0), y, size });
          for (const line of lines) {
            text.draw(page, line, { x: MARGIN + labelWidth, y, size, weight, color: given ? BLACK : GREY });
            y -= lead;
          }
        },
      });
    });
  }
  const small = 10.5 * s;
  const smallLead = 14 * s;
  const paragraph = (lines: string[], x: number, before: number): Block => ({
    height: before + lines.length * smallLead,
    draw(page, top) {
      lines.forEach((line, i) => text.draw(page, line, { x, y: top - before - i * smallLead, size: small }));
    },
  });
  blocks.push(paragraph(wrap(text, content.source, RIGHT - MARGIN, small, 'regular'), MARGIN, 6 * s));
  content.notes.forEach((note, i) => {
    const lines = wrap(text, `– ${note}`, RIGHT - MARGIN - 10, small, 'regular');
    if (i > 0) return blocks.push({ ...paragraph(lines, MARGIN + 10, 0), continuesNotes: true });
    // "Ghi chú:" kept with its first note
    const body = paragraph(lines, MARGIN + 10, 0);
    blocks.push({
      height: 18 * s + body.height,
      draw(page, top) {
        text.draw(page, 'Ghi chú:', { x: MARGIN, y: top - 4 * s, size, weight: 'bold' });
        body.draw(page, top - 18 * s);
      },
    });
  });
  return blocks;
}

/**
 * The foot of the last page: on the right the signer's title and caption over the room to sign and stamp; on the
 * left, never under the stamp, the QR code, when the electronic copy was made, the key and record ids, and the link.
 */
function drawFoot(page: PDFPage, text: TextWriter, input: ExtractPdfInput): void {
  const signCx = SIGNATURE.x + SIGNATURE.width / 2;
  centred(text, page, SIGNER.title, signCx, SIGNATURE.top, 11, 'bold');
  wrap(text, SIGNER.caption, SIGNATURE.width, 9.5, 'regular').forEach((line, i) => centred(text, page, line, signCx, SIGNATURE.top - 13 - i * 11.5, 9.5, 'regular', GREY));

  drawQr(page, input.verifyUrl, QR_BOX.x, QR_BOX.y, QR_BOX.size);
  const small = 8;
  const beside = QR_BOX.x + QR_BOX.size + 8;
  const facts = [
    `Bản điện tử tạo ngày ${vietnamDay(input.issuedAt)}`,
    `Mã khóa ký: ${input.kid}`,
    `Mã hồ sơ: ${input.content.recordId}`,
  ].flatMap((line) => wrap(text, line, TECH.x + TECH.width - beside, small, 'regular'));
  facts.forEach((line, i) => text.draw(page, line, { x: beside, y: QR_BOX.y + QR_BOX.size - 12 - i * 10, size: small, color: GREY }));
  const prompt = wrap(text, 'Quét mã QR hoặc mở địa chỉ dưới đây để kiểm tra bản trích lục còn nguyên vẹn:', TECH.width, small, 'regular');
  let y = QR_BOX.y - 10;
  for (const line of prompt) {
    text.draw(page, line, { x: TECH.x, y, size: small, color: GREY });
    y -= 9;
  }
  for (const line of wrapChars(text, input.verifyUrl, TECH.width, 6.5)) {
    text.draw(page, line, { x: TECH.x, y, size: 6.5, color: GREY });
    y -= 8;
  }
}

/** Draws the QR code's dark modules as filled rectangles, one per horizontal run. */
function drawQr(page: PDFPage, content: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(content, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = QR_BOX.quiet;
  const cell = size / (n + 2 * quiet);
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && qr.modules.get(row, col)) col++;
      page.drawRectangle({ x: x + (quiet + start) * cell, y: y + size - (quiet + row + 1) * cell, width: (col - start) * cell, height: cell, color: BLACK });
    }
  }
}

/** Word wrap to a width. */
function wrap(text: TextWriter, line: string, width: number, size: number, weight: Weight): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if (current && text.width(next, size, weight) > width) {
      out.push(current);
      current = word;
    } else current = next;
  }
  if (current) out.push(current);
  return out;
}

/** Character wrap, for a URL that has no spaces. */
function wrapChars(text: TextWriter, line: string, width: number, size: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of line) {
    if (current && text.width(current + ch, size) > width) {
      out.push(current);
      current = '';
    }
    current += ch;
  }
  if (current) out.push(current);
  return out;
}
