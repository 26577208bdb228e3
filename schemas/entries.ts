import { z } from 'zod';
import { boxSchema } from './corpus.ts';

/**
 * Extracted entries and their fields: what the extract stage writes, the route stage decides on, the
 * workbench shows and the lookup API serves. Field keys and normal forms are EVALUATION.md's
 * (schemas/corpus.ts FIELD_KEYS).
 */

export const FIELD_SOURCES = ['machine', 'verifier', 'existing_record', 'supervisor'] as const;
export const FIELD_STATUSES = ['pending', 'auto_accepted', 'review', 'verified', 'unreadable'] as const;
export const DATE_PRECISIONS = ['day', 'month', 'year'] as const;

/** Why a field was sent to a person. Stable codes: the workbench shows `ROUTE_REASONS[code]`. */
export const ROUTE_REASONS = {
  low_confidence: 'Độ tin cậy nhận dạng thấp.',
  parse_failed: 'Không đọc được giá trị theo đúng quy cách của trường.',
  missing_required: 'Thiếu trường bắt buộc.',
  not_in_dictionary: 'Giá trị không có trong danh mục (dân tộc, quốc tịch, địa danh…).',
  check_failed: 'Không khớp khi đối chiếu với các trường khác.',
  words_disagree: 'Ngày ghi bằng chữ không khớp ngày ghi bằng số.',
  digit_doubt: 'Có chữ số trông giống một chữ số khác trên cùng trang: cần đối chiếu với ảnh.',
  lonely_digit: 'Có chữ số không giống hệt chữ số nào được đọc như vậy trên trang (chữ viết tay hoặc nét in bị hỏng): chỉ có một lần máy đọc, cần đối chiếu với ảnh.',
  corrected: 'Máy đã sửa giá trị đọc được (chữ hoa, dấu thanh theo danh mục họ và địa danh): cần đối chiếu với ảnh.',
  handwritten: 'Chữ viết tay: cần người nhập/kiểm tra.',
  changed_by_note: 'Ghi chú cải chính hoặc thay đổi trường này: cần đối chiếu giá trị ghi trong sổ với ảnh.',
  marginal_note: 'Ghi chú thay đổi nội dung đăng ký (ngày, số quyết định…): luôn cần người đối chiếu với ảnh.',
  number_in_doubt: 'Số thứ tự các mục trên trang này không theo thứ tự hoặc bị lặp: giá trị có thể thuộc mục khác, cần đối chiếu với ảnh.',
  spelled_otherwise: 'Các mục khác của sổ ghi tên này (cán bộ hộ tịch) với cùng các chữ cái nhưng khác dấu: có thể máy đọc sai dấu thanh, cần đối chiếu với ảnh.',
  book_issue: 'Giá trị này làm phát sinh một vấn đề của sổ (số thứ tự bị nhảy, ngày đăng ký ngoài năm của sổ): có thể máy đọc sai, cần đối chiếu với ảnh; vấn đề của sổ được kiểm tra lại theo quyết định.',
  audit_sample: 'Mẫu kiểm tra ngẫu nhiên.',
  rerun_conflict: 'Lần đọc lại cho giá trị khác với giá trị đã xác minh.',
  place_incomplete: 'Địa danh dừng ở cấp xã, phường (hoặc thôn, phố) mà không ghi tiếp quận, huyện, tỉnh, thành phố: có thể máy đọc thiếu phần sau, cần đối chiếu với ảnh.',
  readings_disagree: 'Máy đọc lại giá trị lần thứ hai và được kết quả khác: cần đối chiếu với ảnh.',
  number_repeated: 'Số thứ tự này được đọc cho nhiều mục trên cùng trang: có thể máy đọc sai hoặc thiếu chữ số, cần đối chiếu với ảnh.',
  day_month_lost: 'Chỉ đọc được năm, nhưng năm nằm dưới dòng đầu của hàng: ngày, tháng ghi ở dòng trên có thể bị máy đọc sót, cần đối chiếu với ảnh.',
  place_run_on: 'Địa danh vẫn tiếp tục sau tên tỉnh, thành phố (có thể máy nối thêm dòng của trường hoặc mục khác): cần đối chiếu với ảnh.',
  case_in_doubt: 'Một chữ cái của địa danh (x, c, o, s, v…) viết hoa và viết thường cùng một hình, chỉ khác cỡ chữ: máy không phân biệt được chữ hoa hay thường, cần đối chiếu với ảnh.',
  struck_dismissed: 'Máy tưởng mục này bị gạch bỏ, nhưng người xử lý vấn đề của sổ xác nhận mục không bị gạch: mọi trường của mục cần đối chiếu với ảnh.',
  // not a hold: the mark of a value accepted because the same value was read surely elsewhere in its book (src/extract/book-twins.ts)
  twin_in_book: 'Máy đọc chưa chắc chắn, nhưng giá trị giống hệt một giá trị máy đọc chắc chắn ở mục khác của cùng sổ (đánh máy): được chấp nhận tự động.',
  // a copy accepted so before its twin was stored (migrations/070): which value vouched for it, or whether that value was read surely, is not known
  twin_unrecorded: 'Giá trị từng được chấp nhận tự động vì giống hệt một giá trị ở mục khác của cùng sổ, nhưng không còn biết chắc giá trị đó là giá trị nào hoặc có được máy đọc chắc chắn hay không (chấp nhận trước khi máy ghi lại điều này): cần đối chiếu với ảnh.',
  twin_withdrawn: 'Giá trị từng được chấp nhận vì giống hệt một giá trị ở mục khác của cùng sổ, nhưng giá trị đó nay đã được sửa, đọc lại khác đi, đang chờ kiểm tra hoặc nằm trên trang bị loại (bản quét lại): cần đối chiếu với ảnh.',
} as const;
export type RouteReason = keyof typeof ROUTE_REASONS;

