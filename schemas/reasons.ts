import { z } from 'zod';

/**
 * Stable reason codes for input civreg cannot use. Stored on the upload or page row, shown to staff
 * with the Vietnamese message, printed by the CLI and listed in the README. Never rename one: other
 * systems and old rows refer to them.
 */
export const REASONS = {
  empty_file: 'Tệp rỗng (0 byte). Hãy xuất lại hoặc quét lại tệp rồi tải lên lần nữa.',
  truncated_file: 'Tệp bị cắt cụt (tải lên hoặc sao chép chưa xong). Hãy sao chép lại tệp gốc rồi tải lên.',
  corrupt_file: 'Tệp bị hỏng, không đọc được nội dung ảnh. Hãy mở thử trên máy quét hoặc xuất lại tệp.',
  unsupported_format: 'Định dạng không được hỗ trợ. Hãy tải lên PDF, TIFF, JPEG, PNG hoặc tệp ZIP chứa các ảnh đó.',
  file_too_large: 'Tệp vượt quá dung lượng cho phép. Hãy tách thành nhiều tệp nhỏ hơn.',
  pdf_encrypted: 'PDF được đặt mật khẩu mở tệp. Hãy gỡ mật khẩu hoặc xuất lại bản không mã hóa.',
  pdf_no_pages: 'PDF không có trang nào. Hãy kiểm tra lại tệp đã xuất.',
  too_many_pixels: 'Ảnh có số điểm ảnh quá lớn (có thể là ảnh độc hại hoặc quét sai thiết lập). Hãy quét lại ở 300–400 dpi.',
  page_size_absurd: 'Kích thước trang bất thường (quá nhỏ hoặc quá lớn). Hãy kiểm tra thiết lập khổ giấy khi quét.',
  archive_unsafe_path: 'Tệp ZIP chứa đường dẫn không an toàn (ra ngoài thư mục). Hãy nén lại chỉ các ảnh trang.',
  archive_nested: 'Tệp ZIP chứa tệp nén lồng bên trong. Hãy giải nén và nén lại chỉ các ảnh trang.',
  archive_too_large: 'Tệp ZIP khi giải nén quá lớn hoặc quá nhiều tệp. Hãy chia thành nhiều tệp nhỏ hơn.',
  archive_empty: 'Tệp ZIP không chứa ảnh trang nào. Hãy kiểm tra lại nội dung tệp nén.',
  page_unreadable: 'Không đọc được trang này trong tệp; các trang khác vẫn được xử lý. Hãy quét lại trang này.',
  low_resolution: 'Ảnh quét có độ phân giải quá thấp để đọc chữ. Hãy quét lại trang này ở 300 dpi.',
  blurred: 'Trang bị mờ (nhòe nét), máy không đọc được. Hãy quét lại, giữ trang phẳng và đúng tiêu cự.',
  too_dark: 'Ảnh quá tối. Hãy quét lại với đủ ánh sáng hoặc chỉnh độ sáng máy quét.',
  low_contrast: 'Chữ quá nhạt so với nền giấy. Hãy quét lại ở chế độ ảnh xám/màu và tăng độ tương phản.',
  cut_off: 'Trang bị cắt mất chữ ở mép ảnh. Hãy đặt cả trang vào vùng quét rồi quét lại.',
  processing_failed: 'Xử lý thất bại nhiều lần do lỗi hệ thống. Quản trị viên có thể cho chạy lại.',
} as const;

export type ReasonCode = keyof typeof REASONS;
export const reasonCodeSchema = z.enum(Object.keys(REASONS) as [ReasonCode, ...ReasonCode[]]);

/**
 * Non-fatal findings recorded on an upload or page: the input was used, but staff should know.
 */
export const WARNINGS = {
  extension_mismatch: 'Đuôi tệp không khớp với nội dung; hệ thống đã đọc theo nội dung thực.',
  dpi_estimated: 'Tệp không ghi độ phân giải; độ phân giải được ước tính.',
  pdf_restricted: 'PDF có hạn chế in/sao chép (mật khẩu chủ sở hữu); vẫn đọc được bình thường.',
  archive_skipped_member: 'Một số tệp trong ZIP không phải ảnh và đã được bỏ qua.',
} as const;

export type WarningCode = keyof typeof WARNINGS;

/** An expected refusal: returned, never thrown, never retried. */
export interface Rejection {
  reason: ReasonCode;
  /** English detail for logs and operators; never personal data. */
  detail: string;
}

export function reject(reason: ReasonCode, detail: string): { ok: false } & Rejection {
  return { ok: false, reason, detail };
}
