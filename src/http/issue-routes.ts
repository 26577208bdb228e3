import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Account } from '../auth/accounts.ts';
import { FIELD_KEYS } from '../../schemas/corpus.ts';
import { may } from '../auth/roles.ts';
import { officesOf } from '../auth/manage.ts';
import { changedField, parseReference } from '../extract/change-judging.ts';
import { changeWords } from '../extract/notes.ts';
import { SUBJECTS } from '../match/features.ts';
import { foldDiacritics } from '../text/normalise.ts';
import { BookYearsRefusedError, handleBookIssue, IssueAlreadyHandledError, loadBookIssue, settleBookYears, type BookIssueView } from '../review/book-issues.ts';
import { tieChange, TIE_KINDS, TieRefusedError, type TieRegister } from '../review/change-ties.ts';
import { MOVABLE_ISSUE_KINDS, movePage, MoveRefusedError } from '../review/move-page.ts';
import { bookNumberKey } from '../text/book-no.ts';
import { loadEntry } from '../review/corrections.ts';
import { displayValue, FIELD_LABELS } from '../review/field-rules.js';
import { checkFieldValue } from '../review/value-check.ts';
import { ISSUE_OUTCOME_NAMES, issueText, pageName, pageNameInSentence, REGISTER_NAMES } from './books-page.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { coversOffice, csrfOf } from './guard.ts';
import { escapeHtml, localTime } from './layout.ts';
import { formState, HttpRefusal, invalidForm, type RefusalCode } from './refusals.ts';
import { sendPage, type HttpDeps } from './server.ts';

const handlingSchema = z.object({ outcome: z.enum(['resolved', 'dismissed']), note: z.string().trim().min(5).max(1000) });

const yearsSchema = z.object({ yearFrom: z.coerce.number().int(), yearTo: z.coerce.number().int(), note: z.string().trim().min(5).max(1000) });

/** What each refusal of a book's years answers. */
const YEARS_REFUSALS = {
  issue_already_handled: 'issue_already_handled',
  not_book_years: 'not_found',
  bad_years: 'bad_request',
  other_book_of_years: 'book_of_years_exists',
} as const satisfies Record<BookYearsRefusedError['code'], RefusalCode>;

const moveSchema = z.object({ targetBookId: z.coerce.number().int().positive(), note: z.string().trim().min(5).max(1000) });

/** What each refusal of a move answers. */
const MOVE_REFUSALS = {
  issue_already_handled: 'issue_already_handled',
  not_movable: 'not_found',
  same_book: 'bad_request',
  book_not_found: 'not_found',
} as const satisfies Record<MoveRefusedError['code'], RefusalCode>;

/** What settling an issue that sets its page aside (onPageSetAsideSql) does to the page's entries. */
const SET_ASIDE_HINTS: Readonly<Record<string, string>> = {
  duplicate_page: 'Các mục của bản quét này đang được giữ lại (không cấp cho bên ngoài, không đưa đi kiểm tra). “Không phải lỗi của sổ”: đây là hai trang khác nhau, các mục của trang này được dùng như mọi mục khác. “Đã xử lý”: bản quét thừa, các mục vẫn được giữ lại.',
  page_of_other_book: 'Các mục của trang đang được giữ lại (không cấp cho bên ngoài, không đưa đi kiểm tra). Chuyển trang sang sổ đúng ở dưới; “Không phải lỗi của sổ”: trang là của sổ này, các mục được dùng như mọi mục khác.',
  page_of_other_register: 'Các mục của trang đang được giữ lại (không cấp cho bên ngoài, không đưa đi kiểm tra). Chuyển trang sang sổ đúng ở dưới; “Không phải lỗi của sổ”: trang là của sổ này, các mục được dùng như mọi mục khác.',
};

/** The registers a change refers to, as staff name them. */
const TIE_REGISTERS: readonly TieRegister[] = ['birth', 'marriage', 'death'];

const tieSchema = z.object({
  registerType: z.enum(['birth', 'marriage', 'death']),
  officeId: z.coerce.number().int().positive(),
  bookNo: z.string().trim().min(1).max(20),
  year: z.coerce.number().int().min(1900).max(2100),
  entryNo: z.coerce.number().int().min(1).max(999999),
  kind: z.enum(Object.keys(TIE_KINDS) as [keyof typeof TIE_KINDS, ...(keyof typeof TIE_KINDS)[]]),
  field: z.string().min(1).max(40),
  oldValue: z.string().max(500).default(''),
  newValue: z.string().trim().min(1).max(500),
  date: z.string().max(40).default(''),
  note: z.string().trim().min(5).max(1000),
});

