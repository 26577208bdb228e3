import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../db/audit.ts';
import type { Sql } from '../db/sql.ts';
import { escapeHtml, localTime, renderPage } from '../http/layout.ts';
import { verifyExtract, type ExtractVerdict } from './extract.ts';

/** Heading and explanation per verdict; `office` is the issuing office's name when the record is known. */
const VERDICTS: Record<ExtractVerdict['verdict'], { heading: string; text: (office: string | null) => string }> = {
  genuine: {
    heading: 'Bản trích lục hợp lệ',
    text: (office) => `Bản trích lục do ${office} cấp và nội dung khớp với hồ sơ hiện tại. Hãy đối chiếu các thông tin dưới đây với bản giấy: nếu bản giấy ghi khác, bản giấy đã bị sửa hoặc làm giả.`,
  },
  changed: {
    heading: 'Hồ sơ đã thay đổi',
    text: (office) => `Bản trích lục do ${office} cấp, nhưng hồ sơ đã được cải chính hoặc ghi chú thêm sau ngày cấp. Hãy xin bản trích lục mới.`,
  },
  unavailable: { heading: 'Hồ sơ không còn được cung cấp', text: () => 'Bản trích lục có chữ ký số hợp lệ, nhưng hồ sơ hiện không còn ở trạng thái đã xác minh.' },
  not_genuine: { heading: 'Bản trích lục không hợp lệ', text: () => 'Mã kiểm tra không đúng hoặc đã bị sửa: không xác nhận được bản trích lục này.' },
};

/**
 * `GET /verify/<seal>`: public, no token. Says whether an extract is genuine and unchanged; shows the
 * register, book and entry it came from, the issuing office and when it was issued, and, for a genuine
 * extract, who it is about as the signed content says (name and date of birth or of death, or both spouses'
 * names: what the paper prints anyway), so that a genuine code pasted onto a forged paper shows.
 * JSON with `Accept: application/json`. Every view is recorded in `audit_event` (verdict and ids only).
 */
export function registerVerifyRoute(app: FastifyInstance, sql: Sql): void {
  // A wildcard, not a parameter: a seal (~180 characters) is longer than fastify's parameter limit.
  app.get('/verify/*', { config: { access: 'public' } }, async (request, reply) => {
    const seal = (request.params as { '*': string })['*'];
    const result = seal.length > 400 ? ({ verdict: 'not_genuine', reason: 'malformed' } as const) : await verifyExtract(sql, seal);
    const json = String(request.headers.accept ?? '').includes('application/json');
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
    const { heading, text } = VERDICTS[result.verdict];
    const row = (label: string, value: string) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`;
    const details =
      result.verdict === 'not_genuine'
        ? ''
        : `<dl class="cross-check">${(content?.crossCheck ?? []).map((r) => row(r.label, r.value)).join('')}` +
          `${content ? row('Loại', content.title) + row('Nguồn', content.source) + row('Cơ quan cấp', content.office) : ''}` +
          `${row('Ngày cấp', localTime(new Date(result.issuedAt)).slice(0, 10))}${row('Mã khóa ký', result.kid)}</dl>`;
    const body = `<section class="verify"><h1 data-verdict="${result.verdict}">${heading}</h1><p>${escapeHtml(text(content?.office ?? null))}</p>${details}</section>`;
    return reply.type('text/html; charset=utf-8').send(renderPage({ title: heading, body }));
  });
}
