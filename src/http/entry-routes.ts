import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { may } from '../auth/roles.ts';
import { eventText } from '../certified/content.ts';
import { recordAudit } from '../db/audit.ts';
import { correctField, loadEntry, missingFields, NotCorrectableError } from '../review/corrections.ts';
import { displayValue, FIELD_LABELS } from '../review/field-rules.js';
import { checkFieldValue } from '../review/value-check.ts';
import { KEYED_MARKS } from '../review/keying.ts';
import { ENTRY_STATUS_NAMES, REGISTER_NAMES } from './books-page.ts';
import { coversOffice, csrfOf } from './guard.ts';
import { escapeHtml, localTime } from './layout.ts';
import { formState, HttpRefusal, invalidForm } from './refusals.ts';
import { CROP_MARGIN, pageCrop } from './page-images.ts';
import { sendPage, type HttpDeps } from './server.ts';

const FIELD_STATUS_NAMES: Record<string, string> = { auto_accepted: 'Máy chấp nhận', review: 'Chờ kiểm tra', verified: 'Đã kiểm tra', unreadable: 'Không đọc được', missing: 'Chưa có trong mục' };
const SOURCE_NAMES: Record<string, string> = { machine: 'máy', verifier: 'người kiểm tra', existing_record: 'hồ sơ điện tử', supervisor: 'giám sát viên' };


/**
 * Where an entry is written: its region on each page it is on (two when it runs on over a page break), or, for an
 * entry without a region (keyed by hand), its whole page.
 */
async function entryPlaces(sql: HttpDeps['db'], entryId: number): Promise<Array<{ pageId: number; box: number[] | null }>> {
  const [row] = await sql.query<{ pageId: number; region: unknown }>('select page_id as "pageId", region from entry where id = $1', [entryId]);
  if (!row) return [];
  const regions = (Array.isArray(row.region) ? row.region : [])
    .filter((r): r is { pageId: number; box: number[] } => Number.isSafeInteger(Number(r?.pageId)) && Array.isArray(r?.box) && r.box.length === 4)
    .map((r) => ({ pageId: Number(r.pageId), box: r.box }));
  return regions.length ? regions : [{ pageId: Number(row.pageId), box: null }];
}

const correctionSchema = z.object({ value: z.string().max(500), reason: z.string().trim().min(5).max(1000), unreadable: z.string().optional() });

/**
 * One entry with every field, who decided it and the corrections made since; supervisors correct a decided
 * value here, only with a reason, and every correction is kept.
 */
