import type { FastifyReply, FastifyRequest } from 'fastify';
import { blankRefused, KEYING_REFUSALS } from '../review/keying.ts';
import { UNDO_MINUTES } from '../review/matches.ts';
import { escapeHtml } from './layout.ts';

/**
 * Stable codes for requests the web UI refuses, with what the person sees (Vietnamese). JSON answers carry
 * `{ error: code, message }`; pages show the message.
 */
export const REFUSALS = {
  not_signed_in: { status: 401, message: 'Bạn chưa đăng nhập hoặc phiên làm việc đã hết hạn. Hãy đăng nhập lại.' },
  forbidden_role: { status: 403, message: 'Vai trò của bạn không được mở trang này. Hãy liên hệ giám sát viên nếu bạn cần quyền này.' },
  forbidden_account: { status: 403, message: 'Bạn không được quản lý tài khoản này (vai trò hoặc cơ quan đăng ký ngoài phạm vi của bạn).' },
  forbidden_office: { status: 403, message: 'Sổ này thuộc cơ quan đăng ký bạn không phụ trách.' },
  csrf_refused: { status: 403, message: 'Yêu cầu không hợp lệ (thiếu mã bảo vệ biểu mẫu). Hãy tải lại trang rồi thử lại.' },
  /** A form sent with a stale token from civreg's own page (signed in again in another tab): shown again as typed. */
  csrf_form_kept: { status: 403, message: 'Biểu mẫu đã cũ (mã bảo vệ không còn đúng, thường do bạn đã đăng nhập lại ở thẻ khác) nên chưa được gửi. Những gì bạn đã nhập vẫn còn dưới đây: hãy kiểm tra rồi gửi lại.' },
  /** A form sent after the session expired, shown again as typed once the person has signed in again. */
  session_form_kept: { status: 401, message: 'Phiên làm việc đã hết hạn trước khi biểu mẫu được gửi. Những gì bạn đã nhập vẫn còn dưới đây: hãy kiểm tra rồi gửi lại.' },
  password_change_required: { status: 403, message: 'Bạn cần đặt mật khẩu mới trước khi làm việc. Hãy mở trang Đổi mật khẩu.' },
  login_failed: { status: 401, message: 'Tên đăng nhập hoặc mật khẩu không đúng.' },
  login_throttled: { status: 429, message: 'Đăng nhập sai quá nhiều lần. Hãy chờ 15 phút rồi thử lại, hoặc liên hệ quản trị viên.' },
  not_found: { status: 404, message: 'Không tìm thấy.' },
  lease_lost: { status: 409, message: 'Mục này đã hết thời gian giữ và có thể đã được người khác nhận. Hãy lấy mục tiếp theo.' },
  bad_request: { status: 400, message: 'Dữ liệu gửi lên không hợp lệ.' },
  internal_error: { status: 500, message: 'Lỗi hệ thống. Hãy thử lại; nếu vẫn lỗi, báo quản trị viên.' },
  bad_value: { status: 400, message: 'Giá trị không đúng quy cách của trường.' },
  nothing_to_accept: { status: 400, message: 'Máy không đọc được giá trị nào để chấp nhận. Hãy gõ giá trị, hoặc bấm F2 nếu không đọc được.' },
  change_original_not_found: { status: 409, message: 'Không có mục đăng ký nào ở sổ, năm và số này (hoặc mục đó đã bị gạch bỏ). Hãy kiểm tra lại.' },
  change_original_ambiguous: { status: 409, message: 'Có nhiều mục đăng ký ở sổ, năm và số này: cần xử lý các mục trùng trước.' },
  change_field_unknown: { status: 400, message: 'Trường được chọn không có trong loại đăng ký này.' },
  book_of_years_exists: { status: 409, message: 'Cơ quan đã có một sổ cùng loại, cùng quyển số bắt đầu từ năm này: các trang này là của sổ đó, hãy chuyển trang sang sổ đó thay vì sửa năm của sổ này.' },
  undo_too_late: { status: 409, message: `Không hoàn tác được: quyết định đã quá ${UNDO_MINUTES} phút, hoặc đã có người xử lý tiếp cặp này.` },
  // the review screen's undo of a field decision (src/review/undo.ts)
  undo_nothing: { status: 409, message: 'Không có quyết định nào của bạn trên trường này để hoàn tác (trường bỏ qua đã tự trở lại hàng đợi).' },
  undo_expired: { status: 409, message: `Không hoàn tác được: quyết định đã quá ${UNDO_MINUTES} phút.` },
  undo_superseded: { status: 409, message: 'Không hoàn tác được: đã có người xử lý tiếp trường này sau bạn.' },
  undo_compared: { status: 409, message: 'Không hoàn tác được: hai lần nhập mù của trường này đã được so với nhau.' },
  issue_already_handled: { status: 409, message: 'Vấn đề này đã được người khác xử lý. Hãy tải lại trang sổ.' },
  issue_changed: { status: 409, message: 'Vấn đề này đã thay đổi từ khi bạn mở trang: có thêm tệp bị từ chối được gộp vào. Hãy xem lại trước khi đánh dấu.' },
  book_ambiguous: { status: 409, message: 'Quyển số này gần giống sổ đã có (khác số 0 ở đầu, chữ hoa/thường hoặc năm). Hãy chọn sổ cần tải vào, hoặc chọn tạo sổ mới. Sổ đã có:' },
  upload_incomplete: { status: 409, message: 'Tệp chưa được tải lên đủ. Hãy tiếp tục tải lên.' },
  place_cut_short: { status: 409, message: 'Tên đơn vị hành chính có thể bị cắt ngắn (chỉ là phần đầu của tên một đơn vị). Hãy đối chiếu với ảnh và sửa lại, hoặc xác nhận đúng như sổ ghi.' },
  // keying a missing entry (src/review/keying.ts)
  entry_no_required: { status: 400, message: KEYING_REFUSALS.entry_no_required },
  year_unknown: { status: 400, message: KEYING_REFUSALS.year_unknown },
  year_outside_book: { status: 400, message: KEYING_REFUSALS.year_outside_book },
  entry_exists: { status: 409, message: KEYING_REFUSALS.entry_exists },
  unknown_field: { status: 400, message: KEYING_REFUSALS.unknown_field },
  required_field_empty: { status: 400, message: KEYING_REFUSALS.required_field_empty },
  mark_with_value: { status: 400, message: KEYING_REFUSALS.mark_with_value },
  blank_refused: { status: 400, message: KEYING_REFUSALS.blank_refused },
  age_needs_birth_date: { status: 400, message: KEYING_REFUSALS.age_needs_birth_date },
} as const;
export type RefusalCode = keyof typeof REFUSALS;