/** What each refusal of a tie answers (src/http/refusals.ts codes). */
const TIE_REFUSALS = {
  issue_already_handled: 'issue_already_handled',
  not_a_change: 'not_found',
  original_not_found: 'change_original_not_found',
  original_ambiguous: 'change_original_ambiguous',
  field_unknown: 'change_field_unknown',
} as const satisfies Record<TieRefusedError['code'], RefusalCode>;

/** The form field each refusal of a tie is about. */
const TIE_FIELDS: Partial<Record<TieRefusedError['code'], string>> = { original_not_found: 'entryNo', original_ambiguous: 'entryNo', field_unknown: 'field' };

/**
 * How a person may settle an issue. A change held for a person is a supervisor's: it is put right only by tying it
 * to its original (the tie form), or dismissed; marked put right without that, it would never reach its original.
 * A page of another book or register is put right by moving it, or dismissed (it is this book's after all).
 */
function outcomesFor(issue: BookIssueView, account: Account): ('resolved' | 'dismissed')[] {
  if (issue.kind === 'change_unresolved') return may(account.role, 'arbitrate') ? ['dismissed'] : [];
  // a page of another book is put right by moving it (the move form); marked put right, its entries stayed set aside
  if ((MOVABLE_ISSUE_KINDS as readonly string[]).includes(issue.kind)) return ['dismissed'];
  // the book's years are settled by saying which they are (the years form): the book's checks then judge its dates again
  if (issue.kind === 'book_years_in_doubt') return [];
  return ['resolved', 'dismissed'];
}

const option = (value: string | number, label: string, selected: boolean) =>
  `<option value="${escapeHtml(String(value))}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
/** The first option of a select the machine could not fill: the person must choose (a silent first choice went wrong). */
const unchosen = (selected: boolean) => `<option value=""${selected ? ' selected' : ''}>— chọn —</option>`;

/**
 * The change a `change_unresolved` issue holds, as read, and for a supervisor a form to write it onto its original
 * by hand, filled in from what the machine read of the reference.
 */
async function changeSection(deps: Pick<HttpDeps, 'db'>, issue: BookIssueView, request: FastifyRequest, csrf: string): Promise<string> {
  const account = request.account!;
  if (issue.kind !== 'change_unresolved' || issue.entryId === null) return '';
  const change = await loadEntry(deps.db, issue.entryId);
  if (!change) return '';
  const read = Object.fromEntries(change.fields.map((f) => [f.field, f.value ?? '']));
  const rows = change.fields
    .map((f) => `<tr><td>${escapeHtml(FIELD_LABELS[f.field as keyof typeof FIELD_LABELS] ?? f.field)}</td><td>${escapeHtml(displayValue(f.field, f.value))}</td></tr>`)
    .join('');
  const table = `<h2>Mục thay đổi, cải chính (máy đọc)</h2><table class="grid"><tbody>${rows}</tbody></table>`;
  if (issue.status !== 'open' || !may(account.role, 'arbitrate')) return table;
  const ref = parseReference(Object.fromEntries(change.fields.map((f) => [f.field, { value: f.value, status: f.status, confidence: 0 }])));
  const offices = await officesOf(deps.db, account);
  // what the change says it changes, for its register's first subject (the supervisor picks another if need be)
  const described = read.changeContent ? changeWords(foldDiacritics(read.changeContent)) : null;
  const field = described && ref.type ? changedField(described.field, SUBJECTS[ref.type][0]!) : null;
  // what the machine read, or what the supervisor typed when the form was refused
  const form = formState(request, `/book-issues/${issue.id}/tie`);
  const chosen = {
    registerType: form.value('registerType', ref.type ?? ''),
    officeId: form.value('officeId', String(issue.officeId)),
    kind: form.value('kind', described?.kind ?? ''),
    field: form.value('field', ref.type && field ? field : ''),
  };
  const fields = TIE_REGISTERS.map((t) => `<optgroup label="${REGISTER_NAMES[t]}">${FIELD_KEYS[t]
    .map((f) => option(f, FIELD_LABELS[f as keyof typeof FIELD_LABELS] ?? f, t === chosen.registerType && f === chosen.field)).join('')}</optgroup>`).join('');
  const text = (name: string, label: string, initial: string, attrs = '') =>
    `<label>${label} <input name="${name}"${attrs} value="${escapeHtml(form.value(name, initial))}"${form.invalid(name)}>${form.error(name)}</label>`;
  return `${table}
