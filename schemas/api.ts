import { z } from 'zod';
import { FIELD_KEYS } from './corpus.ts';
import { DATE_PRECISIONS, FIELD_SOURCES, FIELD_STATUSES } from './entries.ts';

/**
 * The lookup API's contract (`/api/v1`): requests, responses and the error shape. The OpenAPI document
 * at /api/v1/openapi.json is generated from these schemas (src/api/openapi.ts), so they are the
 * single source of truth. Every string has a length bound and a character class: a request that does
 * not fit is refused before any query runs.
 */

/**
 * Every refusal of the lookup API: a stable code (never renamed: procedure services branch on it), the
 * HTTP status and a Vietnamese message for the desk officer. All errors have one JSON shape,
 * `{ "error": { "code", "message" } }` (apiErrorSchema below).
 */
export const API_ERRORS = {
  token_missing: [401, 'Thiếu mã truy cập (Authorization: Bearer …).'],
  token_invalid: [401, 'Mã truy cập không hợp lệ.'],
  token_revoked: [401, 'Mã truy cập đã bị thu hồi. Hãy liên hệ quản trị viên để được cấp mã mới.'],
  token_expired: [401, 'Mã truy cập đã hết hạn. Hãy liên hệ quản trị viên để được cấp mã mới.'],
  purpose_required: [400, 'Thiếu mục đích tra cứu: cần mã thủ tục (X-Purpose-Procedure) và số hồ sơ (X-Purpose-Case).'],
  purpose_invalid: [400, 'Mục đích tra cứu không đúng định dạng (mã thủ tục, số hồ sơ: chữ, số, dấu chấm, gạch).'],
  invalid_query: [400, 'Yêu cầu tra cứu không hợp lệ.'],
  query_too_large: [413, 'Yêu cầu tra cứu quá lớn.'],
  invalid_id: [400, 'Mã hồ sơ không hợp lệ.'],
  scope_field: [403, 'Ứng dụng không được phép xem trường thông tin này.'],
  scope_office: [403, 'Ứng dụng không được phép tra cứu sổ của cơ quan đăng ký này.'],
  scope_register_type: [403, 'Ứng dụng không được phép tra cứu loại sổ này.'],
  rate_limited: [429, 'Vượt quá số lượt tra cứu cho phép trong một phút. Hãy thử lại sau.'],
  not_found: [404, 'Không tìm thấy hồ sơ.'],
  extract_incomplete: [409, 'Chưa cấp được trích lục: hồ sơ chưa có họ tên hoặc ngày tháng của người được đăng ký (xem trường "fields"). Cần người kiểm tra bổ sung theo sổ gốc.'],
  // 409, not 503: nothing is down, a retry gets the same answer until an administrator sets the office's issuer.
  // The message sent names the office (IssuerNotSetError.staffMessage); this one is the OpenAPI document's.
  issuer_not_set: [409, 'Chưa cấp được trích lục: chưa khai báo cơ quan cấp trích lục cho cơ quan đăng ký của sổ. Hãy đề nghị quản trị viên khai báo cơ quan cấp cho cơ quan này.'],
  extract_unavailable: [503, 'Chưa cấp được trích lục: khóa ký của hệ thống chưa sẵn sàng. Hãy liên hệ quản trị viên.'],
  internal_error: [500, 'Lỗi hệ thống. Hãy thử lại sau hoặc liên hệ quản trị viên.'],
} as const satisfies Record<string, readonly [number, string]>;

export type ApiErrorCode = keyof typeof API_ERRORS;
export const API_ERROR_CODES = Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]];

export const API_REGISTER_TYPES = ['birth', 'marriage', 'death'] as const;
export const apiRegisterTypeSchema = z.enum(API_REGISTER_TYPES);

export const ALL_FIELD_KEYS = [...new Set(Object.values(FIELD_KEYS).flat())] as [string, ...string[]];
export const fieldKeySchema = z.enum(ALL_FIELD_KEYS);