/**
 * The one HTTP error of the web UI: thrown by handlers, turned into a page or JSON by the server. `field`: the
 * form field at fault (its input's name), shown beside that field when the form is shown again.
 */
export class HttpRefusal extends Error {
  override name = 'HttpRefusal';
  readonly code: RefusalCode;
  readonly status: number;
  readonly field: string | null;
  constructor(code: RefusalCode, message?: string, field?: string | null) {
    super(message ?? REFUSALS[code].message);
    this.code = code;
    this.status = REFUSALS[code].status;
    this.field = field ?? null;
  }
}

/**
 * F6 «Sổ để trống» (the book's line is empty) on a field no record lacks (the entry number, the people's names) is a
 * misreading of the page: refused alike on the review and arbitration screens (keying refuses it too, keying.ts).
 *
 * @example refuseBlank('birth', 'fullName') // throws HttpRefusal('blank_refused')
 */
export function refuseBlank(registerType: string, field: string): void {
  if (blankRefused(registerType, field)) throw new HttpRefusal('blank_refused');
}

/**
 * A form's values that do not fit its schema, refused with the message of the first field at fault (`messages`
 * by field name; `fallback` for a field without one), so that the person reads what to put right, beside it.
 *
 * @example
 * if (!parsed.success) throw invalidForm(parsed.error, { note: 'Hãy ghi chú (ít nhất 5 ký tự).' }, 'Hãy điền đủ biểu mẫu.');
 */