<h2>Ghi thay đổi vào mục đăng ký gốc</h2>
<form method="post" action="/book-issues/${issue.id}/tie" class="tie-form">
<input type="hidden" name="_csrf" value="${csrf}">
<label>Loại việc <select name="registerType" required${form.invalid('registerType')}>${unchosen(chosen.registerType === '')}${TIE_REGISTERS.map((t) => option(t, REGISTER_NAMES[t], t === chosen.registerType)).join('')}</select>${form.error('registerType')}</label>
<label>Nơi đăng ký <select name="officeId"${form.invalid('officeId')}>${offices.map((o) => option(o.id, `${o.code} – ${o.name}`, String(o.id) === chosen.officeId)).join('')}</select>${form.error('officeId')}</label>
${text('bookNo', 'Quyển số', read.refBookNo ?? '', ' required')}
${text('year', 'Năm', String(ref.year ?? ''), ' required inputmode="numeric"')}
${text('entryNo', 'Số', String(ref.entryNo ?? ''), ' required inputmode="numeric"')}
<label>Việc <select name="kind" required${form.invalid('kind')}>${unchosen(chosen.kind === '')}${Object.entries(TIE_KINDS).map(([k, label]) => option(k, label, k === chosen.kind)).join('')}</select>${form.error('kind')}</label>
<label>Trường được thay đổi <select name="field" required${form.invalid('field')}>${unchosen(chosen.field === '')}${fields}</select>${form.error('field')}</label>
${text('oldValue', 'Giá trị trước (để trống: giá trị trong mục gốc)', read.oldValue ?? '')}
${text('newValue', 'Giá trị sau', read.newValue ?? '', ' required')}
${text('date', 'Ngày đăng ký thay đổi', displayValue('registrationDate', read.registrationDate || null))}
<label>Ghi chú (bắt buộc) <textarea name="note" required minlength="5" maxlength="1000" rows="2"${form.invalid('note')}>${escapeHtml(form.value('note'))}</textarea>${form.error('note')}</label>
<button type="submit">Ghi vào mục gốc</button>
</form>`;
}

/** For a book whose years may be wrong, a form to say which years it holds, filled in with the years its entries show. */
function yearsSection(issue: BookIssueView, request: FastifyRequest, csrf: string): string {
  if (issue.kind !== 'book_years_in_doubt' || issue.status !== 'open') return '';
  const shown = issue.detail as { yearFrom?: unknown; yearTo?: unknown };
  const form = formState(request, `/book-issues/${issue.id}/years`);
  return `<h2>Xác nhận năm của sổ</h2>
