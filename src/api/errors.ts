import type { core } from 'zod';
import { API_ERRORS, type ApiErrorCode } from '../../schemas/api.ts';

/** What a request field takes, in Vietnamese, for the message of a malformed request. */
const FIELD_HINTS: Record<string, string> = {
  by: 'một trong "idNumber", "person", "entry"',
  idNumber: 'số định danh cá nhân 12 chữ số hoặc số CMND 9 chữ số',
  fullName: 'họ, chữ đệm và tên bằng chữ cái, từ 2 đến 100 ký tự',
  birthDate: 'ngày theo dạng YYYY-MM-DD (ví dụ 1962-03-15); YYYY-MM hoặc YYYY khi sổ chỉ ghi tháng hoặc năm',
  place: 'địa danh bằng chữ, số, dấu cách và dấu phẩy, từ 2 đến 150 ký tự (ví dụ "Hà Nội")',
  registerType: '"birth", "marriage" hoặc "death"',
  office: 'mã cơ quan đăng ký (ví dụ "HBT")',
  bookNo: 'số quyển như ghi trên sổ (ví dụ "01")',
  year: 'năm đăng ký, số nguyên từ 1900 đến 2100',
  entryNo: 'số thứ tự trong sổ, số nguyên dương',
  page: 'số trang, số nguyên từ 1 đến 100',
  pageSize: 'số hồ sơ mỗi trang, số nguyên từ 1 đến 50',
  fields: 'danh sách mã trường thông tin (xem /api/v1/openapi.json)',
};

/** The one error class of the API; routes throw it, the error handler turns it into the JSON shape. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number;
  /** English, for operators; never personal data. Not sent to the client. */
  readonly detail: string | undefined;
  /** The request field at fault (a path such as `birthDate` or `fields.2`): a field name, never its value. */
  readonly field: string | undefined;
  /** The record's fields the client lacks (an extract refused for its scope). */
  readonly fields: string[] | undefined;
  /** The client the request came from, when its token was known (revoked and expired ones too): for lookup_log. */
  clientId: number | null = null;
  constructor(code: ApiErrorCode, detail?: string, extra: { message?: string; field?: string; fields?: string[] } = {}) {
    super(extra.message ?? API_ERRORS[code][1]);
    this.code = code;
    this.status = API_ERRORS[code][0];
    this.detail = detail;
    this.field = extra.field;
    this.fields = extra.fields;
  }

  toJSON(): { error: { code: ApiErrorCode; message: string; field?: string; fields?: string[] } } {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}), ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

/**
 * A malformed request, naming its first faulty field and what that field takes, so that the calling
 * service can fix it (a date typed 15/03/1962, a missing place). Only field names and formats are echoed.
 */
export function invalidRequest(field: string | undefined, problem: 'missing' | 'format' | 'unknown', detail = 'invalid request'): ApiError {
  const base = API_ERRORS.invalid_query[1].replace(/\.$/, '');
  const shown = field?.slice(0, 60);
  const hint = field === undefined ? undefined : FIELD_HINTS[field.split('.')[0]!];
  const message =
    shown === undefined ? `${base}: nội dung phải là một đối tượng JSON có trường "by".`
    : problem === 'unknown' ? `${base}: trường "${shown}" không được hỗ trợ ở đây.`
    : `${base}: ${problem === 'missing' ? 'thiếu' : 'sai'} trường "${shown}"${hint ? ` — cần ${hint}` : ''}.`;
  return new ApiError('invalid_query', detail, { message, field: shown });
}

/** The first problem zod found in a search request, as an API error; `body` tells a missing field from a wrong one. */
export function invalidSearch(issues: readonly core.$ZodIssue[], body: unknown): ApiError {
  const issue = issues[0];
  if (!issue) return invalidRequest(undefined, 'format');
  if (issue.code === 'unrecognized_keys') return invalidRequest([...issue.path, issue.keys[0]].join('.'), 'unknown', 'unknown key');
  if (issue.path.length === 0) return invalidRequest(undefined, 'format', 'body not an object');
  let value: unknown = body;
  for (const key of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return invalidRequest(issue.path.join('.'), value === undefined ? 'missing' : 'format', `${issue.code} at ${issue.path.join('.')}`);
}
