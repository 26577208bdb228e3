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
import { rankReplacingPages, type BookPage } from '../extract/page-place.ts';
import { sendJob } from '../pipeline/queue.ts';
import { pageName, replacementText } from './books-page.ts';
import { coversOffice, csrfOf } from './guard.ts';
import { escapeHtml, localTime } from './layout.ts';
import { formState, HttpRefusal, invalidForm } from './refusals.ts';
import { sendPage, type HttpDeps } from './server.ts';

const readAnywaySchema = z.object({ note: z.string().trim().min(5).max(1000) });
/** Marked by hand: the page that replaced it, chosen among the book's pages, or else a note saying where the rescan is. */
const replacedSchema = z.object({
  replacedBy: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
  note: z.string().trim().max(1000).optional(),
}).refine((form) => form.replacedBy !== undefined || (form.note ?? '').length >= 5, { path: ['note'] });
/** Statuses of a page that cannot have replaced a held page (held or replaced itself, refused, a second copy). */
const NOT_REPLACING = ['needs_rescan', 'replaced', 'rejected', 'duplicate'];
const REPLACED_REFUSAL = 'Hãy chọn trang đã thay trang này, hoặc ghi chú bản quét lại ở đâu (ít nhất 5 ký tự).';

interface HeldPage {
  id: number;
  bookId: number;
  officeId: number;
  label: string;
  status: string;
  reasons: string[];
  replacedBy: string | null;
  replacement: { by: string; at: string; note?: string } | null;
}

