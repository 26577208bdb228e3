import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BOOK_ISSUE_KINDS, type BookIssueKind } from '../../schemas/entries.ts';
import { FIELD_LABELS } from '../review/field-rules.js';
import { closePageIssues, keyedFields, KEYED_MARKS, KEYING_ISSUE_KINDS, KEYING_REFUSALS, keyMissingEntry, KeyingRefusal, loadKeyablePage, requiredKeyedFields, type KeyablePage, type KeyedMark } from '../review/keying.ts';
import { keyHint } from './keys.ts';
import { pageName, REGISTER_NAMES } from './books-page.ts';
import { coversOffice, csrfOf } from './guard.ts';
import { escapeHtml } from './layout.ts';
import { sendPageImage } from './page-images.ts';
import { formState, HttpRefusal } from './refusals.ts';
import { sendPage, type HttpDeps } from './server.ts';

/** Form fields carry the field key after this prefix, so no field key can collide with `_csrf` or `entryNo`. */
const FIELD_PREFIX = 'f_';
/** A field's mark when left empty (KEYED_MARKS: the book's line is empty, or unreadable) is sent under this prefix. */
const MARK_PREFIX = 'm_';

/**
 * Keying entries extraction did not find (src/review/keying.ts): the list of pages whose book issues say
 * entries are missing, and per page a form of the register's fields beside the page image. Verifiers,
 * supervisors and admins of the page's office; CSRF-protected like every form; every keying audited.
 */
