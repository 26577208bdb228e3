import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { REGISTER_TYPES } from '../../schemas/jobs.ts';
import { REASONS, WARNINGS, type ReasonCode, type WarningCode } from '../../schemas/reasons.ts';
import { recordAudit } from '../db/audit.ts';
import { BookAmbiguousError, bookForFiles, findBookFor, listOfficeBooks, type KnownBook } from '../db/books.ts';
import { REFUSED_FILE, WAITING_FILE } from '../db/book-files.ts';
import { receiveFiles } from '../ingest/receive.ts';
import { appendChunk, completeTransfer, getTransfer, OffsetMismatchError, startTransfer, transferPath } from '../ingest/transfer.ts';
import { pageName, PAGE_STATUS_NAMES, REGISTER_NAMES } from './books-page.ts';
import { coversOffice } from './guard.ts';
import { escapeHtml } from './layout.ts';
import { HttpRefusal, invalidForm, REFUSALS } from './refusals.ts';
import { sendPage, type HttpDeps } from './server.ts';

/** Chunk size the page sends; the route accepts a little more. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

const transferSchema = z.object({
  office: z.string().min(1).max(100),
  registerType: z.enum(REGISTER_TYPES),
  bookNo: z.string().trim().min(1).max(40),
  year: z.number().int().min(1900).max(2100).nullable(),
  fileName: z.string().min(1).max(500),
  bytes: z.number().int().min(0),
  placeByNumbers: z.boolean().default(false),
  /** The person chose a new book although books of a nearly equal number exist (the page asked: findBookFor). */
  newBook: z.boolean().default(false),
});

/** A book as the upload form names it: "Khai sinh quyển 02 năm 2000". */
export function bookLabel(registerType: string, book: Pick<KnownBook, 'bookNo' | 'yearFrom' | 'yearTo'>): string {
  const years = book.yearFrom === null ? ' (không ghi năm)' : ` năm ${book.yearFrom}${book.yearTo !== null && book.yearTo !== book.yearFrom ? `–${book.yearTo}` : ''}`;
  return `${REGISTER_NAMES[registerType] ?? registerType} quyển ${book.bookNo}${years}`;
}

const bookQuerySchema = z.object({
  office: z.string().min(1).max(100),
  type: z.enum(REGISTER_TYPES),
  bookNo: z.string().trim().max(40).optional(),
  year: z.string().regex(/^\d{4}$/).transform(Number).optional(),
});

const UPLOAD_STATUS_NAMES: Record<string, string> = {
  received: 'Đã nhận, đang chờ tách trang',
  ingested: 'Đã tách trang',
  partial: 'Đã tách trang (một số trang lỗi)',
  rejected: 'Bị từ chối',
  duplicate: 'Trùng với tệp đã tải lên trước',
  failed: 'Lỗi xử lý',
};

/**
 * Upload for archive staff: many files or whole folders, each sent in resumable chunks, then received
 * exactly like `civreg ingest` (stored byte for byte, recorded, queued). The page then follows each file
 * and its pages through the pipeline, with every rejection's reason and what to do.
 */
