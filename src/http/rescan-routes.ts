/**
 * A page the scan quality gate held back (`needs_rescan`) read anyway: when no better scan can be had (the book is
 * too damaged, the page too faded whatever the scanner), staff say so with a note and the page goes on to cleanup
 * and OCR. Its fields then go through routing like any other page's, so a poor reading reaches people, not the
 * records. Without this, such a page stayed "Cần quét lại" for good and kept its book among the books with problems.
 * When the rescan is in the book, staff mark the held page replaced (a rescan placed by its entry numbers marks it
 * itself, src/extract/page-place.ts): it leaves the book's problems and keeps its reasons and image as history.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { REASONS, type ReasonCode } from '../../schemas/reasons.ts';
import { recordAudit } from '../db/audit.ts';
import { markPageReplaced } from '../db/pages.ts';
import { sendJob } from '../pipeline/queue.ts';
import { pageName } from './books-page.ts';
import { coversOffice, csrfOf } from './guard.ts';
import { escapeHtml } from './layout.ts';
import { formState, HttpRefusal, invalidForm } from './refusals.ts';
import { sendPage, type HttpDeps } from './server.ts';

const readAnywaySchema = z.object({ note: z.string().trim().min(5).max(1000) });
const replacedSchema = z.object({ note: z.string().trim().max(1000).optional() });

interface HeldPage {
  id: number;
  bookId: number;
  officeId: number;
  label: string;
  status: string;
  reasons: string[];
}

export function registerRescanRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db' | 'boss'>): void {
  /** The page, refused unless it is of the person's offices. */
  async function heldPage(request: FastifyRequest): Promise<HeldPage> {
    const id = Number((request.params as { id: string }).id);
    const [page] = Number.isSafeInteger(id)
      ? await deps.db.query<HeldPage>(
          `select p.id, p.book_id as "bookId", b.office_id as "officeId", p.label, p.status,
                  coalesce(p.rescan_reasons, case when p.reason is null then '{}' else array[p.reason] end) as reasons
             from page p join book b on b.id = p.book_id where p.id = $1`,
          [id],
        )
      : [];
    if (!page) throw new HttpRefusal('not_found');
    if (!coversOffice(request.account!, page.officeId)) throw new HttpRefusal('forbidden_office');
    return { ...page, id: Number(page.id), bookId: Number(page.bookId) };
  }

  async function readAnywayPage(request: FastifyRequest, reply: FastifyReply) {
    const page = await heldPage(request);
    const form = formState(request, `/pages/${page.id}/read-anyway`);
    const reasons = page.reasons.map((r) => `<li>${escapeHtml(REASONS[r as ReasonCode] ?? r)}</li>`).join('');
    const body = page.status !== 'needs_rescan'
      ? '<p class="ok" role="status">Trang này không còn chờ quét lại.</p>'
      : `<p>Máy đánh giá ảnh quét của trang này khó đọc:</p><ul>${reasons}</ul>
<p>Nếu có thể, hãy quét lại trang rồi <a href="/upload?book=${page.bookId}">tải bản quét lại vào sổ này</a> (trang được xếp vào sổ theo số thứ tự các mục). Nếu không thể có bản quét tốt hơn (sổ quá hư hỏng, chữ quá mờ), hãy cho máy đọc trang như hiện có: mọi trường máy không chắc chắn sẽ được chuyển cho người kiểm tra.</p>
<form method="post" action="/pages/${page.id}/read-anyway">
<input type="hidden" name="_csrf" value="${escapeHtml(csrfOf(request) ?? '')}">
<label>Ghi chú (bắt buộc: vì sao không thể quét lại) <textarea name="note" required minlength="5" maxlength="1000" rows="3"${form.invalid('note')}>${escapeHtml(form.value('note'))}</textarea>${form.error('note')}</label>
<div class="actions"><button type="submit">Vẫn đọc trang này</button></div>
</form>
<h2>Bản quét lại đã có trong sổ</h2>
<p>Nếu bản quét lại của trang này đã được tải vào sổ (và không được tự động xếp vào chỗ của trang này), hãy đánh dấu trang này đã được thay: trang rời khỏi danh sách vấn đề của sổ, ảnh quét cũ và lý do vẫn được giữ lại.</p>
<form method="post" action="/pages/${page.id}/replaced">
<input type="hidden" name="_csrf" value="${escapeHtml(csrfOf(request) ?? '')}">
<label>Ghi chú (không bắt buộc) <input name="note" maxlength="1000"></label>
<div class="actions"><button type="submit">Đã thay bằng bản quét lại</button></div>
</form>`;
    return sendPage(request, reply, 'Trang cần quét lại', `<h1>${escapeHtml(pageName(page.label))}: cần quét lại</h1>
${body}
<p><a href="/pages/${page.id}/image?original=1" target="_blank">Xem ảnh quét</a> · <a href="/books/${page.bookId}#page-${page.id}">Về sổ</a></p>
<img class="page-image" src="/pages/${page.id}/image?original=1" alt="Ảnh quét của ${escapeHtml(pageName(page.label))}">`);
  }

  app.get<{ Params: { id: string } }>('/pages/:id/read-anyway', { config: { access: 'books' } }, readAnywayPage);

  app.post<{ Params: { id: string } }>('/pages/:id/read-anyway', { config: { access: 'books', formPage: readAnywayPage } }, async (request, reply) => {
    const page = await heldPage(request);
    const parsed = readAnywaySchema.safeParse(request.body);
    if (!parsed.success) throw invalidForm(parsed.error, { note: 'Hãy ghi chú vì sao không thể quét lại (ít nhất 5 ký tự).' }, 'Hãy ghi chú vì sao không thể quét lại (ít nhất 5 ký tự).');
    await deps.db.transaction(async (tx) => {
      // only a page still held: two people sending the form, or a page re-delivered meanwhile, change nothing
      // the waiver stays on the page, so that ingesting the same delivery again does not hold it back again
      const waiver = { by: request.account!.name, at: new Date().toISOString(), note: parsed.data.note };
      const [held] = await tx.query(
        `update page set status = 'ingested', reason = null, rescan_waiver = $2, updated_at = now() where id = $1 and status = 'needs_rescan' returning id`,
        [page.id, JSON.stringify(waiver)],
      );
      if (!held) return;
      // (the note is kept on the page, not in the append-only audit: staff may name people in it)
      await recordAudit(tx, { actor: request.account!.name, action: 'page.read_anyway', objectType: 'page', objectId: page.id, detail: { reasons: page.reasons } });
      await sendJob(deps.boss, 'clean', { pageId: page.id }, tx);
    });
    return reply.redirect(`/books/${page.bookId}#page-${page.id}`, 303);
  });

  app.post<{ Params: { id: string } }>('/pages/:id/replaced', { config: { access: 'books', formPage: readAnywayPage } }, async (request, reply) => {
    const page = await heldPage(request);
    const parsed = replacedSchema.safeParse(request.body);
    if (!parsed.success) throw invalidForm(parsed.error, { note: 'Ghi chú tối đa 1000 ký tự.' }, 'Ghi chú tối đa 1000 ký tự.');
    await deps.db.transaction(async (tx) => {
      // only a page still held (a second click, or a rescan placed meanwhile, changes nothing); the note stays on the page
      if (!(await markPageReplaced(tx, page.id, null, { actor: request.account!.name, ...(parsed.data.note ? { note: parsed.data.note } : {}) }))) return;
      await recordAudit(tx, { actor: request.account!.name, action: 'page.replaced', objectType: 'page', objectId: page.id, detail: { reasons: page.reasons } });
    });
    return reply.redirect(`/books/${page.bookId}#page-${page.id}`, 303);
  });
}