export function registerKeyingRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db' | 'blobs'>): void {
  app.get('/keying', { config: { access: 'review' } }, async (request, reply) => {
    const account = request.account!;
    const rows = await deps.db.query<{ pageId: number; label: string; kind: string; detail: { missing?: number }; bookNo: string; registerType: string; office: string }>(
      `select i.page_id as "pageId", p.label, i.kind, i.detail, b.book_no as "bookNo", b.register_type as "registerType", o.name as office
         from book_issue i join page p on p.id = i.page_id join book b on b.id = i.book_id join registry_office o on o.id = b.office_id
        where i.status = 'open' and i.kind = any($1) and ($2 or b.office_id = any($3))
        order by b.id, p.id limit 500`,
      [[...KEYING_ISSUE_KINDS], account.allOffices, account.officeIds],
    );
    const list = rows.map((r) => `<li><a href="/pages/${r.pageId}/key-entry">${REGISTER_NAMES[r.registerType] ?? escapeHtml(r.registerType)} · quyển ${escapeHtml(r.bookNo)} · ${escapeHtml(r.office)} · ${escapeHtml(pageName(r.label))}</a>: ${
      escapeHtml(BOOK_ISSUE_KINDS[r.kind as BookIssueKind] ?? r.kind)}${typeof r.detail.missing === 'number' ? ` Còn thiếu ${r.detail.missing} mục.` : ''}</li>`).join('\n');
    return sendPage(request, reply, 'Nhập tay', `<h1>Trang cần nhập tay</h1>
<p>Các trang máy chưa bóc tách đủ mục đăng ký. Mở trang, đối chiếu với ảnh và nhập mục còn thiếu.</p>
${rows.length ? `<ul class="issues" id="keying-pages">${list}</ul>` : '<p>Không có trang nào cần nhập tay.</p>'}`);
  });

  app.get<{ Params: { id: string }; Querystring: { original?: string } }>('/pages/:id/keying-image', { config: { access: 'review' } }, (request, reply) => sendPageImage(deps, request, reply));

  const pageFor = async (id: string, account: NonNullable<import('fastify').FastifyRequest['account']>): Promise<KeyablePage> => {
    const pageId = Number(id);
    const page = Number.isSafeInteger(pageId) ? await loadKeyablePage(deps.db, pageId) : null;
    if (!page) throw new HttpRefusal('not_found', KEYING_REFUSALS.page_not_keyable);
    if (!coversOffice(account, page.officeId)) throw new HttpRefusal('forbidden_office');
    return page;
  };

  /** The keying screen of a page; shown again with what was typed when the form is refused. */
  async function keyingPage(request: FastifyRequest, reply: FastifyReply) {
    const page = await pageFor((request.params as { id: string }).id, request.account!);
    const saved = Number((request.query as { saved?: string }).saved);
    const savedEntry = request.method === 'GET' && Number.isSafeInteger(saved) ? page.entries.find((e) => e.id === saved) : undefined;
    const notice = savedEntry ? `<p class="ok" role="status" id="saved">Đã lưu mục số ${savedEntry.entryNo}. Sổ đã được kiểm tra lại.</p>` : '';
    return sendPage(request, reply, `Nhập mục · ${pageName(page.label)}`, keyingScreen(page, request, notice), { scripts: ['/assets/keying.js'] });
  }

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>('/pages/:id/key-entry', { config: { access: 'review' } }, keyingPage);

  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/pages/:id/key-entry', { config: { access: 'review', formPage: keyingPage } }, async (request, reply) => {
    const page = await pageFor(request.params.id, request.account!);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const typed: Record<string, string> = {};
    for (const [name, value] of Object.entries(body)) {
      if (name.startsWith(FIELD_PREFIX) && typeof value === 'string' && value.length <= 500) typed[name.slice(FIELD_PREFIX.length)] = value;
    }
    const marks: Record<string, KeyedMark> = {};
    for (const [name, value] of Object.entries(body)) {
      if (name.startsWith(MARK_PREFIX) && typeof value === 'string' && Object.hasOwn(KEYED_MARKS, value)) marks[name.slice(MARK_PREFIX.length)] = value as KeyedMark;
    }
    const entryNo = typeof body.entryNo === 'string' ? body.entryNo : '';
    const ms = Number(body.ms);
    try {
      const { entryId } = await keyMissingEntry(deps.db, request.account!, { pageId: page.pageId, entryNo, fields: typed, marks, ...(Number.isFinite(ms) ? { ms } : {}) });
      return reply.redirect(`/pages/${page.pageId}/key-entry?saved=${entryId}`, 303);
    } catch (error) {
      if (!(error instanceof KeyingRefusal)) throw error;
      if (error.code === 'forbidden_office') throw new HttpRefusal('forbidden_office');
      if (error.code === 'page_not_keyable') throw new HttpRefusal('not_found', error.message);
      // the form again with what was typed, the refusal beside the field at fault (src/http/server.ts)
      throw new HttpRefusal(error.code, keyingRefusalText(error), error.field === null ? null : error.field === 'entryNo' ? 'entryNo' : `${FIELD_PREFIX}${error.field}`);
    }
  });

  app.post<{ Params: { id: string } }>('/pages/:id/keying-done', { config: { access: 'review' } }, async (request, reply) => {
    const page = await pageFor(request.params.id, request.account!);
    await closePageIssues(deps.db, request.account!, page.pageId);
    return reply.redirect('/keying', 303);
  });
}

