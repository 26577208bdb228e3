import type { FastifyInstance } from 'fastify';
import type { Sql } from '../db/sql.ts';
import { verifyExtract, type ExtractVerdict } from './extract.ts';

const VERDICTS: Record<ExtractVerdict['verdict'], { heading: string; text: string }> = {
  genuine: { heading: 'Bản trích lục hợp lệ', text: 'Bản trích lục do civreg cấp và nội dung khớp với hồ sơ hiện tại.' },
  changed: { heading: 'Hồ sơ đã thay đổi', text: 'Bản trích lục do civreg cấp, nhưng hồ sơ đã được cải chính hoặc ghi chú thêm sau ngày cấp. Hãy xin bản trích lục mới.' },
  unavailable: { heading: 'Hồ sơ không còn được cung cấp', text: 'Bản trích lục do civreg cấp, nhưng hồ sơ hiện không còn ở trạng thái đã xác minh.' },
  not_genuine: { heading: 'Bản trích lục không hợp lệ', text: 'Mã kiểm tra không đúng hoặc đã bị sửa: không xác nhận được bản trích lục này.' },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `GET /verify/<seal>`: public, no token. Says whether an extract is genuine and unchanged; shows the
 * register, book and entry it came from and when it was issued, never a person's data.
 * JSON with `Accept: application/json`.
 */
export function registerVerifyRoute(app: FastifyInstance, sql: Sql): void {
  // A wildcard, not a parameter: a seal (~180 characters) is longer than fastify's parameter limit.
  app.get('/verify/*', { config: { access: 'public' } }, async (request, reply) => {
    const seal = (request.params as { '*': string })['*'];
    const result = seal.length > 400 ? ({ verdict: 'not_genuine', reason: 'malformed' } as const) : await verifyExtract(sql, seal);
    void reply.header('cache-control', 'no-store');
    if (String(request.headers.accept ?? '').includes('application/json')) return reply.send(result);
    const { heading, text } = VERDICTS[result.verdict];
    const details =
      result.verdict === 'not_genuine'
        ? ''
        : `<dl><dt>Loại</dt><dd>${escapeHtml(result.content?.title ?? '')}</dd><dt>Nguồn</dt><dd>${escapeHtml(result.content?.source ?? '')}</dd>` +
          `<dt>Ngày cấp</dt><dd>${escapeHtml(result.issuedAt.slice(0, 10))}</dd><dt>Mã khóa ký</dt><dd>${escapeHtml(result.kid)}</dd></dl>`;
    return reply
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${heading}</title></head><body><main><h1 data-verdict="${result.verdict}">${heading}</h1><p>${text}</p>${details}</main></body></html>`);
  });
}
