import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { may } from '../auth/roles.ts';
import { eventText } from '../certified/content.ts';
import { recordAudit } from '../db/audit.ts';
import { correctField, loadEntry, NotCorrectableError } from '../review/corrections.ts';
import { checkValue, displayValue, FIELD_LABELS } from '../review/field-rules.js';
import { ENTRY_STATUS_NAMES, REGISTER_NAMES } from './books-page.ts';
import { coversOffice, csrfOf } from './guard.ts';
import { escapeHtml, localTime } from './layout.ts';
import { formState, HttpRefusal, invalidForm } from './refusals.ts';
import { sendPage, type HttpDeps } from './server.ts';

const FIELD_STATUS_NAMES: Record<string, string> = { auto_accepted: 'Máy chấp nhận', review: 'Chờ kiểm tra', verified: 'Đã kiểm tra', unreadable: 'Không đọc được' };
const SOURCE_NAMES: Record<string, string> = { machine: 'máy', verifier: 'người kiểm tra', existing_record: 'hồ sơ điện tử', supervisor: 'giám sát viên' };


const correctionSchema = z.object({ value: z.string().max(500), reason: z.string().trim().min(5).max(1000), unreadable: z.string().optional() });

/**
 * One entry with every field, who decided it and the corrections made since; supervisors correct a decided
 * value here, only with a reason, and every correction is kept.
 */