/** ISO date with its precision, as stored: 1962, 1962-03 or 1962-03-15. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'ngày theo dạng YYYY, YYYY-MM hoặc YYYY-MM-DD')
  .meta({ example: '1962-03-15' });

/** Letters (any script, with combining marks), spaces, apostrophe, dot and hyphen. */
const personNameSchema = z.string().trim().min(2).max(100).regex(/^[\p{L}\p{M}][\p{L}\p{M} .'-]*$/u, 'họ tên chỉ gồm chữ cái và dấu cách');
const placeSchema = z.string().trim().min(2).max(150).regex(/^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,'/()-]*$/u, 'địa danh chỉ gồm chữ, số, dấu cách và dấu phẩy');
/** Office codes are short identifiers or, in older data, the office's name. */
export const officeCodeSchema = z.string().trim().min(1).max(80).regex(/^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,_/-]*$/u, 'mã cơ quan đăng ký');

const paging = {
  page: z.number().int().min(1).max(100).default(1),
  pageSize: z.number().int().min(1).max(50).default(10),
  /** Only these fields (each must be within the client's scope); all the scope allows when absent. */
  fields: z.array(fieldKeySchema).min(1).max(ALL_FIELD_KEYS.length).optional(),
};

export const searchRequestSchema = z
  .discriminatedUnion('by', [
    z.object({ by: z.literal('idNumber'), idNumber: z.string().regex(/^(\d{9}|\d{12})$/, 'số định danh cá nhân 12 chữ số hoặc CMND 9 chữ số'), ...paging }).strict(),
    z
      .object({
        by: z.literal('person'),
        fullName: personNameSchema.meta({ example: 'Nguyễn Thị Thu Hà' }),
        birthDate: isoDateSchema,
        place: placeSchema.meta({ example: 'Hà Nội' }),
        registerType: apiRegisterTypeSchema.optional(),
        ...paging,
      })
      .strict(),
    z
      .object({
        by: z.literal('entry'),
        office: officeCodeSchema,
        registerType: apiRegisterTypeSchema,
        bookNo: z.string().trim().min(1).max(20).regex(/^[\p{L}\p{N}][\p{L}\p{N} ./-]*$/u),
        year: z.number().int().min(1900).max(2100),
        entryNo: z.number().int().min(1).max(1_000_000),
        ...paging,
      })
      .strict(),
  ])
  .meta({ id: 'SearchRequest' });
export type SearchRequest = z.infer<typeof searchRequestSchema>;

export const recordIdSchema = z.uuid().meta({ description: 'Mã hồ sơ ngẫu nhiên (không tuần tự).' });

export const fieldEventSchema = z.object({
  kind: z.string(),
  field: z.string().nullable(),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  date: z.string().nullable(),
  source: z
    .object({ registerType: z.string(), bookNo: z.string(), year: z.number().nullable(), entryNo: z.number().nullable() })
    .nullable()
    .describe('mục của sổ đăng ký thay đổi, cải chính hộ tịch đã ghi sự kiện này; null: ghi chú bên lề của chính mục'),
});

/**
 * How a value was come by when the book does not state it as such. `stated_age`: a parent's birth year worked out
 * from the age the book states (the child's birth year less the age), so it may be a year off; `age` is that age, null
 * when it cannot be told any more (a person set the year otherwise).
 */
export const ageDerivationSchema = z
  .object({
    from: z.literal('stated_age'),
    age: z.number().int().nullable().describe('tuổi sổ ghi; null: không còn xác định được'),
  })
  .meta({ id: 'Derivation' });
export type AgeDerivation = z.infer<typeof ageDerivationSchema>;

export const recordFieldSchema = z
  .object({
    value: z.string().nullable(),
    precision: z.enum(DATE_PRECISIONS).nullable(),
    derivation: ageDerivationSchema
      .nullable()
      .describe('null: giá trị như sổ ghi; stated_age: năm sinh tính từ tuổi sổ ghi (năm sinh của con trừ tuổi), có thể lệch một năm'),
    status: z.enum(FIELD_STATUSES),
    provenance: z.object({
      page: z.string().nullable().describe('nhãn trang trong sổ'),
      source: z.enum(FIELD_SOURCES).describe('máy đọc hay người kiểm tra'),
      at: z.string().describe('thời điểm giá trị được xác nhận'),
    }),
    history: z.array(fieldEventSchema).describe('thay đổi ghi chú bên lề / cải chính, cũ trước'),
  })
  .meta({ id: 'RecordField' });

export const recordSchema = z
  .object({
    id: recordIdSchema,
    registerType: apiRegisterTypeSchema,
    book: z.object({ office: z.object({ code: z.string(), name: z.string() }), bookNo: z.string(), yearFrom: z.number().nullable() }),
    year: z.number().nullable(),
    entryNo: z.number().nullable(),
    fields: z.record(z.string(), recordFieldSchema),
    events: z.array(fieldEventSchema).describe('mọi sự kiện ghi chú của mục, kể cả không gắn với một trường'),
  })
  .meta({ id: 'Record' });
export type ApiRecord = z.infer<typeof recordSchema>;

export const searchResponseSchema = z
  .object({
    status: z.enum(['found', 'none', 'ambiguous']).describe('ambiguous: khớp hơn một người, không trả dữ liệu cá nhân'),
    persons: z.number().int().describe('số người khác nhau khớp yêu cầu (tối thiểu)'),
    total: z.number().int().describe('số hồ sơ của người được tìm thấy'),
    page: z.number().int(),
    pageSize: z.number().int(),
    records: z.array(recordSchema),
  })
  .meta({ id: 'SearchResponse' });
export type SearchResponse = z.infer<typeof searchResponseSchema>;

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(API_ERROR_CODES),
      /** Vietnamese; for `invalid_query` it names the faulty field and the format it takes. */
      message: z.string(),
      /** `invalid_query`: the path of the faulty request field (`birthDate`, `fields.2`). */
      field: z.string().optional(),
      /** `scope_field` on an extract: the form's fields the client may not see; `extract_incomplete`: the fields of who it is about that have no value. */
      fields: z.array(z.string()).optional(),
    }),
  })
  .meta({ id: 'Error' });
