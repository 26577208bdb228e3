import { PDFDocument, rgb, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import { issuePlaceAndDate, LAYOUTS, type ExtractContent } from './content.ts';
import { embedTextFonts, type TextWriter, type Weight } from './fonts.ts';

export interface ExtractPdfInput {
  content: ExtractContent;
  /** The URL the QR code carries: `<base>/verify/<seal>`. */
  verifyUrl: string;
  kid: string;
  issuedAt: Date;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const BLACK = rgb(0, 0, 0);
const RED = rgb(0.75, 0.05, 0.05);
const GREY = rgb(0.35, 0.35, 0.35);

/** Banner on every extract: it is a copy for reference until an authorised officer signs and seals it. */
export const REFERENCE_NOTICE = 'BẢN ĐIỆN TỬ ĐỂ THAM KHẢO – chưa có giá trị pháp lý cho đến khi được người có thẩm quyền ký, đóng dấu.';

/** Where the QR code sits on the last page (points from the bottom left) and its quiet zone in modules. */
export const QR_BOX = { x: MARGIN, y: MARGIN + 28, size: 96, quiet: 2 };

const formatDay = (d: Date) =>
  new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);

/**
 * The certified extract as a one-page A4 PDF (a second page only if the notes are long): national
 * heading, issuing office, title, the entry's fields under their printed labels, notes, the reference
 * notice, and a QR code carrying the signed seal.
 *
 * @example const bytes = await renderExtractPdf({ content, verifyUrl, kid, issuedAt: new Date() });
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
  let page = doc.addPage([A4.width, A4.height]);
  const right = A4.width - MARGIN;
  const centred = (p: PDFPage, line: string, cx: number, y: number, size: number, weight: Weight = 'regular', color = BLACK) =>
    text.draw(p, line, { x: cx - text.width(line, size, weight) / 2, y, size, weight, color });

  // National heading on the right, issuing office on the left, as on the official forms.
  const leftCx = MARGIN + 95;
  const rightCx = right - 130;
  let y = A4.height - MARGIN;
  centred(page, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightCx, y, 11, 'bold');
  centred(page, content.office.name.toUpperCase(), leftCx, y, 11, 'bold');
  y -= 15;
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  centred(page, motto, rightCx, y, 11, 'bold');
  const mottoWidth = text.width(motto, 11, 'bold');
  page.drawLine({ start: { x: rightCx - mottoWidth / 2, y: y - 3 }, end: { x: rightCx + mottoWidth / 2, y: y - 3 }, thickness: 0.6 });
  page.drawLine({ start: { x: leftCx - 35, y: y + 8 }, end: { x: leftCx + 35, y: y + 8 }, thickness: 0.6 });
  // Under the office the extract's number, which the office gives it from its register of copies issued when an
  // officer signs it; under the motto where and when it was issued.
  y -= 20;
  centred(page, `Số: ………/${LAYOUTS[content.registerType].numberSuffix}`, leftCx, y, 11);
  centred(page, issuePlaceAndDate(content.office.name, input.issuedAt), rightCx, y, 11);

  y -= 34;
  centred(page, content.title, A4.width / 2, y, 16, 'bold');

  // The reference notice in a red frame, impossible to miss or crop off without cutting the title.
  y -= 26;
  const noticeLines = wrap(text, REFERENCE_NOTICE, right - MARGIN - 16, 10, 'bold');
  const boxHeight = noticeLines.length * 13 + 8;
  page.drawRectangle({ x: MARGIN, y: y - boxHeight + 10, width: right - MARGIN, height: boxHeight, borderColor: RED, borderWidth: 1 });
  for (const line of noticeLines) {
    centred(page, line, A4.width / 2, y - 2, 10, 'bold', RED);
    y -= 13;
  }
  y -= 14;

  const newPageIfNeeded = (needed: number) => {
    if (y - needed > MARGIN + 140) return;
    page = doc.addPage([A4.width, A4.height]);
    y = A4.height - MARGIN;
  };
  const labelWidth = 175;
  for (const section of content.sections) {
    newPageIfNeeded(40);
    if (section.heading) {
      y -= 3;
      text.draw(page, section.heading, { x: MARGIN, y, size: 11, weight: 'bold' });
      y -= 14;
    }
    for (const row of section.rows) {
      // a row the book gives no value for says why, in a plain face (content.ts MISSING_TEXT)
      const given = !row.missing && row.value !== '';
      const lines = wrap(text, row.value, right - MARGIN - labelWidth, 11, given ? 'bold' : 'regular');
      newPageIfNeeded(lines.length * 13.5);
      text.draw(page, `${row.label}:`, { x: MARGIN + (section.heading ? 12 : 0), y, size: 11 });
      for (const line of lines) {
        text.draw(page, line, { x: MARGIN + labelWidth, y, size: 11, weight: given ? 'bold' : 'regular', color: given ? BLACK : GREY });
        y -= 13.5;
      }
    }
    y -= 4;
  }

  y -= 6;
  for (const line of wrap(text, content.source, right - MARGIN, 10.5, 'regular')) {
    text.draw(page, line, { x: MARGIN, y, size: 10.5 });
    y -= 14;
  }
  if (content.notes.length) {
    y -= 4;
    text.draw(page, 'Ghi chú:', { x: MARGIN, y, size: 11, weight: 'bold' });
    y -= 14;
    for (const note of content.notes) {
      for (const line of wrap(text, `– ${note}`, right - MARGIN - 10, 10.5, 'regular')) {
        newPageIfNeeded(14);
        text.draw(page, line, { x: MARGIN + 10, y, size: 10.5 });
        y -= 14;
      }
    }
  }

  // Foot of the last page: QR code with the seal on the left, the officer's signature block on the right.
  const qrSize = QR_BOX.size;
  const footY = MARGIN;
  drawQr(page, input.verifyUrl, QR_BOX.x, QR_BOX.y, qrSize);
  const small = 8;
  text.draw(page, 'Quét mã QR hoặc mở địa chỉ dưới đây để kiểm tra bản trích lục còn nguyên vẹn:', { x: MARGIN, y: footY + 16, size: small, color: GREY });
  const urlLines = wrapChars(text, input.verifyUrl, right - MARGIN, 6.5);
  urlLines.forEach((line, i) => text.draw(page, line, { x: MARGIN, y: footY + 7 - i * 8, size: 6.5, color: GREY }));
  text.draw(page, `Ngày cấp: ${formatDay(input.issuedAt)} · Mã khóa ký: ${input.kid} · Mã hồ sơ: ${content.recordId}`, { x: MARGIN + qrSize + 10, y: footY + 36, size: small, color: GREY });
  const signCx = right - 110;
  centred(page, 'NGƯỜI KÝ TRÍCH LỤC', signCx, footY + 110, 11, 'bold');
  centred(page, '(Ký, ghi rõ họ, chữ đệm, tên, đóng dấu)', signCx, footY + 96, 9.5, 'regular', GREY);

  return doc.save({ useObjectStreams: true });
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
