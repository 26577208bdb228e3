import { BOOK_ISSUE_KINDS, CHANGE_REASONS, type BookIssueKind, type ChangeReason } from '../../schemas/entries.ts';
import type { RegisterType } from '../../schemas/jobs.ts';
import { REASONS, type ReasonCode } from '../../schemas/reasons.ts';
import { BOOKS_PER_PAGE, ROWS_PER_PAGE, type BookIssueRow, type BookOverview, type EntryOverview, type PageOverview, type TablePage } from '../db/book-dashboard.ts';
import type { DismissedFile, RefusedFile } from '../db/book-files.ts';
import { displayValue } from '../review/field-rules.js';
import { escapeHtml, localTime } from './layout.ts';

/** Register types as staff name them (every type a book may have: the upload form lists them all). */
export const REGISTER_NAMES: Record<RegisterType, string> & Record<string, string | undefined> = {
  birth: 'Khai sinh', marriage: 'Kết hôn', death: 'Khai tử', recognition: 'Nhận cha, mẹ, con', guardianship: 'Giám hộ', change: 'Thay đổi, cải chính hộ tịch', other: 'Khác',
};

/** Page statuses as staff read them, in pipeline order; quality-gate verdicts included. */
export const PAGE_STATUS_NAMES: Record<string, string> = {
  ingested: 'Đã nhận',
  cleaned: 'Đã làm sạch ảnh',
  ocr_done: 'Đã nhận dạng chữ',
  extracted: 'Đã bóc tách',
  matched: 'Đã đối chiếu',
  // The page is read and its fields sent on (accepted or to review): not "done", as fields may still wait for a person,
  // and "Đã xử lý" is what a settled book issue says.
  routed: 'Đã đọc xong',
  needs_rescan: 'Cần quét lại',
  replaced: 'Đã thay bằng bản quét lại',
  blank: 'Trang trắng',
  rejected: 'Bị từ chối',
  duplicate: 'Trùng lặp',
  failed: 'Lỗi xử lý',
};
export const ENTRY_STATUS_NAMES: Record<string, string> = { extracted: 'Đã bóc tách', needs_review: 'Chờ kiểm tra', verified: 'Đã kiểm tra', struck: 'Bị gạch bỏ' };
const DONE = ['ocr_done', 'extracted', 'matched', 'routed', 'blank', 'duplicate', 'rejected', 'needs_rescan', 'replaced'];