<form method="post" action="/book-issues/${issue.id}/years" class="years-form">
<input type="hidden" name="_csrf" value="${csrf}">
<label>Từ năm <input name="yearFrom" required inputmode="numeric" value="${escapeHtml(form.value('yearFrom', String(shown.yearFrom ?? '')))}"${form.invalid('yearFrom')}>${form.error('yearFrom')}</label>
<label>Đến năm <input name="yearTo" required inputmode="numeric" value="${escapeHtml(form.value('yearTo', String(shown.yearTo ?? '')))}"${form.invalid('yearTo')}>${form.error('yearTo')}</label>
<label>Ghi chú (bắt buộc: bìa sổ ghi gì) <textarea name="note" required minlength="5" maxlength="1000" rows="2"${form.invalid('note')}>${escapeHtml(form.value('note'))}</textarea>${form.error('note')}</label>
<button type="submit">Xác nhận năm của sổ</button>
</form>
<p class="hint">Nếu năm xác nhận là năm đang ghi cho sổ, từng ngày đăng ký nằm ngoài năm đó được chuyển cho người kiểm tra.</p>`;
}

/**
 * For a page filed into the wrong book, a form to move it to its own book among the office's others, grouped by
 * register: the book whose number its entries read (or the one book of the register its form is) is chosen; when no
 * book fits, the person must choose, and is told which book was looked for.
 */
async function moveSection(deps: Pick<HttpDeps, 'db'>, issue: BookIssueView, request: FastifyRequest, csrf: string): Promise<string> {
  if (issue.status !== 'open' || issue.pageId === null || !(MOVABLE_ISSUE_KINDS as readonly string[]).includes(issue.kind)) return '';
  const books = await deps.db.query<{ id: number; registerType: string; bookNo: string; yearFrom: number | null; yearTo: number | null; own: boolean }>(
    `select b.id, b.register_type as "registerType", b.book_no as "bookNo", b.year_from as "yearFrom", b.year_to as "yearTo",
            b.register_type = s.register_type as own
       from book b join book s on s.id = $1 where b.office_id = s.office_id and b.id <> s.id
      order by b.register_type, b.year_from nulls last, b.book_no limit 1000`,
    [issue.bookId],
  );
  const heading = '<h2>Chuyển trang sang sổ khác</h2>';
  if (books.length === 0) return `${heading}<p class="hint">Cơ quan chưa có sổ nào khác: hãy tạo sổ đúng (tải lên một trang của sổ đó) rồi quay lại đây.</p>`;
  const detail = issue.detail as { read?: unknown; registerType?: unknown };
  const read = typeof detail.read === 'string' ? detail.read : null;
  const fitting = books.filter((b) => issue.kind === 'page_of_other_book'
    ? b.own && bookNumberKey(b.bookNo) === bookNumberKey(read)
    : b.registerType === detail.registerType);
  const form = formState(request, `/book-issues/${issue.id}/move`);
  const fits = fitting.length === 1 ? fitting[0]!.id : null;
  const typedBook = Number(form.value('targetBookId', String(fits ?? '')));
  const chosen = books.some((b) => b.id === typedBook) ? typedBook : null;
  const looked = issue.kind === 'page_of_other_book'
    ? `quyển ${escapeHtml(read ?? '?')} của loại sổ này`
    : `sổ ${escapeHtml((REGISTER_NAMES[String(detail.registerType)] ?? String(detail.registerType)).toLocaleLowerCase('vi'))}`;
  const hint = fits !== null ? ''
    : fitting.length === 0 ? `<p class="warn">Cơ quan chưa có ${looked}: chọn đúng sổ của trang, hoặc tải trang lên sổ đó (tạo sổ mới khi tải lên).</p>`
    : `<p class="warn">Cơ quan có ${fitting.length} ${looked}: chọn đúng sổ của trang.</p>`;
  const years = (b: (typeof books)[number]) => (b.yearFrom ? ` (${b.yearFrom}${b.yearTo && b.yearTo !== b.yearFrom ? `–${b.yearTo}` : ''})` : '');
  const groups = [...new Set(books.map((b) => b.registerType))].map((type) => `<optgroup label="${escapeHtml(REGISTER_NAMES[type] ?? type)}">${books
    .filter((b) => b.registerType === type).map((b) => option(b.id, `quyển ${b.bookNo}${years(b)}`, b.id === chosen)).join('')}</optgroup>`).join('');
  return `${heading}