export function registerRescanRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db' | 'boss'>): void {
  /** The page, refused unless it is of the person's offices. */
  async function heldPage(request: FastifyRequest): Promise<HeldPage> {
    const id = Number((request.params as { id: string }).id);
    const [page] = Number.isSafeInteger(id)
      ? await deps.db.query<HeldPage>(
          `select p.id, p.book_id as "bookId", b.office_id as "officeId", p.label, p.status,
                  coalesce(p.rescan_reasons, case when p.reason is null then '{}' else array[p.reason] end) as reasons,
                  (select r.label from page r where r.id = p.replaced_by) as "replacedBy", p.replacement
             from page p join book b on b.id = p.book_id where p.id = $1`,
          [id],
        )
      : [];
    if (!page) throw new HttpRefusal('not_found');
    if (!coversOffice(request.account!, page.officeId)) throw new HttpRefusal('forbidden_office');
    return { ...page, id: Number(page.id), bookId: Number(page.bookId) };
  }

  /** The book's pages that may have replaced a held page: read or being read, in book order. */
  const replacingCandidates = (page: HeldPage) =>
    deps.db.query<{ id: number; label: string }>(
      `select p.id, p.label from page p where p.book_id = $1 and p.id <> $2 and p.status <> all($3) order by page_place(p.id)`,
      [page.bookId, page.id, NOT_REPLACING],
    );

  /**
   * The replacing page's choices on the held page's screen: every candidate (replacingCandidates), the likely ones first
   * (rankReplacingPages: numbers in the held page's gap, then pages delivered after it), each saying why, the rest after
   * them; in a book of 250 pages the rescan is not to be looked for among all of them.
   */
  async function replacingOptions(page: HeldPage, chosen: string): Promise<string> {
    const book = await deps.db.query<BookPage & { label: string; candidate: boolean }>(
      `select p.id as "pageId", p.label, (p.id <> h.id and p.status <> all($3)) as candidate,
              (p.place_by_numbers or u.place_by_numbers or u.seq > hu.seq) as late,
              coalesce((select jsonb_agg(jsonb_build_object('year', e.year, 'entryNo', e.entry_no) order by e.seq) from entry e
                         where e.page_id = p.id and not e.struck and e.entry_no is not null), '[]') as numbers
         from page p join upload u on u.id = p.upload_id, page h join upload hu on hu.id = h.upload_id
        where p.book_id = $1 and h.id = $2 and p.status <> 'duplicate' order by page_place(p.id)`,
      [page.bookId, page.id, NOT_REPLACING],
    );
    const pages = book.map((p) => ({ ...p, pageId: Number(p.pageId) }));
    const { likely, others } = rankReplacingPages(pages, page.id, pages.filter((p) => p.candidate).map((p) => p.pageId));
    const byId = new Map(pages.map((p) => [p.pageId, p]));
    const option = (pageId: number, why: string[]) => {
      const text = [pageName(byId.get(pageId)!.label), ...why].join(' · ');
      return `<option value="${pageId}"${chosen === String(pageId) ? ' selected' : ''}>${escapeHtml(text)}</option>`;
    };
    const numbersOf = (pageId: number) => {
      const own = byId.get(pageId)!.numbers.map((n) => n.entryNo);
      return own.length === 1 ? `số ${own[0]}` : `số ${Math.min(...own)}–${Math.max(...own)}`;
    };
    const first = likely.map((l) => option(l.pageId, [
      ...(l.fillsGap ? [`${numbersOf(l.pageId)}, đúng khoảng số còn thiếu quanh trang này`] : []),
      ...(l.late ? ['tải lên sau trang này'] : []),
    ])).join('');
    const rest = others.map((id) => option(id, [])).join('');
    return likely.length
      ? `<optgroup label="Có thể là bản quét lại của trang này">${first}</optgroup><optgroup label="Các trang khác của sổ">${rest}</optgroup>`
      : rest;
  }

  async function readAnywayPage(request: FastifyRequest, reply: FastifyReply) {
    const page = await heldPage(request);
    const form = formState(request, `/pages/${page.id}/read-anyway`);
    const reasons = page.reasons.map((r) => `<li>${escapeHtml(REASONS[r as ReasonCode] ?? r)}</li>`).join('');
    const replacedForm = formState(request, `/pages/${page.id}/replaced`);
    const options = page.status === 'needs_rescan' ? await replacingOptions(page, replacedForm.value('replacedBy')) : '';
    const body = page.status === 'replaced'
      ? `<p class="ok" role="status">${escapeHtml(replacementText(page))}${page.replacement ? ` · ${escapeHtml(page.replacement.by)} · ${localTime(new Date(page.replacement.at))}` : ''}.</p>`
      : page.status !== 'needs_rescan'
      ? '<p class="ok" role="status">Trang này không còn chờ quét lại.</p>'
      : `<p>Máy đánh giá ảnh quét của trang này khó đọc:</p><ul>${reasons}</ul>
<p>Nếu có thể, hãy quét lại trang rồi <a href="/upload?book=${page.bookId}">tải bản quét lại vào sổ này</a> (trang được xếp vào sổ theo số thứ tự các mục). Nếu không thể có bản quét tốt hơn (sổ quá hư hỏng, chữ quá mờ), hãy cho máy đọc trang như hiện có: mọi trường máy không chắc chắn sẽ được chuyển cho người kiểm tra.</p>
<form method="post" action="/pages/${page.id}/read-anyway">
<input type="hidden" name="_csrf" value="${escapeHtml(csrfOf(request) ?? '')}">
<label>Ghi chú (bắt buộc: vì sao không thể quét lại) <textarea name="note" required minlength="5" maxlength="1000" rows="3"${form.invalid('note')}>${escapeHtml(form.value('note'))}</textarea>${form.error('note')}</label>
<div class="actions"><button type="submit">Vẫn đọc trang này</button></div>
</form>
<h2>Bản quét lại đã có trong sổ</h2>
<p>Nếu bản quét lại của trang này đã được tải vào sổ (và không được tự động xếp vào chỗ của trang này), hãy chọn trang đã thay nó (các trang có thể là bản quét lại được liệt kê trước: số thứ tự các mục nằm trong khoảng còn thiếu quanh trang này, hoặc tải lên sau trang này), hoặc ghi chú bản quét lại ở đâu nếu không chọn được: trang được chuyển sang các vấn đề đã xử lý của sổ, ảnh quét cũ và lý do vẫn được giữ lại.</p>
<form method="post" action="/pages/${page.id}/replaced">
<input type="hidden" name="_csrf" value="${escapeHtml(csrfOf(request) ?? '')}">
<label>Trang đã thay trang này <select name="replacedBy"${replacedForm.invalid('replacedBy')}><option value="">(không chọn)</option>${options}</select>${replacedForm.error('replacedBy')}</label>
<label>Ghi chú (bắt buộc nếu không chọn trang) <input name="note" maxlength="1000" value="${escapeHtml(replacedForm.value('note'))}"${replacedForm.invalid('note')}>${replacedForm.error('note')}</label>
<div class="actions"><button type="submit">Đã thay bằng bản quét lại</button></div>
</form>`;
    const heading = page.status === 'replaced' ? 'đã thay bằng bản quét lại' : 'cần quét lại';
    return sendPage(request, reply, `Trang ${heading}`, `<h1>${escapeHtml(pageName(page.label))}: ${heading}</h1>
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
    // a page no longer held (a second click, or a rescan placed meanwhile): nothing to change
    if (page.status !== 'needs_rescan') return reply.redirect(`/books/${page.bookId}#page-${page.id}`, 303);
    const parsed = replacedSchema.safeParse(request.body);
    if (!parsed.success) throw invalidForm(parsed.error, { note: REPLACED_REFUSAL, replacedBy: REPLACED_REFUSAL }, REPLACED_REFUSAL);
    const { replacedBy, note } = parsed.data;
    if (replacedBy !== undefined && !(await replacingCandidates(page)).some((c) => Number(c.id) === replacedBy)) {
      throw new HttpRefusal('bad_request', 'Trang đã chọn không thuộc sổ này hoặc đang chờ quét lại: hãy chọn một trang khác của sổ này.', 'replacedBy');
    }
    await deps.db.transaction(async (tx) => {
      // only a page still held (two people sending the form change nothing twice); the note stays on the page
      if (!(await markPageReplaced(tx, page.id, replacedBy ?? null, { actor: request.account!.name, ...(note ? { note } : {}) }))) return;
      await recordAudit(tx, { actor: request.account!.name, action: 'page.replaced', objectType: 'page', objectId: page.id, detail: { reasons: page.reasons, replacedBy: replacedBy ?? null } });
    });
    return reply.redirect(`/books/${page.bookId}#page-${page.id}`, 303);
  });
}
