import type { FastifyInstance } from 'fastify';
import { ApiError } from '../api/errors.ts';
import { recordAudit } from '../db/audit.ts';
import type { Sql } from '../db/sql.ts';
import { escapeHtml, localTime, renderPage } from '../http/layout.ts';
import { addressKey, addressTagger, createRateLimiter } from '../http/rate-limit.ts';
import { verifyExtract, type ExtractVerdict } from './extract.ts';

/**
 * Checks an address may make: a desk checking the papers of a queue of citizens stays far below it; a script
 * walking seals or loading the server does not.
 */
export const VERIFY_LIMIT = { perMinute: 30, burst: 20 };
const RATE_LIMITED = 'Địa chỉ mạng của bạn đã gửi quá nhiều yêu cầu kiểm tra trong thời gian ngắn. Hãy chờ một phút rồi thử lại.';

/**
 * Heading and explanation per verdict; `office` is the office whose book holds the record, when it is known. The
 * seal holds neither the issuer nor its heading (a deployment sets who issues extracts today, src/certified/issuer.ts,
 * and it changes, as in 2025), so the page names the book, never an issuer the paper may not show. A genuine
 * seal vouches for the content only: the paper itself has legal value once an officer signs and stamps it, so the
 * page never calls the extract valid (hợp lệ) and says what makes it so.
 */
const VERDICTS: Record<ExtractVerdict['verdict'], { heading: string; text: (office: string | null) => string; note?: string }> = {
  genuine: {
    heading: 'Nội dung khớp với hồ sơ gốc',
    text: (office) => `Bản trích lục lấy từ sổ hộ tịch của ${office}; nội dung khớp với hồ sơ hiện tại. Hãy đối chiếu các thông tin dưới đây với bản giấy: nếu bản giấy ghi khác, bản giấy đã bị sửa hoặc làm giả.`,
    note: 'Trang này chỉ xác nhận nội dung. Bản giấy chỉ có giá trị pháp lý khi có chữ ký của người có thẩm quyền và đóng dấu của cơ quan cấp.',
  },
  changed: {
    heading: 'Hồ sơ đã thay đổi',
    text: (office) => `Bản trích lục lấy từ sổ hộ tịch của ${office}, nhưng hồ sơ đã được cải chính hoặc ghi chú thêm sau ngày cấp. Hãy xin bản trích lục mới.`,
  },
  unavailable: { heading: 'Hồ sơ không còn được cung cấp', text: () => 'Bản trích lục có chữ ký số hợp lệ, nhưng hồ sơ hiện không còn ở trạng thái đã xác minh.' },
  not_genuine: { heading: 'Bản trích lục không hợp lệ', text: () => 'Mã kiểm tra không đúng hoặc đã bị sửa: không xác nhận được bản trích lục này.' },
};

/**
 * `GET /verify/<seal>`: public, no token. Says whether an extract is genuine and unchanged; shows the
 * register, book and entry it came from, the office whose book it is and when it was issued, and, for a genuine
 * extract, who it is about as the signed content says (name and date of birth or of death, or both spouses'
 * names: what the paper prints anyway), so that a genuine code pasted onto a forged paper shows.
 * JSON with `Accept: application/json`. Every view is recorded in `audit_event` (verdict and ids only).
 * Anyone may ask without an account, so each address (an IPv6 one by its /64) may ask `limit.perMinute` times a
 * minute (after a burst of `limit.burst`): more is refused with 429 (a page in Vietnamese), and a run of refusals
 * recorded once, under a tag of the address (rate-limit.ts addressTagger), never the address: the audit trail is
 * append-only and holds no personal data.
 */
export function registerVerifyRoute(app: FastifyInstance, sql: Sql, limit: { perMinute: number; burst: number } = VERIFY_LIMIT): void {
  const limiter = createRateLimiter(limit);
  const tag = addressTagger();
  // A wildcard, not a parameter: a seal (~180 characters) is longer than fastify's parameter limit.
  app.get('/verify/*', { config: { access: 'public' } }, async (request, reply) => {
    const json = String(request.headers.accept ?? '').includes('application/json');
    const address = addressKey(request.ip);
    const turn = limiter.take(address);
    if (!turn.allowed) {
      if (turn.firstRefusal) await recordAudit(sql, { actor: 'public', action: 'verify_rate_limited', objectType: 'extract', objectId: '-', detail: { address: tag(address), json } });
      void reply.code(429).header('retry-after', String(turn.retryAfterSeconds)).header('cache-control', 'no-store');
      // the API's one error shape (src/api/errors.ts), so that a client reads every refusal alike
      if (json) return reply.send(new ApiError('rate_limited', 'verify rate limited', { message: RATE_LIMITED }).toJSON());
      const body = `<section class="verify"><h1 data-verdict="rate_limited">Quá nhiều lượt kiểm tra</h1><p>${escapeHtml(RATE_LIMITED)}</p></section>`;
      return reply.type('text/html; charset=utf-8').send(renderPage({ title: 'Quá nhiều lượt kiểm tra', body }));
    }
    const seal = (request.params as { '*': string })['*'];
    const result = seal.length > 400 ? ({ verdict: 'not_genuine', reason: 'malformed' } as const) : await verifyExtract(sql, seal);
    await recordAudit(sql, {
      actor: 'public',
      action: 'verify_extract',
      ...(result.verdict === 'not_genuine'
        ? { objectType: 'extract', objectId: '-', detail: { verdict: result.verdict, reason: result.reason, json } }
        : { objectType: 'record', objectId: result.recordId, detail: { verdict: result.verdict, kid: result.kid, issuedAt: result.issuedAt, json } }),
    });
    void reply.header('cache-control', 'no-store');
    if (json) return reply.send(result);
    const content = result.verdict === 'not_genuine' ? null : result.content;
    const { heading, text, note } = VERDICTS[result.verdict];
    const row = (label: string, value: string) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`;
    const details =
      result.verdict === 'not_genuine'
        ? ''
        : `<dl class="cross-check">${(content?.crossCheck ?? []).map((r) => row(r.label, r.value)).join('')}` +
          `${content ? row('Loại', content.title) + row('Nguồn', content.source) + row('Sổ gốc của', content.office) : ''}` +
          `${row('Bản điện tử tạo ngày', localTime(new Date(result.issuedAt)).slice(0, 10))}${row('Mã khóa ký', result.kid)}</dl>`;
    const body = `<section class="verify"><h1 data-verdict="${result.verdict}">${heading}</h1><p>${escapeHtml(text(content?.office ?? null))}</p>${
      note ? `<p class="validity" id="validity">${escapeHtml(note)}</p>` : ''}${details}</section>`;
    return reply.type('text/html; charset=utf-8').send(renderPage({ title: heading, body }));
  });
}