${hint}<form method="post" action="/book-issues/${issue.id}/move" class="move-form">
<input type="hidden" name="_csrf" value="${csrf}">
<label>Sổ đúng của trang <select name="targetBookId" required${form.invalid('targetBookId')}><option value=""${chosen === null ? ' selected' : ''}>— chọn sổ —</option>${groups}</select>${form.error('targetBookId')}</label>
<label>Ghi chú (bắt buộc) <textarea name="note" required minlength="5" maxlength="1000" rows="2"${form.invalid('note')}>${escapeHtml(form.value('note'))}</textarea>${form.error('note')}</label>
<button type="submit">Chuyển trang</button>
</form>
<p class="hint">Trang được đọc lại theo mẫu của sổ đó và các mục của trang thuộc về sổ đó; vấn đề này được đánh dấu đã xử lý.</p>`;
}

/**
 * The page an issue is on, to look at without leaving the issue; a second scan beside the page it repeats. The images
 * come from the audited page route.
 */
function pageImages(issue: BookIssueView): string {
  if (issue.pageId === null) return '';
  const of = issue.kind === 'duplicate_page' ? Number((issue.detail as { of?: unknown }).of) : NaN;
  const figure = (pageId: number, label: string | null) =>
    `<figure><a href="/pages/${pageId}/image" target="_blank"><img src="/pages/${pageId}/image" alt="${escapeHtml(pageName(label ?? String(pageId)))}" loading="lazy"></a><figcaption>${escapeHtml(pageName(label ?? String(pageId)))}</figcaption></figure>`;
  return `<div class="issue-pages">${figure(issue.pageId, issue.pageLabel)}${Number.isSafeInteger(of) ? figure(of, issue.ofPageLabel) : ''}</div>`;
}

/**
 * One problem of a book, from its dashboard: what the checks found, with links to the page and entry, and a form
 * to settle it, resolved (put right) or dismissed (not a problem), always with a note. A settled problem is not
 * raised again by later checks of the book.
 */
export function registerIssueRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db' | 'boss'>): void {
  async function issueOf(rawId: string, account: Account): Promise<BookIssueView> {
    const id = Number(rawId);
    const issue = Number.isSafeInteger(id) ? await loadBookIssue(deps.db, id) : null;
    if (!issue) throw new HttpRefusal('not_found');
    if (!coversOffice(account, issue.officeId)) throw new HttpRefusal('forbidden_office');
    return issue;
  }

  /** What dismissing a struck_entry issue did to its entry (src/review/book-issues.ts restoreStruckEntry), said where it was done. */
  async function restoredNotice(issue: BookIssueView): Promise<string> {
    if (issue.kind !== 'struck_entry' || issue.status !== 'dismissed' || issue.entryId === null) return '';
    const [entry] = await deps.db.query<{ struck: boolean; toReview: number }>(
      `select e.struck or e.status = 'struck' as struck, (select count(*)::int from entry_field f where f.entry_id = e.id and f.status = 'review') as "toReview"
         from entry e where e.id = $1`, [issue.entryId]);
    if (!entry || entry.struck) return '';
    return `<p class="ok" id="entry-restored">Mục đăng ký này không còn bị coi là gạch bỏ: mục được giữ lại trong sổ${
      entry.toReview > 0 ? ` và ${entry.toReview} trường của mục đang chờ người kiểm tra đối chiếu với ảnh (giá trị máy đọc)` : ''}.</p>`;
  }

  /** The issue's page, also shown again with what was typed when one of its forms is refused. */
  async function issuePage(request: FastifyRequest, reply: FastifyReply) {
    const issue = await issueOf((request.params as { id: string }).id, request.account!);
    const form = formState(request, `/book-issues/${issue.id}`);
    const links = [
      issue.pageId !== null ? `<a href="/pages/${issue.pageId}/image" target="_blank">Ảnh ${escapeHtml(pageNameInSentence(issue.pageLabel ?? String(issue.pageId)))}</a>` : '',
      issue.entryId !== null ? `<a href="/entries/${issue.entryId}">Mục đăng ký</a>` : '',
      `<a href="/books/${issue.bookId}#issues">Về sổ</a>`,
    ].filter(Boolean).join(' · ');
    const outcomes = outcomesFor(issue, request.account!);
    const settled = issue.status !== 'open'
      ? `<p class="ok" role="status">${ISSUE_OUTCOME_NAMES[issue.status]} · ${escapeHtml(issue.handledBy ?? '')} · ${issue.handledAt ? localTime(issue.handledAt) : ''}</p>
<p>Ghi chú: ${escapeHtml(issue.handledNote ?? '')}</p>${await restoredNotice(issue)}`
      : outcomes.length === 0 ? (issue.kind === 'book_years_in_doubt'
        // staff settle the book's years themselves, with the years form below
        ? '<p class="hint">Xem bìa sổ rồi xác nhận năm của sổ ở mẫu dưới đây.</p>' : '<p class="hint">Giám sát viên xử lý vấn đề này.</p>')
      : `<form method="post" action="/book-issues/${issue.id}" class="issue-form">