/** How a page is named to staff: its label, or "Trang N" when the label is a bare number. */
export function pageName(label: string): string {
  const text = /^\d+$/.test(label) ? `Trang ${label}` : label;
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

/** A page's name inside a sentence ("trùng với trang 3"): only a leading "Trang" loses its capital, a file name keeps its case. */
export const pageNameInSentence = (label: string): string => pageName(label).replace(/^Trang /u, 'trang ');

/**
 * What replaced a page held for a rescan, as its row and the book's settled problems say it: the page that took its
 * place, else the note of who marked it ("Đã thay bằng trang 15", "Đã thay bằng bản quét lại: tệp so-07.pdf").
 */
export function replacementText(page: Pick<PageOverview, 'replacedBy' | 'replacement'>): string {
  const note = page.replacement?.note ? ` (${page.replacement.note})` : '';
  return page.replacedBy ? `Đã thay bằng ${pageNameInSentence(page.replacedBy)}${note}` : `Đã thay bằng bản quét lại${page.replacement?.note ? `: ${page.replacement.note}` : ''}`;
}

/**
 * How the entries table names an entry: its number, or, when the number was not read, its place on its page as book
 * issues name it ("— (mục 2, trang 1)", the full wording on hover), never its internal id.
 */
export function entryNumberCell(entry: Pick<EntryOverview, 'entryNo' | 'seq' | 'pageLabel'>): string {
  if (entry.entryNo !== null) return String(entry.entryNo);
  const page = pageNameInSentence(entry.pageLabel);
  return `<span title="Mục thứ ${entry.seq + 1} trên ${escapeHtml(page)} (chưa đọc được số thứ tự)">— (mục ${entry.seq + 1}, ${escapeHtml(page)})</span>`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.floor((100 * part) / whole)} %`;
}

function progressOf(b: BookOverview): { done: number; problems: number } {
  const count = (statuses: string[]) => statuses.reduce((n, s) => n + (b.pageStatus[s] ?? 0), 0);
  return { done: count(DONE), problems: count(['needs_rescan', 'rejected', 'failed']) + b.refusedFiles };
}

/**
 * What the book list shows: the books of one office or of every office in scope, of one register type or all,
 * only those needing action or all, those whose number starts with a text or all, a page of them.
 */
export interface BookListFilter {
  officeId: number | undefined;
  registerType: string | undefined;
  needsAction: boolean;
  bookNo: string | undefined;
  page: number;
}

/** The query string of a book list (empty for the first page of everything), for links and the live feed. */
export function bookListQuery(filter: BookListFilter, page = filter.page): string {
  const params = new URLSearchParams();
  if (filter.officeId !== undefined) params.set('office', String(filter.officeId));
  if (filter.registerType !== undefined) params.set('type', filter.registerType);
  if (filter.needsAction) params.set('action', '1');
  if (filter.bookNo !== undefined) params.set('no', filter.bookNo);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Links to pages of a list: previous, the first, the last and the pages around the current one, next.
 * Gaps are shown as "…", so a list of 200 pages stays one short line.
 */
function pageLinks(current: number, pages: number, href: (page: number) => string): string {
  if (pages <= 1) return '';
  const shown = [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, pages])].filter((n) => n >= 1 && n <= pages).sort((x, y) => x - y);
  const links: string[] = [];
  if (current > 1 && current <= pages) links.push(`<a href="${href(current - 1)}" rel="prev">‹ Trang trước</a>`);
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1]! > 1) links.push('<span class="gap">…</span>');
    links.push(n === current ? `<b aria-current="page">${n}</b>` : `<a href="${href(n)}">${n}</a>`);
  });
  if (current < pages) links.push(`<a href="${href(current + 1)}" rel="next">Trang sau ›</a>`);
  return `<nav class="pages" aria-label="Các trang của danh sách">${links.join(' ')}</nav>`;
}

/** The books the person works on, a page at a time, with pipeline progress and the share of fields verified. */
export function renderBookList(books: BookOverview[], list: BookListFilter & { total: number; offices: { id: number; code: string; name: string }[] }): string {
  const filtered = list.officeId !== undefined || list.registerType !== undefined || list.needsAction || list.bookNo !== undefined;
  if (list.total === 0 && !filtered) return '<h1>Sổ hộ tịch</h1><p>Chưa có sổ nào. Hãy vào <a href="/upload">Tải lên</a> để gửi bản quét.</p>';
  const option = (value: string, label: string, selected: boolean) => `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const filters = `<form method="get" action="/books" class="filters">
<label>Cơ quan đăng ký <select name="office">${option('', 'Tất cả', list.officeId === undefined)}${list.offices.map((o) => option(String(o.id), `${o.code} – ${o.name}`, o.id === list.officeId)).join('')}</select></label>
<label>Loại sổ <select name="type">${option('', 'Tất cả', list.registerType === undefined)}${Object.entries(REGISTER_NAMES).map(([type, name]) => option(type, name!, type === list.registerType)).join('')}</select></label>
<label>Quyển số <input type="search" name="no" size="8" value="${escapeHtml(list.bookNo ?? '')}" placeholder="vd. 02"></label>
<label><input type="checkbox" name="action" value="1"${list.needsAction ? ' checked' : ''}> Chỉ sổ có vấn đề / còn trường chờ kiểm tra</label>
<button type="submit">Lọc</button>${filtered ? ' <a href="/books">Bỏ lọc</a>' : ''}</form>`;
  const pages = Math.max(1, Math.ceil(list.total / BOOKS_PER_PAGE));
  const first = (list.page - 1) * BOOKS_PER_PAGE + 1;
  const where = list.total === 0 ? 'Không có sổ nào khớp bộ lọc.'
    : books.length === 0 ? `Trang này không có sổ nào. <a href="/books${bookListQuery(list, 1)}">Về trang đầu</a>`
    : `Sổ ${first}–${first + books.length - 1} trong ${list.total}`;
  const links = pageLinks(list.page, pages, (page) => `/books${bookListQuery(list, page)}`);
  const rows = books
    .map((b) => {
      const { done, problems } = progressOf(b);
      return `<tr><td><a href="/books/${b.id}">${REGISTER_NAMES[b.registerType] ?? escapeHtml(b.registerType)} · quyển ${escapeHtml(b.bookNo)}</a></td>
<td>${escapeHtml(b.office)}</td><td>${b.yearFrom ?? ''}${b.yearTo && b.yearTo !== b.yearFrom ? `–${b.yearTo}` : ''}</td>
<td class="num">${b.pages}</td><td><progress max="${b.pages || 1}" value="${done}"></progress> ${percent(done, b.pages)}</td>
<td class="num">${b.entries}</td><td class="num">${percent(b.fieldsVerified, b.fields)}</td><td class="num">${b.fieldsToReview}</td>
<td class="num">${problems + b.openIssues > 0 ? `<a href="/books/${b.id}#issues" class="warn">${problems + b.openIssues}</a>` : '0'}</td></tr>`;
    })
    .join('\n');
  return `<h1>Sổ hộ tịch</h1>
${filters}
<div class="pager"><p>${where}</p>${links}</div>
${books.length === 0 ? '' : `<table class="grid"><thead><tr><th>Sổ</th><th>Cơ quan đăng ký</th><th>Năm</th><th>Số trang</th><th>Tiến độ xử lý</th><th>Số mục</th><th>Đã kiểm tra</th><th>Chờ kiểm tra</th><th>Vấn đề</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${links ? `<div class="pager pager-bottom">${links}</div>` : ''}`}`;
}

