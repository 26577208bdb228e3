import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditSampleResults, AUTO_ACCEPT_ERROR_BUDGET } from '../review/audit-sample.ts';
import { claimArbitration, resolveArbitration, verifierFigures, type ArbitrationItem } from '../review/arbitration.ts';
import { checkValue, displayValue, FIELD_LABELS } from '../review/field-rules.js';
import { KEYED_MARKS } from '../review/keying.ts';
import { checkFieldValue } from '../review/value-check.ts';
import { LeaseLostError } from '../review/queue.ts';
import { keyHint } from './keys.ts';
import { REGISTER_NAMES } from './books-page.ts';
import { escapeHtml } from './layout.ts';
import { HttpRefusal, refuseBlank } from './refusals.ts';
import { sendPage, type HttpDeps } from './server.ts';

const resolveSchema = z.object({
  /** `keying:N` (the N-th blind keying), `machine`, `typed` (with `input`), `unreadable` or `blank` (F6 «Sổ để trống»). */
  choice: z.string().regex(/^(keying:\d|machine|existing|typed|unreadable|blank)$/),
  input: z.string().max(500).optional(),
});

function forScreen(item: ArbitrationItem) {
  return {
    itemId: item.itemId,
    title: `${REGISTER_NAMES[item.registerType] ?? item.registerType} · quyển ${item.bookNo} · ${item.office}${item.year ? ` · năm ${item.year}` : ''}${item.entryNo !== null ? ` · số ${item.entryNo}` : ''}`,
    field: item.field,
    label: FIELD_LABELS[item.field] ?? item.field,
    pivot: item.year ?? new Date().getFullYear(),
    hasBox: item.hasBox,
    options: [
      ...item.keyings.map((k, i) => ({ choice: `keying:${i}`, who: `Người nhập ${i + 1} (${k.verifier})`, value: k.unreadable ? 'Không đọc được' : k.value === null ? KEYED_MARKS.blank : displayValue(item.field, k.value) })),
      ...(item.machineValue !== null ? [{ choice: 'machine', who: 'Máy đọc', value: displayValue(item.field, item.machineValue) }] : []),
      ...(item.existing ? [{ choice: 'existing', who: `Hồ sơ điện tử ${item.existing.sourceId}`, value: displayValue(item.field, item.existing.value) }] : []),
    ],
  };
}

/**
 * Supervisors: the queue of blind double-keying disagreements (both keyings, then the machine's reading as a
 * third opinion, beside the crop) and per-verifier agreement figures.
 */