<input type="hidden" name="_csrf" value="${escapeHtml(csrfOf(request) ?? '')}">
<label>Ghi chú (bắt buộc: đã làm gì, hoặc vì sao không phải lỗi) <textarea name="note" required minlength="5" maxlength="1000" rows="3"${form.invalid('note')}>${escapeHtml(form.value('note'))}</textarea>${form.error('note')}</label>
<div class="actions">${outcomes.map((o) => `<button type="submit" name="outcome" value="${o}">${ISSUE_OUTCOME_NAMES[o]}</button>`).join(' ')}</div>
</form>
<p class="hint">“${ISSUE_OUTCOME_NAMES.dismissed}” không được báo lại khi sổ được kiểm tra lại; “${ISSUE_OUTCOME_NAMES.resolved}” được báo lại nếu lần kiểm tra sau vẫn thấy.</p>
${SET_ASIDE_HINTS[issue.kind] ? `<p class="hint">${SET_ASIDE_HINTS[issue.kind]}</p>` : ''}`;
    const change = await changeSection(deps, issue, request, escapeHtml(csrfOf(request) ?? ''));
    const move = (await moveSection(deps, issue, request, escapeHtml(csrfOf(request) ?? ''))) + yearsSection(issue, request, escapeHtml(csrfOf(request) ?? ''));
    const book = `${REGISTER_NAMES[issue.registerType] ?? escapeHtml(issue.registerType)} · quyển ${escapeHtml(issue.bookNo)} · ${escapeHtml(issue.officeName)}`;
    return sendPage(request, reply, 'Vấn đề của sổ', `<h1>Vấn đề của sổ ${book}</h1>