/** How a settled book issue ended, as people read it. */
export const ISSUE_OUTCOME_NAMES = { open: 'Chưa xử lý', resolved: 'Đã xử lý', dismissed: 'Không phải lỗi của sổ' } as const;

/** The page an issue is on, linking to its row of the dashboard (`pageHref`: on this page of the table, or another). */
const issuePlace = (i: BookIssueRow, pageHref: (pageId: number) => string) =>
  (i.pageId ? `<a href="${pageHref(i.pageId)}">${escapeHtml(pageName(i.pageLabel ?? String(i.pageId)))}</a>: ` : '');

/**
 * What a book issue says, as its dashboard and its own page show it. `canKey`: the person may open the keying screen
 * (permission `review`); staff are not offered a link that would refuse them.
 */
export function issueText(issue: Pick<BookIssueRow, 'kind' | 'year' | 'pageId' | 'entryNo' | 'entrySeq' | 'detail' | 'ofPageLabel'>, canKey: boolean): string {
  const base = BOOK_ISSUE_KINDS[issue.kind as BookIssueKind] ?? issue.kind;
  const detail = issue.detail as {
    missing?: unknown; after?: unknown; before?: unknown; afterPage?: unknown; beforePage?: unknown; file?: unknown; copyFile?: unknown;
    reason?: unknown; tieUndone?: unknown; read?: unknown; registerType?: unknown; registrationDate?: unknown; yearFrom?: unknown; yearTo?: unknown; count?: unknown; notRead?: unknown; struck?: unknown;
  };
  const text = (value: unknown) => escapeHtml(String(value));
  const extra = issue.kind === 'change_unresolved' && typeof detail.reason === 'string'
    ? `${detail.tieUndone === true ? ' Mục gốc giám sát viên đã gắn không còn đúng sau khi sổ được đọc lại: việc gắn đã bị gỡ.' : ''} ${escapeHtml(CHANGE_REASONS[detail.reason as ChangeReason] ?? detail.reason)}`
    : issue.kind === 'file_delivered_twice' ? ` Tệp ${escapeHtml(String(detail.file))}, tải lên lại dưới tên ${escapeHtml(String(detail.copyFile))}.`
    : issue.kind === 'page_of_other_book' ? ` Số quyển đọc được trên trang: ${escapeHtml(String(detail.read))}.`
    : issue.kind === 'page_of_other_register' ? ` Mẫu sổ ${escapeHtml((REGISTER_NAMES[String(detail.registerType)] ?? String(detail.registerType)).toLocaleLowerCase('vi'))}.`
    : issue.kind === 'duplicate_page' && issue.ofPageLabel ? ` Trùng với ${escapeHtml(pageNameInSentence(issue.ofPageLabel))}.`
    : issue.kind === 'missing_page' && detail.afterPage !== undefined ? ` Số trang in nhảy từ ${text(detail.afterPage)} đến ${text(detail.beforePage)}.`
    : issue.kind === 'missing_page' && detail.after !== undefined ? ` Giữa mục số ${text(detail.after)} và mục số ${text(detail.before)}.`
    : issue.kind === 'entry_order' && detail.after !== undefined ? ` Đứng sau mục số ${text(detail.after)}.`
    : issue.kind === 'book_years_in_doubt' && detail.yearFrom !== undefined
      ? ` Các mục ghi năm ${text(detail.yearFrom)}${detail.yearTo !== detail.yearFrom ? `–${text(detail.yearTo)}` : ''}.`
    : issue.kind === 'date_outside_book' && typeof detail.registrationDate === 'string' ? ` Ngày đăng ký đọc được: ${text(displayValue('registrationDate', detail.registrationDate))}.`
    : issue.kind === 'entry_gap' && typeof detail.count === 'number' && Array.isArray(detail.missing)
      ? ` Thiếu ${text(detail.count)} số trong các số ${detail.missing.map(String).map(escapeHtml).join(', ')}, sau mục số ${text(detail.after)}: ${detail.struck === detail.notRead
        // every row between is struck: their numbers are unknown, the count missing is not
        ? `${text(detail.notRead)} mục ở giữa bị gạch bỏ, không biết mục đó mang số nào trong các số này.`
        : `${text(detail.notRead)} mục ở giữa máy chưa đọc được số thứ tự${typeof detail.struck === 'number' ? ` (${text(detail.struck)} mục bị gạch bỏ)` : ''}, có thể máy đọc sai chứ không phải sổ thiếu số. Hãy đọc số của các mục đó trên trang.`}`
    : Array.isArray(detail.missing) ? ` Thiếu số: ${detail.missing.map(String).map(escapeHtml).join(', ')}.`
    : typeof detail.missing === 'number' ? ` Còn thiếu ${detail.missing} mục.` : '';
  // a gap judged from a number the machine read unsurely: staff are told it may be a misreading
  const unsure = (issue.kind === 'entry_gap' || issue.kind === 'missing_page') && (detail as { numberUnsure?: unknown }).numberUnsure === true
    ? ' Số thứ tự bên cạnh chỗ nhảy số do máy đọc chưa chắc chắn: có thể máy đọc sai chứ không phải sổ thiếu số.' : '';
  // a page holding entries nobody has on record: a verifier keys them on the keying screen
  const keying = canKey && (issue.kind === 'entry_not_read' || issue.kind === 'page_without_entries') && issue.pageId !== null
    ? ` <a href="/pages/${issue.pageId}/key-entry">Nhập mục còn thiếu</a>` : '';
  return `${escapeHtml(base)}${issue.year ? ` Năm ${issue.year}.` : ''}${issue.entryNo !== null ? ` Mục số ${issue.entryNo}.` : typeof issue.entrySeq === 'number' ? ` Mục thứ ${issue.entrySeq + 1} trên trang (chưa đọc được số thứ tự).` : ''}${extra}${unsure}${keying}`;
}