export function registerArbitrationRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db'>): void {
  app.get('/arbitration', { config: { access: 'arbitrate' } }, async (request, reply) => {
    const scope = { all: request.account!.allOffices, officeIds: request.account!.officeIds };
    const [figures, audit] = await Promise.all([verifierFigures(deps.db, scope), auditSampleResults(deps.db, scope)]);
    const pct = (x: number) => `${(100 * x).toLocaleString('vi-VN', { maximumFractionDigits: 2 })} %`;
    const auditRows = audit
      .map((a) => `<tr${a.overBudget ? ' class="over-budget"' : ''}><td>${escapeHtml(a.era ?? '–')}</td><td>${escapeHtml(FIELD_LABELS[a.field] ?? a.field)}</td><td class="num">${a.checked}</td>
<td class="num">${a.errors}</td><td class="num">${pct(a.rate)}</td><td class="num">${pct(a.upper95)}</td><td>${a.overBudget ? '<span class="warn">Vượt ngưỡng lỗi cho phép</span>' : ''}</td></tr>`)
      .join('');
    const overBudget = audit.filter((a) => a.overBudget).length;
    const rows = figures
      .map((f) => `<tr><td>${escapeHtml(f.verifier)}</td><td class="num">${f.decided}</td><td class="num">${f.medianMs === null ? '–' : (f.medianMs / 1000).toLocaleString('vi-VN', { maximumFractionDigits: 1 })}</td>
<td class="num">${f.keyings}</td><td class="num">${f.keyings ? `${Math.round((100 * f.agreed) / f.keyings)} %` : '–'}</td><td class="num">${f.keyings - f.agreed}</td></tr>`)
      .join('');
    return sendPage(request, reply, 'Phân xử', `<h1>Phân xử nhập hai lần</h1>
<div id="arbitration" class="review" data-state="loading">
  <section>
    <div class="crop" id="crop"><span class="hint">Đang tải…</span></div>
    <p class="keys"><kbd>1</kbd>/<kbd>2</kbd>/<kbd>3</kbd> chọn ý kiến · <kbd>Tab</kbd> để gõ giá trị khác rồi <kbd>Enter</kbd> (<kbd>Esc</kbd> quay lại các ý kiến) · ${keyHint('F2')} · ${keyHint('F6')} · ${keyHint('F7')} · ${keyHint('F8')}</p>
    <p id="message" role="status"></p>
  </section>
  <section>
    <h2 id="entry-title"></h2>
    <div id="options" class="fields" tabindex="0" aria-label="Các ý kiến: bấm 1, 2, 3 để chọn"></div>
    <label>Giá trị đúng <input id="typed" autocomplete="off" spellcheck="false"></label>
    <p class="check" id="check"></p>
  </section>
</div>
<h2>Theo người kiểm tra</h2>
<table class="grid"><thead><tr><th>Người kiểm tra</th><th>Trường đã quyết định</th><th>Trung vị giây/trường</th><th>Lần nhập độc lập đã có kết quả</th><th>Khớp kết quả cuối</th><th>Lần nhập sai</th></tr></thead>
<tbody>${rows}</tbody></table>
<h2>Kết quả mẫu kiểm tra ngẫu nhiên</h2>
<p class="hint">Các trường máy đã tự chấp nhận được rút ngẫu nhiên để người kiểm tra lại (như mọi trường khác). Ngưỡng lỗi cho phép với họ tên, ngày, địa danh, số giấy tờ: ${pct(AUTO_ACCEPT_ERROR_BUDGET)}.</p>
${overBudget ? `<p class="warn" role="alert">${overBudget} trường vượt ngưỡng lỗi cho phép: nên giảm ngưỡng tự chấp nhận của các trường này.</p>` : ''}
${audit.length ? `<table class="grid"><thead><tr><th>Thời kỳ</th><th>Trường</th><th>Đã kiểm tra</th><th>Máy sai</th><th>Tỷ lệ lỗi</th><th>Cận trên 95 %</th><th></th></tr></thead><tbody>${auditRows}</tbody></table>` : '<p>Chưa có trường nào của mẫu kiểm tra được kiểm tra.</p>'}`, { scripts: ['/assets/arbitration.js'] });
  });

  app.post('/arbitration/next', { config: { access: 'arbitrate' } }, async (request) => {
    const item = await claimArbitration(deps.db, request.account!);
    return { item: item ? forScreen(item) : null };
  });

  app.post<{ Params: { id: string } }>('/arbitration/items/:id', { config: { access: 'arbitrate' } }, async (request) => {
    const account = request.account!;
    const itemId = Number(request.params.id);
    const parsed = resolveSchema.safeParse(request.body);
    if (!Number.isSafeInteger(itemId) || !parsed.success) throw new HttpRefusal('bad_request');
    const { choice, input } = parsed.data;
    const item = await claimArbitration(deps.db, account);
    if (!item || item.itemId !== itemId) throw new HttpRefusal('lease_lost');
    let decision: { value: string | null; precision: string | null; unreadable: boolean; chose: string };
    if (choice === 'unreadable') decision = { value: null, precision: null, unreadable: true, chose: choice };
    else if (choice === 'blank') {
      // stored as the review and keying screens store the book's empty line: a verified field without a value
      refuseBlank(item.registerType, item.field);
      decision = { value: null, precision: null, unreadable: false, chose: choice };
    }
    else if (choice === 'typed') {
      const check = checkFieldValue(item.field, input, { pivot: item.year ?? new Date().getFullYear() });
      if (!check.ok) throw new HttpRefusal('bad_value', check.message ?? undefined);
      decision = { value: check.value, precision: check.precision, unreadable: false, chose: choice };
    } else if (choice === 'existing') {
      if (!item.existing) throw new HttpRefusal('bad_request');
      const check = checkValue(item.field, item.existing.value, { pivot: item.year ?? new Date().getFullYear() });
      decision = { value: check.ok ? check.value : item.existing.value, precision: check.precision, unreadable: false, chose: choice };
    } else if (choice === 'machine') {
      if (item.machineValue === null) throw new HttpRefusal('bad_request');
      const check = checkValue(item.field, item.machineValue, { pivot: item.year ?? new Date().getFullYear() });
      decision = { value: item.machineValue, precision: check.precision, unreadable: false, chose: choice };
    } else {
      const keying = item.keyings[Number(choice.slice('keying:'.length))];
      if (!keying) throw new HttpRefusal('bad_request');
      const check = keying.value === null ? null : checkValue(item.field, keying.value, { pivot: item.year ?? new Date().getFullYear() });
      decision = { value: keying.value, precision: check?.precision ?? null, unreadable: keying.unreadable, chose: choice };
    }
    try {
      return await resolveArbitration(deps.db, account, itemId, decision);
    } catch (error) {
      if (error instanceof LeaseLostError) throw new HttpRefusal('lease_lost');
      throw error;
    }
  });
}
