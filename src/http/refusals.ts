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
  password_change_required: { status: 403, message: 'Bạn cần đặt mật khẩu mới trước khi làm việc. Hãy mở trang Đổi mật khẩu.' },
  login_failed: { status: 401, message: 'Tên đăng nhập hoặc mật khẩu không đúng.' },
  login_throttled: { status: 429, message: 'Đăng nhập sai quá nhiều lần. Hãy chờ 15 phút rồi thử lại, hoặc liên hệ quản trị viên.' },
  not_found: { status: 404, message: 'Không tìm thấy.' },
  lease_lost: { status: 409, message: 'Mục này đã hết thời gian giữ và có thể đã được người khác nhận. Hãy lấy mục tiếp theo.' },
  bad_request: { status: 400, message: 'Dữ liệu gửi lên không hợp lệ.' },
  bad_value: { status: 400, message: 'Giá trị không đúng quy cách của trường.' },
  nothing_to_accept: { status: 400, message: 'Máy không đọc được giá trị nào để chấp nhận. Hãy gõ giá trị, hoặc bấm F2 nếu không đọc được.' },
  change_original_not_found: { status: 409, message: 'Không có mục đăng ký nào ở sổ, năm và số này (hoặc mục đó đã bị gạch bỏ). Hãy kiểm tra lại.' },
  change_original_ambiguous: { status: 409, message: 'Có nhiều mục đăng ký ở sổ, năm và số này: cần xử lý các mục trùng trước.' },
  change_field_unknown: { status: 400, message: 'Trường được chọn không có trong loại đăng ký này.' },
  issue_already_handled: { status: 409, message: 'Vấn đề này đã được người khác xử lý. Hãy tải lại trang sổ.' },
  upload_incomplete: { status: 409, message: 'Tệp chưa được tải lên đủ. Hãy tiếp tục tải lên.' },
} as const;
export type RefusalCode = keyof typeof REFUSALS;

/** The one HTTP error of the web UI: thrown by handlers, turned into a page or JSON by the server. */
export class HttpRefusal extends Error {
  override name = 'HttpRefusal';
  readonly code: RefusalCode;
  readonly status: number;
  constructor(code: RefusalCode, message?: string) {
    super(message ?? REFUSALS[code].message);
    this.code = code;
    this.status = REFUSALS[code].status;
  }
}