<p>${issueText(issue, may(request.account!.role, 'review'))}</p>
<p>${links}</p>
<p class="hint">Phát hiện lúc ${localTime(issue.createdAt)}.</p>
${pageImages(issue)}
${settled}
${move}
${change}`);
  }

  app.get<{ Params: { id: string } }>('/book-issues/:id', { config: { access: 'books' } }, issuePage);

  app.post<{ Params: { id: string } }>('/book-issues/:id', { config: { access: 'books', formPage: issuePage } }, async (request, reply) => {
    const issue = await issueOf(request.params.id, request.account!);
    const parsed = handlingSchema.safeParse(request.body);
    if (!parsed.success) throw invalidForm(parsed.error, { outcome: 'Hãy chọn một cách xử lý.' }, 'Hãy ghi chú đã làm gì, hoặc vì sao đây không phải lỗi của sổ (ít nhất 5 ký tự).');
    if (!outcomesFor(issue, request.account!).includes(parsed.data.outcome)) throw new HttpRefusal('forbidden_role');
    try {
      await handleBookIssue(deps.db, request.account!, { issueId: issue.id, outcome: parsed.data.outcome, note: parsed.data.note });
    } catch (error) {
      if (error instanceof IssueAlreadyHandledError) throw new HttpRefusal('issue_already_handled');
      throw error;
    }
    // a struck entry dismissed is an entry again, its fields sent to review: the issue's page says so
    if (issue.kind === 'struck_entry' && parsed.data.outcome === 'dismissed') return reply.redirect(`/book-issues/${issue.id}`, 303);
    return reply.redirect(`/books/${issue.bookId}#issues`, 303);
  });

  app.post<{ Params: { id: string } }>('/book-issues/:id/move', { config: { access: 'books', formPage: issuePage } }, async (request, reply) => {
    const issue = await issueOf(request.params.id, request.account!);
    const parsed = moveSchema.safeParse(request.body);
    if (!parsed.success) throw invalidForm(parsed.error, { targetBookId: 'Hãy chọn sổ đúng của trang.', note: 'Hãy ghi chú vì sao chuyển trang (ít nhất 5 ký tự).' }, 'Hãy chọn sổ đúng của trang và ghi chú (ít nhất 5 ký tự).');
    const [target] = await deps.db.query<{ officeId: number }>('select office_id as "officeId" from book where id = $1', [parsed.data.targetBookId]);
    if (!target) throw new HttpRefusal('not_found');
    if (!coversOffice(request.account!, target.officeId)) throw new HttpRefusal('forbidden_office');
    try {
      await movePage(deps, request.account!, { issueId: issue.id, targetBookId: parsed.data.targetBookId, note: parsed.data.note });
    } catch (error) {
      if (error instanceof MoveRefusedError) throw new HttpRefusal(MOVE_REFUSALS[error.code], undefined, error.code === 'same_book' || error.code === 'book_not_found' ? 'targetBookId' : null);
      throw error;
    }
    // to the page in the book it went to: the person sees where it is and that it is being read there
    return reply.redirect(`/books/${parsed.data.targetBookId}?at=${issue.pageId}#page-${issue.pageId}`, 303);
  });

  app.post<{ Params: { id: string } }>('/book-issues/:id/years', { config: { access: 'books', formPage: issuePage } }, async (request, reply) => {
    const issue = await issueOf(request.params.id, request.account!);
    const parsed = yearsSchema.safeParse(request.body);
    if (!parsed.success) throw invalidForm(parsed.error, { yearFrom: 'Hãy ghi năm đầu của sổ (4 chữ số).', yearTo: 'Hãy ghi năm cuối của sổ (4 chữ số).', note: 'Hãy ghi chú bìa sổ ghi gì (ít nhất 5 ký tự).' }, 'Hãy ghi năm đầu, năm cuối của sổ và ghi chú (ít nhất 5 ký tự).');
    try {
      await settleBookYears(deps.db, request.account!, { issueId: issue.id, ...parsed.data });
    } catch (error) {
      if (error instanceof BookYearsRefusedError) throw new HttpRefusal(YEARS_REFUSALS[error.code], error.code === 'bad_years' ? 'Năm của sổ nằm trong khoảng 1900–2100, năm đầu không sau năm cuối.' : undefined, error.code === 'bad_years' || error.code === 'other_book_of_years' ? 'yearFrom' : null);
      throw error;
    }
    return reply.redirect(`/books/${issue.bookId}#issues`, 303);
  });

  app.post<{ Params: { id: string } }>('/book-issues/:id/tie', { config: { access: 'arbitrate', formPage: issuePage } }, async (request, reply) => {
    const issue = await issueOf(request.params.id, request.account!);
    if (issue.kind !== 'change_unresolved' || issue.entryId === null) throw new HttpRefusal('not_found');
    const parsed = tieSchema.safeParse(request.body);
    if (!parsed.success) {
      throw invalidForm(parsed.error, {
        registerType: 'Hãy chọn loại việc của mục gốc.', officeId: 'Hãy chọn nơi đăng ký mục gốc.', bookNo: 'Hãy nhập quyển số của mục gốc.',
        year: 'Năm đăng ký mục gốc là số có 4 chữ số (1900–2100).', entryNo: 'Số của mục gốc là một số nguyên dương.', kind: 'Hãy chọn việc thay đổi.',
        field: 'Hãy chọn trường được thay đổi.', newValue: 'Hãy nhập giá trị sau khi thay đổi.', note: 'Hãy ghi chú (ít nhất 5 ký tự).',
      }, 'Hãy điền đủ mục gốc (loại việc, nơi đăng ký, quyển, năm, số), giá trị sau và ghi chú (ít nhất 5 ký tự).');
    }
    const input = parsed.data;
    if (!(await officesOf(deps.db, request.account!)).some((o) => Number(o.id) === input.officeId)) throw new HttpRefusal('forbidden_office');
    // values in the field's normal form, checked by the rules a verifier's typing is checked by, as of the change's
    // own year (a change registered in 2012 may correct a birth date of 1999 and is itself dated 2012)
    const normal = (field: string, text: string, input: string) => {
      if (!text.trim()) return null;
      const check = checkFieldValue(field, text, { pivot: issue.year ?? new Date().getFullYear() });
      if (!check.ok) throw new HttpRefusal('bad_value', check.message ?? undefined, input);
      return check.value;
    };
    try {
      await tieChange(deps.db, request.account!, {
        issueId: issue.id,
        changeEntryId: issue.entryId,
        target: { registerType: input.registerType, officeId: input.officeId, bookNo: input.bookNo, year: input.year, entryNo: input.entryNo },
        kind: input.kind, field: input.field,
        oldValue: normal(input.field, input.oldValue, 'oldValue'), newValue: normal(input.field, input.newValue, 'newValue'), date: normal('registrationDate', input.date, 'date'),
        note: input.note,
      });
    } catch (error) {
      if (error instanceof TieRefusedError) throw new HttpRefusal(TIE_REFUSALS[error.code], undefined, TIE_FIELDS[error.code]);
      throw error;
    }
    return reply.redirect(`/books/${issue.bookId}#issues`, 303);
  });
}