/**
 * Kinds of marginal note (Ghi chú) read as events on the entry they change, and how certified extracts
 * name them; the first three are followed by the changed field's label ("Cải chính họ, chữ đệm, tên").
 * `other`: a note that fits none, kept for a person.
 */
export const NOTE_KINDS = {
  correction: 'Cải chính',
  change_of_name: 'Thay đổi',
  addition: 'Bổ sung',
  recognition: 'Nhận cha, mẹ, con',
  guardianship: 'Giám hộ',
  divorce: 'Ly hôn',
  death: 'Khai tử',
  re_registration: 'Đăng ký lại',
  other: 'Ghi chú khác',
} as const;
export type NoteKind = keyof typeof NOTE_KINDS;

/** Problems of a whole book (issue 6 "book checks"); the eval counts them by the corpus fault kinds. */
export const BOOK_ISSUE_KINDS = {
  entry_gap: 'Số thứ tự bị nhảy (thiếu số).',
  entry_repeat: 'Số thứ tự bị lặp.',
  entry_order: 'Số thứ tự nhỏ hơn số của mục đứng trước (ghi hoặc đọc sai số).',
  missing_page: 'Có thể thiếu trang.',
  duplicate_page: 'Trang được quét hai lần.',
  file_delivered_twice: 'Tệp của trang này được tải lên thêm một lần dưới tên khác: kiểm tra xem tệp đó có phải được gửi nhầm thay cho một trang khác (thiếu trang) không.',
  struck_entry: 'Mục bị gạch bỏ.',
  date_outside_book: 'Ngày đăng ký nằm ngoài năm của sổ.',
  book_years_in_doubt: 'Năm của sổ có thể sai: phần lớn các mục ghi ngày đăng ký của năm khác với năm ghi cho sổ. Hãy xem bìa sổ và xác nhận năm đúng của sổ.',
  page_without_entries: 'Trang đã đọc nhưng không tách được mục đăng ký nào: cần nhập tay.',
  entry_not_read: 'Trang có mục đăng ký chưa bóc tách được (các nhãn in của mẫu cho thấy nhiều mục hơn số mục máy đọc được): cần nhập tay mục còn thiếu.',
  orphan_continuation: 'Đầu trang là phần tiếp của một mục ở trang trước nhưng không tìm thấy mục đó (có thể thiếu trang): cần người ghép hoặc nhập tay.',
  change_unresolved: 'Mục thay đổi, cải chính chưa gắn được vào mục đăng ký gốc (lý do trong chi tiết): cần người kiểm tra.',
  page_of_other_book: 'Các mục của trang này ghi số quyển khác với số của sổ: có thể trang của quyển khác bị tải lên nhầm vào sổ này.',
  page_of_other_register: 'Trang này in theo mẫu của loại sổ khác: có thể trang của sổ khác bị tải lên nhầm vào sổ này.',
} as const;
export type BookIssueKind = keyof typeof BOOK_ISSUE_KINDS;

/**
 * Why an entry of a register of changes was not made an event on the entry it refers to (src/extract/changes.ts);
 * kept on its `change_reference` row and its `change_unresolved` book issue.
 */