/** The page image beside a form of the register's fields, in the printed form's order. */
function keyingScreen(page: KeyablePage, request: FastifyRequest, notice: string): string {
  const csrf = csrfOf(request) ?? '';
  const form = formState(request, `/pages/${page.pageId}/key-entry`);
  const input = (name: string, field: string, label: string, required = false) =>
    `<label>${escapeHtml(label)}<input name="${name}" data-field="${field}" value="${escapeHtml(form.value(name))}"${required ? ' required inputmode="numeric" pattern="[0-9]{1,6}"' : ''}${form.invalid(name)}><small class="check" aria-live="polite"></small>${form.error(name)}</label>`;
  const required = new Set(requiredKeyedFields(page.registerType, page.era));
  // A field left empty says why: the book's line is empty, or it cannot be read. Required fields must have a value or one of these.
  const mark = (field: string, label: string) => {
    const chosen = form.value(`${MARK_PREFIX}${field}`);
    const choices: Array<[string, string]> = [['', required.has(field) ? 'Bắt buộc' : '—'], ...Object.entries(KEYED_MARKS)];
    const options = choices.map(([value, text]) => `<option value="${value}"${chosen === value ? ' selected' : ''}>${escapeHtml(text)}</option>`).join('');
    return `<select name="${MARK_PREFIX}${field}" class="mark" aria-label="${escapeHtml(`${label}: để trống vì`)}">${options}</select>`;
  };
  const fields = keyedFields(page.registerType, page.era)
    .map((field) => {
      const label = FIELD_LABELS[field as keyof typeof FIELD_LABELS] ?? field;
      return input(`${FIELD_PREFIX}${field}`, field, required.has(field) ? `${label} *` : label).replace('</label>', `${mark(field, label)}</label>`);
    })
    .join('\n');
  const issues = page.issues.map((i) => `<li>${escapeHtml(BOOK_ISSUE_KINDS[i.kind as BookIssueKind] ?? i.kind)}${typeof i.detail.missing === 'number' ? ` Còn thiếu ${i.detail.missing} mục.` : ''}</li>`).join('');
  const found = page.entries.map((e) => `${e.entryNo ?? '?'}${e.keyed ? ' (nhập tay)' : ''}`).join(', ');
  return `<h1>Nhập mục còn thiếu · ${REGISTER_NAMES[page.registerType] ?? escapeHtml(page.registerType)} · quyển ${escapeHtml(page.bookNo)} · ${escapeHtml(pageName(page.label))}</h1>
${notice}
<div class="review keying" data-year="${page.yearTo ?? page.yearFrom ?? ''}">
  <section>
    <div class="crop"><img src="/pages/${page.pageId}/keying-image" alt="Ảnh trang ${escapeHtml(pageName(page.label))}"></div>
  </section>
  <section>
    ${issues ? `<ul class="issues" id="page-issues">${issues}</ul>` : '<p id="page-issues">Trang không còn vấn đề nào cần nhập tay.</p>'}
    <p>Các mục đã có trên trang: <span id="page-entries">${found || 'chưa có'}</span>.</p>
    <form method="post" action="/pages/${page.pageId}/key-entry" class="fields" id="keying-form" autocomplete="off">
      <input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="ms" value="">
      ${input('entryNo', 'entryNo', `${FIELD_LABELS.entryNo ?? 'Số'} *`, true)}
      ${fields}
      <p class="keys"><kbd>Enter</kbd> sang trường sau · <kbd>Ctrl+Enter</kbd> lưu mục · ${keyHint('F2')} · ${keyHint('F6')}.
        Trường có dấu * là bắt buộc: nhập giá trị, hoặc chọn «Sổ để trống» hay «Không đọc được» bên cạnh. Trường không bắt buộc để trống mà không chọn «Sổ để trống» thì ghi là «Chưa đối chiếu». Mọi giá trị được kiểm tra theo quy cách của trường.</p>
      <button type="submit">Lưu mục</button>
    </form>
    <form method="post" action="/pages/${page.pageId}/keying-done" class="inline">
      <input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
      <button type="submit" id="keying-done">Trang đã đủ mục: đóng vấn đề</button>
    </form>
  </section>
</div>`;
}

/**
 * A keying refusal as the person reads it: the field at fault named before the message ("Ngày sinh: Giá trị không
 * đúng quy cách…"), not in brackets after it, where a label with its own brackets read "(Số (số thứ tự trong sổ))".
 * The entry number's refusals already say "số thứ tự", so they stand alone.
 */
export function keyingRefusalText(error: KeyingRefusal): string {
  if (error.field === null || error.field === 'entryNo') return error.message;
  return `${FIELD_LABELS[error.field as keyof typeof FIELD_LABELS] ?? error.field}: ${error.message}`;
}