export function invalidForm(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> }> }, messages: Readonly<Record<string, string>>, fallback: string): HttpRefusal {
  const field = error.issues.map((issue) => String(issue.path[0] ?? '')).find((name) => name !== '') ?? null;
  return new HttpRefusal('bad_request', (field && messages[field]) ?? fallback, field);
}

/** What a refused form sent, kept so that the page showing the form again shows it as the person typed it. */
export interface RefusedForm {
  /** The address the form posted to: of several forms on a page, only the refused one is filled in again. */
  action: string;
  values: Readonly<Record<string, string>>;
  field: string | null;
  code: RefusalCode;
  message: string;
  /** Where the page showing it again reloads as: its form page with the kept form (src/http/refused-forms.ts). */
  reloadAs?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * For a route answering a form: renders the page the form is on. A refusal of the form (bad input, a conflict)
     * then shows that page again with what was typed and the refusal beside its field (src/http/server.ts).
     */
    formPage?: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  }
  interface FastifyRequest {
    refusedForm: RefusedForm | null;
  }
}

/** Form fields longer than this are not sent back (no form of the UI takes more). */
const MAX_KEPT_VALUE = 2000;

/** The refused form of a request, from its body (every text field but the CSRF token, which the page sends anew). */
export function refusedFormOf(request: FastifyRequest, refusal: HttpRefusal): RefusedForm {
  const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  const values = Object.fromEntries(Object.entries(body).filter(([name, value]) => name !== '_csrf' && typeof value === 'string' && value.length <= MAX_KEPT_VALUE)) as Record<string, string>;
  return { action: request.url, values, field: refusal.field, code: refusal.code, message: refusal.message };
}

const fieldId = (name: string) => `refusal-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/**
 * How a form renders its fields: as the page first offers them, or, when this very form (`action`) was refused,
 * with what the person typed, the field at fault marked and its message beside it. Every server-rendered form
 * uses this, so that no refusal makes a person type a form again.
 *
 * @example
 * const form = formState(request, `/book-issues/${id}`);
 * `<textarea name="note"${form.invalid('note')}>${escapeHtml(form.value('note'))}</textarea>${form.error('note')}`
 */
export function formState(request: FastifyRequest, action: string) {
  const refused = request.refusedForm?.action === action ? request.refusedForm : null;
  return {
    refused: refused !== null,
    /** The value to show: what was typed when the form was refused, else `initial`. */
    value: (name: string, initial = ''): string => (refused ? (refused.values[name] ?? '') : initial),
    /** Whether a checkbox is ticked: as sent when the form was refused, else `initial`. */
    checked: (name: string, initial = false): boolean => (refused ? refused.values[name] === 'on' : initial),
    /** Attributes of the input at fault: marked invalid, focused, described by its message. */
    invalid: (name: string): string => (refused?.field === name ? ` aria-invalid="true" aria-describedby="${fieldId(name)}" autofocus` : ''),
    /** The refusal's message, beside the field at fault. */
    error: (name: string): string =>
      refused?.field === name ? `<small class="field-error" id="${fieldId(name)}" data-code="${refused.code}" data-field="${escapeHtml(name)}">${escapeHtml(refused.message)}</small>` : '',
  };
}

/**
 * The refusal at the top of the page showing a refused form again: what went wrong and a link to the field at
 * fault (its message is also beside it). Shown by sendPage, so every form page has it.
 */
export function refusalSummary(refused: RefusedForm | null): string {
  if (!refused) return '';
  const link = refused.field ? ` <a href="#${fieldId(refused.field)}">Xem trường cần sửa</a>.` : '';
  return `<p class="error" role="alert" id="refusal" data-code="${refused.code}">Chưa lưu được: ${escapeHtml(refused.message)}${link}</p>`;
}