export const CHANGE_REASONS = {
  change_fields_unsure: 'Các trường của mục thay đổi (số, quyển, ngày, nơi đăng ký, họ tên, nội dung) chưa được xác nhận.',
  reference_unreadable: 'Không đọc được đủ thông tin của việc hộ tịch đã đăng ký (loại việc, số, quyển, ngày, nơi đăng ký).',
  original_not_found: 'Chưa có mục đăng ký gốc trong kho (sổ gốc chưa được quét hoặc chưa xử lý xong); sẽ tự gắn khi sổ gốc được xử lý.',
  original_ambiguous: 'Có nhiều mục đăng ký gốc cùng số, quyển, năm và nơi đăng ký.',
  name_disagrees: 'Họ tên người được thay đổi, cải chính không khớp với họ tên trong mục đăng ký gốc.',
  old_value_differs: 'Giá trị trước khi thay đổi không khớp với giá trị trong mục đăng ký gốc.',
  field_unknown: 'Không xác định được trường nào của mục đăng ký gốc được thay đổi.',
  value_unparsed: 'Giá trị trước hoặc sau khi thay đổi không đọc được theo dạng của trường trong mục đăng ký gốc (ví dụ ngày tháng không hợp lệ).',
  value_corrected: 'Giá trị trước hoặc sau khi thay đổi được máy sửa khi đọc (chữ hoa, dấu của họ hoặc địa danh): cần người đối chiếu với sổ.',
} as const;
export type ChangeReason = keyof typeof CHANGE_REASONS;

/**
 * How an event names the entry of a register of changes that made it ("Sổ đăng ký thay đổi, cải chính hộ tịch quyển
 * số 02, số 7/2012"): the event's stored text and a certified extract's note say it alike.
 */
export function changeSourceText(source: { bookNo: string; entryNo: number | null; year: number | null }): string {
  return `Sổ đăng ký thay đổi, cải chính hộ tịch quyển số ${source.bookNo}${source.entryNo !== null ? `, số ${source.entryNo}` : ''}${source.year ? `/${source.year}` : ''}`;
}

/** How an unsure value is confirmed (src/extract/value-twins.ts, closed-vocabulary.ts, second-reading.ts, fields.ts). */
export const CONFIRMATIONS = ['twin_on_page', 'closed_list', 'readings_agree'] as const;

export const extractedFieldSchema = z.object({
  field: z.string().min(1),
  raw: z.string(),
  /** Normal form, or null when the text could not be parsed into one. */
  value: z.string().nullable(),
  precision: z.enum(DATE_PRECISIONS).nullable().default(null),
  pageId: z.number().int().positive(),
  box: boxSchema.nullable(),
  /** 0..1: probability the value is right, after every check (see src/extract/confidence.ts). */
  confidence: z.number().min(0).max(1),
  reasons: z.array(z.enum(Object.keys(ROUTE_REASONS) as [RouteReason, ...RouteReason[]])).default([]),
  /**
   * How a value its own reading left unsure was confirmed (reasons cleared): a copy on its page, its closed list, a
   * second reading that agrees. Absent when its own reading was sure; such values alone vouch for a twin in the book.
   */
  confirmedBy: z.enum(CONFIRMATIONS).optional(),
  /** The value's lines on the page (one box per OCR line), for its second reading (src/extract/second-reading.ts); not stored. */
  lines: z.array(boxSchema).optional(),
});
export type ExtractedField = z.infer<typeof extractedFieldSchema>;

export const extractedEntrySchema = z.object({
  year: z.number().int().nullable(),
  entryNo: z.number().int().nullable(),
  /** How sure the entry number is (0..1): book checks judge the numbering only on sure numbers. */
  entryNoConfidence: z.number().min(0).max(1),
  /** Position among the entries starting on the first page. */
  seq: z.number().int().min(0),
  pageIds: z.array(z.number().int().positive()).min(1),
  /** Per page the box the entry occupies on the cleaned image. */
  region: z.array(z.object({ pageId: z.number().int().positive(), box: boxSchema })),
  struck: z.boolean(),
  template: z.string(),
  /** The book number the entry names ("Quyển số: 02/2008" on forms), when read surely; null otherwise or where the layout has none. */
  bookNoRead: z.string().nullable().optional(),
  fields: z.array(extractedFieldSchema),
  notes: z.array(z.object({ kind: z.enum(Object.keys(NOTE_KINDS) as [NoteKind, ...NoteKind[]]), field: z.string().nullable(), oldValue: z.string().nullable(), newValue: z.string().nullable(), date: z.string().nullable(), raw: z.string() })).default([]),
});
export type ExtractedEntry = z.infer<typeof extractedEntrySchema>;