export function registerEntryRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db' | 'blobs'>): void {
  /** The entry's page; also shown again, as typed, when a correction is refused. */
  async function entryPage(request: FastifyRequest, reply: FastifyReply) {
    const id = Number((request.params as { id: string }).id);
    const entry = Number.isSafeInteger(id) ? await loadEntry(deps.db, id) : null;
    if (!entry) throw new HttpRefusal('not_found');
    if (!coversOffice(request.account!, entry.officeId)) throw new HttpRefusal('forbidden_office');
    // The page shows every field of a person's record: who looked, and when, is kept (ids only).
    await recordAudit(deps.db, { actor: request.account!.name, action: 'view_entry', objectType: 'entry', objectId: entry.id });
    const canCorrect = may(request.account!.role, 'arbitrate');
    // the entry as written, beside its values, as the review screen shows it
    const places = await entryPlaces(deps.db, entry.id);
    const crops = places
      .map((_, i) => `<figure><a href="/entries/${entry.id}/image?part=${i}" target="_blank"><img src="/entries/${entry.id}/image?part=${i}" alt="Ảnh mục số ${entry.entryNo ?? ''}${places.length > 1 ? ` (phần ${i + 1})` : ''}"></a></figure>`)
      .join('');
    const csrf = escapeHtml(csrfOf(request) ?? '');
    // the register's fields the entry has no row for (nothing read, or left out when keyed): listed, so that a
    // supervisor adds one from the image, with a reason, as a correction
    const missing = missingFields(entry).map((field) => ({ field, value: null, status: 'missing', source: '', verifiedBy: null, machineValue: null, conflictValue: null }));
    const rows = [...entry.fields, ...missing]
      .map((f) => {
        const decided = ['verified', 'auto_accepted', 'unreadable', 'missing'].includes(f.status);
        const action = `/entries/${entry.id}/fields/${encodeURIComponent(f.field)}/correction`;
        const typed = formState(request, action);
        const form = canCorrect && decided
          ? `<form method="post" action="${action}" class="correction">
<input type="hidden" name="_csrf" value="${csrf}"><input name="value" aria-label="Giá trị mới" placeholder="Giá trị mới" value="${escapeHtml(typed.value('value'))}"${typed.invalid('value')}>${typed.error('value')}
<input name="reason" aria-label="Lý do sửa" placeholder="Lý do sửa (bắt buộc)" required minlength="5" value="${escapeHtml(typed.value('reason'))}"${typed.invalid('reason')}>${typed.error('reason')}<button type="submit">${f.status === 'missing' ? 'Thêm' : 'Sửa'}</button></form>`
          : '';
        return `<tr><td>${escapeHtml(FIELD_LABELS[f.field] ?? f.field)}</td><td>${f.status === 'verified' && f.value === null ? KEYED_MARKS.blank : escapeHtml(displayValue(f.field, f.value))}</td>
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
<div class="entry-view">
<section class="crop entry-crop" id="entry-image">${crops}</section>
<section><table class="grid"><thead><tr><th>Trường</th><th>Giá trị</th><th>Trạng thái</th><th>Nguồn</th><th>Máy đọc</th><th>${canCorrect ? 'Sửa (có ghi lý do)' : ''}</th></tr></thead>
<tbody>
${rows}
</tbody></table></section>
</div>
<h2>Ghi chú và thay đổi hộ tịch</h2>
${events ? `<ul class="events">${events}</ul>` : '<p>Chưa có ghi chú hay thay đổi nào.</p>'}
${changed ? `<p>Thay đổi ở mục này đã được ghi vào:</p><ul class="events">${changed}</ul>` : ''}
<h2>Lịch sử sửa</h2>
${corrections ? `<ul class="corrections">${corrections}</ul>` : '<p>Chưa có lần sửa nào.</p>'}`);
  }

  app.get<{ Params: { id: string } }>('/entries/:id', { config: { access: 'books' } }, entryPage);

  // The entry's crop of its page (`part`: which of its pages, for an entry running on over a page break); a look at
  // a person's entry, audited like the review screen's.
  app.get<{ Params: { id: string }; Querystring: { part?: string } }>('/entries/:id/image', { config: { access: 'books' } }, async (request, reply) => {
    const id = Number(request.params.id);
    const part = Number(request.query.part ?? '0');
    if (!Number.isSafeInteger(id) || !Number.isSafeInteger(part) || part < 0) throw new HttpRefusal('bad_request');
    const [entry] = await deps.db.query<{ officeId: number }>('select b.office_id as "officeId" from entry e join book b on b.id = e.book_id where e.id = $1', [id]);
    if (!entry) throw new HttpRefusal('not_found');
    if (!coversOffice(request.account!, entry.officeId)) throw new HttpRefusal('forbidden_office');
    const place = (await entryPlaces(deps.db, id))[part];
    const [page] = place ? await deps.db.query<{ sha: string | null }>('select coalesce(clean_sha256, original_sha256) as sha from page where id = $1', [place.pageId]) : [];
    if (!place || !page?.sha) throw new HttpRefusal('not_found');
    const png = await pageCrop(deps.blobs, page.sha, place.box, CROP_MARGIN * 2);
    await recordAudit(deps.db, { actor: request.account!.name, action: 'view_entry_image', objectType: 'entry', objectId: id, detail: { part } });
    return reply.type('image/png').send(png);
  });

  app.post<{ Params: { id: string; field: string } }>('/entries/:id/fields/:field/correction', { config: { access: 'arbitrate', formPage: entryPage } }, async (request, reply) => {
    const id = Number(request.params.id);
    const parsed = correctionSchema.safeParse(request.body);
    const entry = Number.isSafeInteger(id) ? await loadEntry(deps.db, id) : null;
    if (!entry) throw new HttpRefusal('not_found');
    if (!coversOffice(request.account!, entry.officeId)) throw new HttpRefusal('forbidden_office');
    if (!parsed.success) throw invalidForm(parsed.error, { reason: 'Hãy ghi lý do sửa (ít nhất 5 ký tự).' }, 'Hãy nhập giá trị mới và lý do sửa (ít nhất 5 ký tự).');
    const field = request.params.field;
    const unreadable = parsed.data.unreadable === '1';
    const check = unreadable ? null : checkFieldValue(field, parsed.data.value, { pivot: entry.year ?? new Date().getFullYear() });
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