export function registerUploadRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db' | 'blobs' | 'boss' | 'uploadDir' | 'maxUploadBytes'>): void {
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: CHUNK_BYTES + 1024 }, (_request, body, done) => done(null, body));

  app.get<{ Querystring: { book?: string } }>('/upload', { config: { access: 'upload' } }, async (request, reply) => {
    const account = request.account!;
    const offices = await deps.db.query<{ id: number; code: string; name: string }>(
      'select id, code, name from registry_office where $1 or id = any($2) order by name',
      [account.allOffices, account.officeIds],
    );
    // `?book=<id>` (the book page's "Tải thêm trang vào sổ này"): that book chosen, its pages placed by their numbers
    const bookId = Number(request.query.book);
    const [preset] = Number.isSafeInteger(bookId) && bookId > 0
      ? await deps.db.query<{ officeId: number; officeCode: string; registerType: string; bookNo: string; yearFrom: number | null }>(
          `select b.office_id as "officeId", o.code as "officeCode", b.register_type as "registerType", b.book_no as "bookNo", b.year_from as "yearFrom"
             from book b join registry_office o on o.id = b.office_id where b.id = $1`, [bookId])
      : [];
    const book = preset && coversOffice(account, preset.officeId) ? preset : null;
    // What the page showed before a reload is gone from the browser: this person's files refused or still waiting stay listed.
    const pending = (await deps.db.query<{ id: number; bookId: number; officeId: number; registerType: string; bookNo: string; fileName: string; status: string; reason: string | null }>(
      `select u.id, u.book_id as "bookId", b.office_id as "officeId", b.register_type as "registerType", b.book_no as "bookNo", u.file_name as "fileName", u.status, u.reason
         from upload u join book b on b.id = u.book_id
        where u.uploaded_by = $1 and (${WAITING_FILE} or (${REFUSED_FILE})) order by u.id desc limit 50`,
      [account.name],
    )).filter((u) => coversOffice(account, u.officeId));
    const pendingList = pending.length === 0 ? '' : `<section id="pending-files"><h2>Tệp đã tải lên cần chú ý</h2><ul class="issues">${pending.map((u) =>
      `<li>${escapeHtml(u.fileName)} (<a href="/books/${u.bookId}">${REGISTER_NAMES[u.registerType] ?? escapeHtml(u.registerType)} · quyển ${escapeHtml(u.bookNo)}</a>): ${u.status === 'received' ? 'đang chờ xử lý' : escapeHtml(u.reason ? REASONS[u.reason as ReasonCode] ?? u.reason : 'Bị từ chối.')}</li>`).join('')}</ul></section>`;
    const selected = (yes: boolean) => (yes ? ' selected' : '');
    const officeOptions = offices.map((o) => `<option value="${escapeHtml(o.code)}"${selected(o.code === book?.officeCode)}>${escapeHtml(o.name)} (${escapeHtml(o.code)})</option>`).join('');
    const typeOptions = REGISTER_TYPES.map((t) => `<option value="${t}"${selected(t === book?.registerType)}>${REGISTER_NAMES[t] ?? t}</option>`).join('');
    return sendPage(request, reply, 'Tải lên', `<h1>Tải lên bản quét</h1>
<form id="book" class="upload-book">
  <label>Cơ quan đăng ký <select name="office" required>${officeOptions}</select></label>
  <label>Loại sổ <select name="registerType">${typeOptions}</select></label>
  <label>Quyển số <input name="bookNo" required size="6" list="known-books" autocomplete="off"${book ? ` value="${escapeHtml(book.bookNo)}"` : ''}></label>
  <label>Năm <input name="year" inputmode="numeric" size="6" pattern="[0-9]{4}"${book?.yearFrom ? ` value="${book.yearFrom}"` : ''}></label>
  <label class="late"><input type="checkbox" name="placeByNumbers"${book ? ' checked' : ''}> Trang quét lại hoặc trang bổ sung cho sổ đã tải lên: xếp vào sổ theo số thứ tự các mục, không xếp cuối sổ</label>
  <datalist id="known-books"></datalist>
</form>
<p id="book-known" class="hint" role="status"></p>
<div id="book-check" class="book-check" role="alertdialog" aria-labelledby="book-check-question" hidden>
  <p id="book-check-question" class="warn"></p>
  <p class="choices"></p>
</div>
<div id="drop" class="drop">
  <p>Kéo thả các tệp hoặc cả thư mục vào đây (PDF, TIFF, JPEG, PNG, ZIP), hoặc
  <label class="button picker">chọn tệp <input type="file" id="pick-files" multiple></label> /
  <label class="button picker">chọn thư mục <input type="file" id="pick-folder" webkitdirectory multiple></label>.</p>
  <p class="hint">Tệp lớn được gửi từng phần ${CHUNK_BYTES / 1024 / 1024} MB; nếu mất kết nối, chọn lại tệp đó để tải tiếp từ chỗ đã dừng.</p>
</div>
<p id="upload-message" role="status"></p>
<div id="files" class="files"></div>
${pendingList}`, { scripts: ['/assets/upload.js'] });
  });

  /** The office of an upload form's query, if the person may upload for it; a refusal otherwise. */
  async function officeFor(account: NonNullable<FastifyRequest['account']>, query: unknown) {
    const parsed = bookQuerySchema.safeParse(query);
    if (!parsed.success) throw new HttpRefusal('bad_request');
    const [office] = await deps.db.query<{ id: number }>('select id from registry_office where code = $1', [parsed.data.office]);
    if (!office || !coversOffice(account, office.id)) throw new HttpRefusal('forbidden_office');
    return { officeId: office.id, ...parsed.data };
  }

  // The office's books of a register type, for the form to offer as the book number is typed.
  app.get('/upload/books', { config: { access: 'upload' } }, async (request) => {
    const { officeId, type } = await officeFor(request.account!, request.query);
    const books = await listOfficeBooks(deps.db, officeId, type);
    return { books: books.map((b) => ({ ...b, label: bookLabel(type, b) })) };
  });

  // Before files are sent: the book they would go to, or the existing books the typed number and year are
  // likely a variant of ("2" for "02", no year for 2000), so the page can ask before a new book is created.
  app.get('/upload/book-check', { config: { access: 'upload' } }, async (request) => {
    const { officeId, type, bookNo, year } = await officeFor(request.account!, request.query);
    if (!bookNo) throw new HttpRefusal('bad_request');
    const { exact, similar } = await findBookFor(deps.db, officeId, type, bookNo, year ?? null);
    return {
      exact: exact && { ...exact, label: bookLabel(type, exact) },
      similar: similar.map((b) => ({ ...b, label: bookLabel(type, b), question: `Đã có sổ ${bookLabel(type, b)} — tải vào sổ đó?` })),
      newLabel: bookLabel(type, { bookNo, yearFrom: year ?? null, yearTo: null }),
    };
  });

  app.post('/upload/transfers', { config: { access: 'upload' } }, async (request, reply) => {
    const account = request.account!;
    const parsed = transferSchema.safeParse(request.body);
    if (!parsed.success) {
      throw invalidForm(parsed.error, {
        office: 'Hãy chọn cơ quan đăng ký.', registerType: 'Hãy chọn loại sổ.', bookNo: 'Hãy nhập quyển số (tối đa 40 ký tự).', year: 'Năm của sổ là số có 4 chữ số, từ 1900 đến 2100.',
      }, 'Tệp không gửi được: tên hoặc kích thước tệp không hợp lệ.');
    }
    const input = parsed.data;
    // Refused before a byte is sent: the same reason `civreg ingest` records for such a file.
    if (input.bytes > deps.maxUploadBytes) return reply.code(400).send({ error: 'file_too_large', message: REASONS.file_too_large });
    const [office] = await deps.db.query<{ id: number }>('select id from registry_office where code = $1', [input.office]);
    if (!office || !coversOffice(account, office.id)) throw new HttpRefusal('forbidden_office');
    // "2" goes to the office's "02" of the year; a number that only nearly matches books is a choice for the person
    const bookId = await deps.db
      .transaction((tx) => bookForFiles(tx, { officeCode: input.office, registerType: input.registerType, bookNo: input.bookNo, yearFrom: input.year }, { newBook: input.newBook }))
      .catch((error: unknown) => {
        if (!(error instanceof BookAmbiguousError)) throw error;
        throw new HttpRefusal('book_ambiguous', `${REFUSALS.book_ambiguous.message} ${error.similar.map((b) => bookLabel(input.registerType, b)).join('; ')}.`, 'bookNo');
      });
    const transfer = await startTransfer(deps.db, deps.uploadDir, { accountId: account.id, bookId, fileName: input.fileName, bytes: input.bytes, placeByNumbers: input.placeByNumbers });
    if (transfer.received === 0) await recordAudit(deps.db, { actor: account.name, action: 'upload.transfer_started', objectType: 'book', objectId: bookId, detail: { transfer: transfer.id, bytes: input.bytes } });
    return { id: transfer.id, bookId, received: transfer.received, bytes: transfer.bytes };
  });

  app.put<{ Params: { id: string }; Querystring: { offset?: string } }>('/upload/transfers/:id', { config: { access: 'upload' }, bodyLimit: CHUNK_BYTES + 1024 }, async (request, reply) => {
    const transfer = await getTransfer(deps.db, request.params.id, request.account!.id);
    if (!transfer) throw new HttpRefusal('not_found');
    const offset = Number(request.query.offset);
    if (!Buffer.isBuffer(request.body) || !Number.isSafeInteger(offset)) throw new HttpRefusal('bad_request');
    try {
      return { received: await appendChunk(deps.db, deps.uploadDir, transfer, offset, request.body) };
    } catch (error) {
      if (error instanceof OffsetMismatchError) return reply.code(409).send({ error: 'upload_offset', message: 'Phần gửi lên không đúng vị trí; tiếp tục từ vị trí máy chủ đã nhận.', received: error.received });
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>('/upload/transfers/:id/finish', { config: { access: 'upload' } }, async (request) => {
    const account = request.account!;
    const transfer = await getTransfer(deps.db, request.params.id, account.id);
    if (!transfer || transfer.status !== 'receiving') throw new HttpRefusal('not_found');
    if (transfer.received !== transfer.bytes) throw new HttpRefusal('upload_incomplete');
    // the book was chosen when the transfer started: its id, not its number matched again
    const [result] = await receiveFiles({ ...deps, maxUploadBytes: deps.maxUploadBytes }, { bookId: transfer.bookId }, [transferPath(deps.uploadDir, transfer)], account.name, undefined, { placeByNumbers: transfer.placeByNumbers });
    await completeTransfer(deps.db, deps.uploadDir, transfer, result!.uploadId);
    return {
      uploadId: result!.uploadId,
      bookId: transfer.bookId,
      status: result!.status,
      duplicateOf: result!.duplicateOf,
      reason: result!.reason,
      message: result!.reason ? REASONS[result!.reason] : result!.status === 'duplicate' ? UPLOAD_STATUS_NAMES.duplicate : null,
    };
  });

  // What became of uploaded files and their pages, for the page to follow progress and verdicts.
  app.get<{ Querystring: { ids?: string } }>('/upload/status', { config: { access: 'upload' } }, async (request) => {
    const account = request.account!;
    const ids = (request.query.ids ?? '').split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0).slice(0, 500);
    const uploads = await deps.db.query<{ id: number; bookId: number; officeId: number; fileName: string; status: string; reason: string | null; warnings: string[]; duplicateOf: number | null }>(
      `select u.id, u.book_id as "bookId", b.office_id as "officeId", u.file_name as "fileName", u.status, u.reason, u.warnings, u.duplicate_of as "duplicateOf"
         from upload u join book b on b.id = u.book_id where u.id = any($1)`,
      [ids],
    );
    const visible = uploads.filter((u) => coversOffice(account, u.officeId));
    const pages = await deps.db.query<{ id: number; uploadId: number; label: string; status: string; reason: string | null }>(
      `select id, upload_id as "uploadId", label, status, reason from page where upload_id = any($1) order by upload_id, file_index, part`,
      [visible.map((u) => u.id)],
    );
    return {
      uploads: visible.map((u) => ({
        id: u.id,
        bookId: u.bookId,
        fileName: u.fileName,
        status: u.status,
        statusName: UPLOAD_STATUS_NAMES[u.status] ?? u.status,
        reason: u.reason,
        message: u.reason ? (REASONS[u.reason as ReasonCode] ?? u.reason) : null,
        warnings: u.warnings.map((w) => WARNINGS[w as WarningCode] ?? w),
        pages: pages
          .filter((p) => p.uploadId === u.id)
          .map((p) => ({ id: p.id, label: pageName(p.label), status: p.status, statusName: PAGE_STATUS_NAMES[p.status] ?? p.status, message: p.reason ? (REASONS[p.reason as ReasonCode] ?? p.reason) : null })),
      })),
    };
  });
}
