import { API_ERRORS, type ApiErrorCode } from '../../schemas/api.ts';

/** The one error class of the API; routes throw it, the error handler turns it into the JSON shape. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number;
  /** English, for operators; never personal data. Not sent to the client. */
  readonly detail: string | undefined;
  /** The client the request came from, when its token was known (revoked and expired ones too): for lookup_log. */
  clientId: number | null = null;
  constructor(code: ApiErrorCode, detail?: string) {
    super(API_ERRORS[code][1]);
    this.code = code;
    this.status = API_ERRORS[code][0];
    this.detail = detail;
  }

  toJSON(): { error: { code: ApiErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
