/**
 * A file refused whole at ingest (corrupt, empty, not a scan) is one of its book's problems until it is delivered
 * again. Some never will be (a stray file, a copy already delivered under another name): staff mark the problem handled
 * here, with every repeat of the file, and the book page lists it as settled with who and when (the audit trail too).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REASONS } from '../../schemas/reasons.ts';
import { dismissRefusedFile, listRefusedFiles } from '../db/book-files.ts';
import { REGISTER_NAMES } from './books-page.ts';
import { coversOffice, csrfOf } from './guard.ts';
import { escapeHtml, localTime } from './layout.ts';
import { HttpRefusal } from './refusals.ts';
import { sendPage, type HttpDeps } from './server.ts';

interface RefusedUpload { id: number; bookId: number; officeId: number; registerType: string; bookNo: string }

export function registerRefusedFileRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db'>): void {
  /** The upload of that id with its book, refused unless it is of the person's offices. */
  async function uploadOf(request: FastifyRequest): Promise<RefusedUpload> {
    const id = Number((request.params as { id: string }).id);
    const [upload] = Number.isSafeInteger(id)
      ? await deps.db.query<RefusedUpload>(
          `select u.id, u.book_id as "bookId", b.office_id as "officeId", b.register_type as "registerType", b.book_no as "bookNo"
             from upload u join book b on b.id = u.book_id where u.id = $1`,
          [id],
        )
      : [];
    if (!upload) throw new HttpRefusal('not_found');
    if (!coversOffice(request.account!, upload.officeId)) throw new HttpRefusal('forbidden_office');
    return { ...upload, id: Number(upload.id), bookId: Number(upload.bookId) };
  }

  async function refusedFilePage(request: FastifyRequest, reply: FastifyReply) {
    const upload = await uploadOf(request);
    // any of a problem's uploads names it: a later upload may have joined two, giving this one an earlier first upload
    const problem = (await listRefusedFiles(deps.db, upload.bookId)).find((p) => p.uploadIds.includes(upload.id));
    const book = `<a href="/books/${upload.bookId}#issues">${REGISTER_NAMES[upload.registerType] ?? escapeHtml(upload.registerType)} · quyển ${escapeHtml(upload.bookNo)}</a>`;
    if (!problem) {
      return sendPage(request, reply, 'Tệp bị từ chối', `<h1>Tệp bị từ chối</h1>
<p>Tệp này không còn là vấn đề của sổ ${book} (đã được đánh dấu đã xử lý, hoặc đã được tải lên lại).</p>`);
    }
    return sendPage(request, reply, 'Tệp bị từ chối', `<h1>Tệp ${escapeHtml(problem.fileName)} bị từ chối</h1>${problem.otherNames.length ? `
<p>Cùng nội dung còn được tải lên với tên: ${escapeHtml(problem.otherNames.join(', '))}.</p>` : ''}${problem.linkedNames.length ? `
<p>Liên quan qua lần tải lại (nội dung khác): ${escapeHtml(problem.linkedNames.join(', '))}.</p>` : ''}
<p>Sổ ${book}. ${escapeHtml(problem.reason ? REASONS[problem.reason] ?? problem.reason : 'Bị từ chối.')}</p>
<p>Tệp (cùng nội dung, hoặc cùng tên được chính người đó tải lại trong vòng một ngày và bị từ chối cùng lý do) đã bị từ chối ${problem.times} lần; lần gần nhất lúc ${localTime(problem.at)}.</p>
<form method="post" action="/refused-files/${problem.id}" class="dismiss-file">
<input type="hidden" name="_csrf" value="${escapeHtml(csrfOf(request) ?? '')}">
<input type="hidden" name="seen" value="${problem.uploadIds.join(',')}">
<button type="submit">Đánh dấu đã xử lý</button>
</form>
<p class="hint">Dùng khi tệp sẽ không được tải lên lại (tệp gửi nhầm, hoặc các trang đã có trong sổ từ một tệp khác). Vấn đề chuyển sang mục “Vấn đề đã xử lý” của sổ, ghi lại người đánh dấu và thời điểm.</p>`);
  }

  app.get<{ Params: { id: string } }>('/refused-files/:id', { config: { access: 'books' } }, refusedFilePage);

  app.post<{ Params: { id: string } }>('/refused-files/:id', { config: { access: 'books', formPage: refusedFilePage } }, async (request, reply) => {
    const upload = await uploadOf(request);
    // the uploads the page showed (its form says which): a client without it marks the problem as it stands
    const seenField = (request.body as { seen?: unknown } | undefined)?.seen;
    const seen = typeof seenField === 'string' ? seenField.split(',').map(Number).filter(Number.isSafeInteger) : undefined;
    const marked = await dismissRefusedFile(deps.db, request.account!.name, { bookId: upload.bookId, uploadId: upload.id, seen });
    if (marked === 'changed') throw new HttpRefusal('issue_changed');
    if (!marked) throw new HttpRefusal('issue_already_handled');
    return reply.redirect(`/books/${upload.bookId}#issues`, 303);
  });
}
