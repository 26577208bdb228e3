import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Account } from '../auth/accounts.ts';
import { handleBookIssue, IssueAlreadyHandledError, loadBookIssue, type BookIssueView } from '../review/book-issues.ts';
import { issueText, pageName } from './books-page.ts';
import { coversOffice, csrfOf } from './guard.ts';
import { escapeHtml } from './layout.ts';
import { HttpRefusal } from './refusals.ts';
import { sendPage, type HttpDeps } from './server.ts';

const OUTCOME_NAMES = { resolved: 'Đã xử lý', dismissed: 'Không phải lỗi của sổ' } as const;

const handlingSchema = z.object({ outcome: z.enum(['resolved', 'dismissed']), note: z.string().trim().min(5).max(1000) });

const when = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/**
 * One problem of a book, from its dashboard: what the checks found, with links to the page and entry, and a form
 * to settle it, resolved (put right) or dismissed (not a problem), always with a note. A settled problem is not
 * raised again by later checks of the book.
 */
export function registerIssueRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db'>): void {
  async function issueOf(rawId: string, account: Account): Promise<BookIssueView> {
    const id = Number(rawId);
    const issue = Number.isSafeInteger(id) ? await loadBookIssue(deps.db, id) : null;
    if (!issue) throw new HttpRefusal('not_found');
    if (!coversOffice(account, issue.officeId)) throw new HttpRefusal('forbidden_office');
    return issue;
  }

  app.get<{ Params: { id: string } }>('/book-issues/:id', { config: { access: 'books' } }, async (request, reply) => {
    const issue = await issueOf(request.params.id, request.account!);
    const links = [
      issue.pageId !== null ? `<a href="/pages/${issue.pageId}/image" target="_blank">Ảnh ${escapeHtml(pageName(issue.pageLabel ?? String(issue.pageId)).toLocaleLowerCase('vi'))}</a>` : '',
      issue.entryId !== null ? `<a href="/entries/${issue.entryId}">Mục đăng ký</a>` : '',
      `<a href="/books/${issue.bookId}#issues">Về sổ</a>`,
    ].filter(Boolean).join(' · ');
    const settled = issue.status === 'open'
      ? `<form method="post" action="/book-issues/${issue.id}" class="issue-form">
<input type="hidden" name="_csrf" value="${escapeHtml(csrfOf(request) ?? '')}">
<label>Ghi chú (bắt buộc: đã làm gì, hoặc vì sao không phải lỗi) <textarea name="note" required minlength="5" maxlength="1000" rows="3"></textarea></label>
<button type="submit" name="outcome" value="resolved">Đã xử lý</button> <button type="submit" name="outcome" value="dismissed">Không phải lỗi của sổ</button>
</form>
<p class="hint">Vấn đề đã xử lý sẽ không được báo lại khi sổ được kiểm tra lại.</p>`
      : `<p class="ok" role="status">${OUTCOME_NAMES[issue.status]} · ${escapeHtml(issue.handledBy ?? '')} · ${issue.handledAt ? when(issue.handledAt) : ''}</p>
<p>Ghi chú: ${escapeHtml(issue.handledNote ?? '')}</p>`;
    return sendPage(request, reply, 'Vấn đề của sổ', `<h1>Vấn đề của sổ ${escapeHtml(issue.bookNo)}</h1>
<p>${issueText(issue)}</p>
<p>${links}</p>
<p class="hint">Phát hiện lúc ${when(issue.createdAt)}.</p>
${settled}`);
  });

  app.post<{ Params: { id: string } }>('/book-issues/:id', { config: { access: 'books' } }, async (request, reply) => {
    const issue = await issueOf(request.params.id, request.account!);
    const parsed = handlingSchema.safeParse(request.body);
    if (!parsed.success) throw new HttpRefusal('bad_request', 'Hãy ghi chú đã làm gì, hoặc vì sao đây không phải lỗi của sổ (ít nhất 5 ký tự).');
    try {
      await handleBookIssue(deps.db, request.account!, { issueId: issue.id, outcome: parsed.data.outcome, note: parsed.data.note });
    } catch (error) {
      if (error instanceof IssueAlreadyHandledError) throw new HttpRefusal('issue_already_handled');
      throw error;
    }
    return reply.redirect(`/books/${issue.bookId}#issues`, 303);
  });
}