export function registerEntryRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db'>): void {
  /** The entry's page; also shown again, as typed, when a correction is refused. */
  async function entryPage(request: FastifyRequest, reply: FastifyReply) {
    const id = Number((request.params as { id: string }).id);
    const entry = Number.isSafeInteger(id) ? await loadEntry(deps.db, id) : null;
    if (!entry) throw new HttpRefusal('not_found');
    if (!coversOffice(request.account!, entry.officeId)) throw new HttpRefusal('forbidden_office');
    // The page shows every field of a person's record: who looked, and when, is kept (ids only).
    await recordAudit(deps.db, { actor: request.account!.name, action: 'view_entry', objectType: 'entry', objectId: entry.id });
    const canCorrect = may(request.account!.role, 'arbitrate');
    const csrf = escapeHtml(csrfOf(request) ?? '');
    const rows = entry.fields
      .map((f) => {
        const decided = ['verified', 'auto_accepted', 'unreadable'].includes(f.status);
        const action = `/entries/${entry.id}/fields/${encodeURIComponent(f.field)}/correction`;
        const typed = formState(request, action);
        const form = canCorrect && decided
          ? `<form method="post" action="${action}" class="correction">
<input type="hidden" name="_csrf" value="${csrf}"><input name="value" aria-label="Giá trị mới" placeholder="Giá trị mới" value="${escapeHtml(typed.value('value'))}"${typed.invalid('value')}>${typed.error('value')}
<input name="reason" aria-label="Lý do sửa" placeholder="Lý do sửa (bắt buộc)" required minlength="5" value="${escapeHtml(typed.value('reason'))}"${typed.invalid('reason')}>${typed.error('reason')}<button type="submit">Sửa</button></form>`
          : '';
        return `<tr><td>${escapeHtml(FIELD_LABELS[f.field] ?? f.field)}</td><td>${escapeHtml(displayValue(f.field, f.value))}</td>
<td>${FIELD_STATUS_NAMES[f.status] ?? escapeHtml(f.status)}</td><td>${SOURCE_NAMES[f.source] ?? escapeHtml(f.source)}${f.verifiedBy ? ` (${escapeHtml(f.verifiedBy)})` : ''}</td>
<td>${f.machineValue !== null && f.machineValue !== f.value ? escapeHtml(displayValue(f.field, f.machineValue)) : ''}${
          f.conflictValue !== null ? `<div class="warn">Lần đọc lại: ${escapeHtml(displayValue(f.field, f.conflictValue))} (khác giá trị đã xác minh, chờ người kiểm tra)</div>` : ''}</td><td>${form}</td></tr>`;
      })
      .join('\n');
    const corrections = entry.corrections
      .map((c) => `<li>${localTime(c.at)} · ${escapeHtml(c.by)} · ${escapeHtml(FIELD_LABELS[c.field] ?? c.field)}: «${escapeHtml(displayValue(c.field, c.oldValue))}» → «${escapeHtml(displayValue(c.field, c.newValue))}». Lý do: ${escapeHtml(c.reason)}</li>`)
      .join('');
    // marginal notes and registered changes: what changed on this entry since it was registered, and where it is written
    const events = entry.events
      .map((ev) => `<li>${escapeHtml(eventText(ev))}${ev.sourceEntryId !== null ? ` · <a href="/entries/${ev.sourceEntryId}">xem mục thay đổi</a>` : ''}</li>`)
      .join('');
    // only the entries of offices this person covers (a change may be registered at another office than its original)
    const changed = entry.changed
      .filter((c) => coversOffice(request.account!, c.officeId))
      .map((c) => `<li><a href="/entries/${c.entryId}">${REGISTER_NAMES[c.registerType] ?? escapeHtml(c.registerType)} · quyển ${escapeHtml(c.bookNo)}${c.year ? ` · năm ${c.year}` : ''}${c.entryNo !== null ? ` · số ${c.entryNo}` : ''}</a></li>`)
      .join('');
    return sendPage(request, reply, `Mục số ${entry.entryNo ?? entry.id}`, `<h1>${REGISTER_NAMES[entry.registerType] ?? escapeHtml(entry.registerType)} · quyển ${escapeHtml(entry.bookNo)}${entry.year ? ` · năm ${entry.year}` : ''}${entry.entryNo !== null ? ` · số ${entry.entryNo}` : ''}</h1>
<p>${ENTRY_STATUS_NAMES[entry.status] ?? escapeHtml(entry.status)} · <a href="/books/${entry.bookId}">Về sổ</a> · <a href="/pages/${entry.pageId}/image" target="_blank">Ảnh trang</a></p>
<table class="grid"><thead><tr><th>Trường</th><th>Giá trị</th><th>Trạng thái</th><th>Nguồn</th><th>Máy đọc</th><th>${canCorrect ? 'Sửa (có ghi lý do)' : ''}</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Ghi chú và thay đổi hộ tịch</h2>
${events ? `<ul class="events">${events}</ul>` : '<p>Chưa có ghi chú hay thay đổi nào.</p>'}
${changed ? `<p>Thay đổi ở mục này đã được ghi vào:</p><ul class="events">${changed}</ul>` : ''}
<h2>Lịch sử sửa</h2>
${corrections ? `<ul class="corrections">${corrections}</ul>` : '<p>Chưa có lần sửa nào.</p>'}`);
  }

  app.get<{ Params: { id: string } }>('/entries/:id', { config: { access: 'books' } }, entryPage);

  app.post<{ Params: { id: string; field: string } }>('/entries/:id/fields/:field/correction', { config: { access: 'arbitrate', formPage: entryPage } }, async (request, reply) => {
    const id = Number(request.params.id);
    const parsed = correctionSchema.safeParse(request.body);
    const entry = Number.isSafeInteger(id) ? await loadEntry(deps.db, id) : null;
    if (!entry) throw new HttpRefusal('not_found');
    if (!coversOffice(request.account!, entry.officeId)) throw new HttpRefusal('forbidden_office');
    if (!parsed.success) throw invalidForm(parsed.error, { reason: 'Hãy ghi lý do sửa (ít nhất 5 ký tự).' }, 'Hãy nhập giá trị mới và lý do sửa (ít nhất 5 ký tự).');
    const field = request.params.field;
    const unreadable = parsed.data.unreadable === '1';
    const check = unreadable ? null : checkValue(field, parsed.data.value, { pivot: entry.year ?? new Date().getFullYear() });
    if (check && !check.ok) throw new HttpRefusal('bad_value', check.message ?? undefined, 'value');
    try {
      await correctField(deps.db, request.account!, { entryId: id, field, value: check?.value ?? null, precision: check?.precision ?? null, reason: parsed.data.reason });
    } catch (error) {
      if (error instanceof NotCorrectableError) throw new HttpRefusal('not_found');
      throw error;
    }
    return reply.redirect(`/entries/${id}`, 303);
  });
}