/** Which slice of a book's pages and entries its dashboard shows. */
export interface BookView {
  problemPages: boolean;
  pagesPage: number;
  reviewEntries: boolean;
  entriesPage: number;
}

/** The query string of a book's dashboard for a view (empty for the first page of everything). */
export function bookViewQuery(view: BookView): string {
  const params = new URLSearchParams();
  if (view.problemPages) params.set('pages', 'problems');
  if (view.pagesPage > 1) params.set('pp', String(view.pagesPage));
  if (view.reviewEntries) params.set('entries', 'review');
  if (view.entriesPage > 1) params.set('ep', String(view.entriesPage));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * One table of the dashboard a page at a time: which rows of how many, the choice of all rows or only those
 * needing work, the page links above and below the table.
 */
function tableSlice(opts: { id: string; title: string; total: number; page: number; shown: number; noun: string; filtered: boolean; all: string; only: string; empty: string; href: (change: Partial<BookView>) => string; filterKey: 'problemPages' | 'reviewEntries'; pageKey: 'pagesPage' | 'entriesPage'; table: string }): string {
  const { page, total, shown } = opts;
  const choice = (label: string, on: boolean) => (on === opts.filtered ? `<b>${label}</b>` : `<a href="${opts.href({ [opts.filterKey]: on, [opts.pageKey]: 1 })}">${label}</a>`);
  const first = (page - 1) * ROWS_PER_PAGE + 1;
  const where = total === 0 ? opts.empty
    : shown === 0 ? `Không còn dòng nào ở đây. <a href="${opts.href({ [opts.pageKey]: 1 })}">Về đầu bảng</a>`
    : `${first}–${first + shown - 1} trong ${total} ${opts.noun}`;
  const links = pageLinks(page, Math.max(1, Math.ceil(total / ROWS_PER_PAGE)), (n) => opts.href({ [opts.pageKey]: n }));
  return `<section id="${opts.id}"><h2 id="${opts.id.replace('book-', '')}">${opts.title}</h2>
<p class="views">${choice(opts.all, false)} · ${choice(opts.only, true)}</p>
<div class="pager"><p>${where}</p>${links}</div>
${shown === 0 ? '' : `${opts.table}${links ? `\n<div class="pager pager-bottom">${links}</div>` : ''}`}</section>`;
}

/**
 * One book: progress by status, its problems each linking to the page, and its pages and entries a hundred
 * at a time, all or only those needing work. Each part is a `<section>` with an id, so the live feed
 * (book-live.js) replaces only the parts that changed.
 */
/** Which screens the person looking at a book may open from it: keying a missing entry, uploading to the book. */
export interface BookLinks {
  key: boolean;
  upload: boolean;
}

export function renderBookDetail(
  book: BookOverview,
  pages: TablePage<PageOverview>,
  issues: BookIssueRow[],
  entries: TablePage<EntryOverview>,
  view: BookView,
  problemPages: PageOverview[],
  files: { refused: RefusedFile[]; dismissed: DismissedFile[] },
  may: BookLinks,
): string {
  const canKey = may.key;
  const statusList = Object.keys(PAGE_STATUS_NAMES)
    .filter((s) => book.pageStatus[s])
    .map((s) => `<li>${PAGE_STATUS_NAMES[s]}: <b>${book.pageStatus[s]}</b></li>`)
    .join('');
  const href = (change: Partial<BookView>, anchor: string) => `/books/${book.id}${bookViewQuery({ ...view, ...change })}#${anchor}`;
  // A page shown in this slice of the table is a jump on this page; another is opened at its slice.
  const onThisPage = new Set(pages.rows.map((p) => p.id));
  const pageHref = (pageId: number) => (onThisPage.has(pageId) ? `#page-${pageId}` : `/books/${book.id}?at=${pageId}#page-${pageId}`);
  const problemItems = [
    // a file refused whole has no page to link to: its name, why, and what to do
    ...files.refused.map((f) => `<li class="refused-file">Tệp ${escapeHtml(f.fileName)}${f.otherNames.length ? ` (cùng nội dung: ${escapeHtml(f.otherNames.join(', '))})` : ''}${f.linkedNames.length ? ` (liên quan qua lần tải lại: ${escapeHtml(f.linkedNames.join(', '))})` : ''}${f.times > 1 ? ` (bị từ chối ${f.times} lần)` : ''} không dùng được: ${escapeHtml(f.reason ? REASONS[f.reason] ?? f.reason : 'Bị từ chối.')}${may.upload ? ` <a href="/upload?book=${book.id}" class="handle">Tải lên lại</a>` : ''} <a href="/refused-files/${f.id}" class="dismiss">Đánh dấu đã xử lý</a></li>`),
    ...problemPages.filter((p) => p.status !== 'replaced').map((p) => `<li><a href="${pageHref(p.id)}">${escapeHtml(pageName(p.label))}</a>: ${PAGE_STATUS_NAMES[p.status] ?? p.status}${p.reason ? ` – ${escapeHtml(REASONS[p.reason as ReasonCode] ?? p.reason)}` : ''}${p.status === 'needs_rescan' ? ` <a href="/pages/${p.id}/read-anyway" class="handle">Xử lý</a>` : ''}</li>`),
    ...issues.filter((i) => i.status === 'open').map((i) => `<li>${issuePlace(i, pageHref)}${issueText(i, canKey)} <a href="/book-issues/${i.id}" class="handle">Xử lý</a></li>`),
  ];
  const settled = [
    ...problemPages.filter((p) => p.status === 'replaced').map((p) => `<li><a href="${pageHref(p.id)}">${escapeHtml(pageName(p.label))}</a>: cần quét lại${p.reason ? ` (${escapeHtml(REASONS[p.reason as ReasonCode]?.split('.')[0] ?? p.reason)})` : ''}. ${escapeHtml(replacementText(p))}${p.replacement ? ` · ${escapeHtml(p.replacement.by)} · ${localTime(new Date(p.replacement.at))}` : ''}</li>`),
    ...files.dismissed.map((f) => `<li class="dismissed-file">Tệp ${escapeHtml(f.fileNames.join(', '))}${f.times > 1 ? ` (${f.times} lần tải lên)` : ''} bị từ chối: đã đánh dấu đã xử lý · ${escapeHtml(f.dismissedBy)} · ${localTime(f.dismissedAt)}</li>`),
    ...issues.filter((i) => i.status !== 'open').map((i) => `<li>${issuePlace(i, pageHref)}${issueText(i, canKey)} <a href="/book-issues/${i.id}">${ISSUE_OUTCOME_NAMES[i.status]}</a> · ${escapeHtml(i.handledBy ?? '')}${i.handledAt ? ` · ${localTime(i.handledAt)}` : ''}</li>`),
  ];
  const pageRows = pages.rows
    .map((p) => `<tr id="page-${p.id}" class="status-${escapeHtml(p.status)}"><td>${escapeHtml(pageName(p.label))}</td><td>${escapeHtml(p.uploadFile)}</td>
<td>${PAGE_STATUS_NAMES[p.status] ?? escapeHtml(p.status)}</td><td>${p.status === 'replaced' ? escapeHtml(replacementText(p)) : p.reason ? escapeHtml(REASONS[p.reason as ReasonCode] ?? p.reason) : ''}</td>
<td class="num">${p.entries}</td><td><a href="/pages/${p.id}/image" target="_blank">Xem ảnh</a></td></tr>`)
    .join('\n');
  const pagesTable = tableSlice({
    id: 'book-pages', title: 'Các trang', total: pages.total, page: pages.page, shown: pages.rows.length, noun: 'trang',
    filtered: view.problemPages, all: 'Tất cả các trang', only: 'Chỉ trang có vấn đề',
    empty: view.problemPages ? 'Không có trang nào có vấn đề.'
      : book.waitingFiles > 0 ? `Chưa có trang nào: ${book.waitingFiles} tệp đang chờ xử lý, các trang sẽ hiện ra khi đọc xong tệp.` : 'Sổ chưa có trang nào.',
    href: (change) => href(change, 'pages'), filterKey: 'problemPages', pageKey: 'pagesPage',
    table: `<table class="grid"><thead><tr><th>Trang</th><th>Tệp</th><th>Trạng thái</th><th>Lý do / việc cần làm</th><th>Số mục</th><th></th></tr></thead>
<tbody>
${pageRows}
</tbody></table>`,
  });
  const entriesTable = tableSlice({
    id: 'book-entries', title: 'Các mục', total: entries.total, page: entries.page, shown: entries.rows.length, noun: 'mục',
    filtered: view.reviewEntries, all: 'Tất cả các mục', only: 'Chỉ mục chờ kiểm tra',
    empty: view.reviewEntries ? 'Không có mục nào chờ kiểm tra.' : 'Chưa bóc tách được mục nào.',
    href: (change) => href(change, 'entries'), filterKey: 'reviewEntries', pageKey: 'entriesPage',
    table: `<table class="grid"><thead><tr><th>Năm</th><th>Số</th><th>Trạng thái</th><th>Trường chờ kiểm tra</th></tr></thead><tbody>
${entries.rows.map((e) => `<tr><td>${e.year ?? ''}</td><td><a href="/entries/${e.id}">${entryNumberCell(e)}</a></td><td>${ENTRY_STATUS_NAMES[e.status] ?? escapeHtml(e.status)}</td><td class="num">${e.toReview}</td></tr>`).join('\n')}
</tbody></table>`,
  });
  return `<section id="book-summary"><h1>${REGISTER_NAMES[book.registerType] ?? escapeHtml(book.registerType)} · quyển ${escapeHtml(book.bookNo)}</h1>
<p>${escapeHtml(book.office)}${book.yearFrom ? ` · ${book.yearFrom}${book.yearTo && book.yearTo !== book.yearFrom ? `–${book.yearTo}` : ''}` : ''}
 · ${book.pages} trang${book.waitingFiles > 0 ? ` (${book.waitingFiles} tệp đang chờ xử lý)` : ''} · ${book.entries} mục · đã kiểm tra ${percent(book.fieldsVerified, book.fields)} trường · ${book.fieldsToReview} trường chờ kiểm tra</p>
<ul class="statuses">${statusList}</ul>
${may.upload ? `<p><a class="upload-more" href="/upload?book=${book.id}">Tải thêm trang vào sổ này</a> (trang quét lại, trang bổ sung: xếp vào sổ theo số thứ tự các mục)</p>` : ''}
<p><a class="export" href="/books/${book.id}/export.zip" download>Tải bản xuất lưu trữ</a> (tệp .zip: bảng tính các mục đã kiểm tra, mỗi mục một tệp PDF, cả sổ một tệp PDF tìm kiếm được)</p></section>
<section id="book-issues"><h2 id="issues">Vấn đề của sổ</h2>
${problemItems.length ? `<ul class="issues">${problemItems.join('\n')}</ul>` : '<p>Không phát hiện vấn đề.</p>'}
${settled.length ? `<details class="settled" id="settled-issues"><summary>Vấn đề đã xử lý (${settled.length})</summary><ul class="issues">${settled.join('\n')}</ul></details>` : ''}</section>
${pagesTable}
${entriesTable}`;
}
