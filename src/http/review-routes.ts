import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ROUTE_REASONS } from '../../schemas/entries.ts';
import { recordAudit } from '../db/audit.ts';
import { displayValue, FIELD_LABELS } from '../review/field-rules.js';
import { fieldKind } from '../extract/values.ts';
import { yearFromAge } from '../review/keying.ts';
import { PARENT_YEARS, statedAge } from '../review/stated-age.ts';
import type { CorpusRegisterType } from '../../schemas/corpus.ts';
import { suggestValues } from '../review/suggest.ts';
import { checkFieldValue, cutShortMessage, cutShortOf, PLACE_REFUSALS, placeRefusal } from '../review/value-check.ts';
import { claimNextEntry, decideItem, fieldImageOf, heldEntryOf, LEASE_MINUTES, LeaseLostError, loadClaimedEntry, NothingToAcceptError, type ReviewEntry } from '../review/queue.ts';
import { reviewStats } from '../review/stats.ts';
import { ROLE_NAMES } from '../auth/roles.ts';
import { undoFieldDecision } from '../review/undo.ts';
import { UNDO_MINUTES } from '../review/matches.ts';
import { keyHint } from './keys.ts';
import { REGISTER_NAMES } from './books-page.ts';
import { CROP_MARGIN, originalViewOf, pageCrop } from './page-images.ts';
import { HttpRefusal, refuseBlank } from './refusals.ts';
import { scopeOf, sendPage, type HttpDeps } from './server.ts';


const decisionSchema = z.object({
  action: z.enum(['accept', 'correct', 'existing', 'rerun', 'unreadable', 'blank', 'skip']),
  /** What the verifier typed (for `correct`), checked here with the same rules the screen used. */
  input: z.string().max(500).optional(),
  ms: z.number().min(0).max(86_400_000),
  /** The verifier confirms a place the gazetteer holds for cut short ("Phường Bạch"): the book says so. */
  confirmPlace: z.boolean().optional(),
});

/** Said of a field whose machine reading needs a person's look, whatever the exact cause. */
const CHECK_READING = 'Cần đối chiếu giá trị máy đọc với ảnh.';

/**
 * Why a field is on the verifier's screen. An audit-sample item must look like any other item, so it reads
 * as an ordinary low-confidence one; for the same reason the machine's confidence is not shown at all
 * (an audit field's would be high, a low-confidence field's low).
 */
const REASON_SHOWN: Record<string, string> = { ...ROUTE_REASONS, low_confidence: CHECK_READING, audit_sample: CHECK_READING };

/** The entry as the screen shows it: labels, machine values as read back, why each field was flagged. */
function forScreen(entry: ReviewEntry) {
  return {
    entryId: entry.entryId,
    title: `${REGISTER_NAMES[entry.registerType] ?? entry.registerType} · quyển ${entry.bookNo} · ${entry.office}${entry.year ? ` · năm ${entry.year}` : ''}${entry.entryNo !== null ? ` · số ${entry.entryNo}` : ''}`,
    pivot: entry.year ?? new Date().getFullYear(),
    leaseUntil: entry.leaseUntil,
    items: entry.items.map((item) => ({
      itemId: item.itemId,
      field: item.field,
      label: FIELD_LABELS[item.field] ?? item.field,
      // Blind double keying: neither the machine's reading nor the other keying is sent.
      blind: item.blind,
      machine: item.blind ? '' : displayValue(item.field, item.value),
      // what OCR read, shown beside a value the machine put right (capitals, a surname's marks) so that the
      // verifier compares the reading, not only the correction, with the image; never sent to a blind keyer
      corrected: item.blind || !item.reasons.includes('corrected') ? null : (item.raw ?? ''),
      // a parent's birth year the book gave as an age (1956-1998 forms): the age it states, shown beside the year
      statedAge: !item.blind && entry.era && (PARENT_YEARS as readonly string[]).includes(item.field) && yearFromAge(entry.registerType as CorpusRegisterType, entry.era, item.field)
        ? statedAge(item.raw) : null,
      reasons: item.conflict ? [ROUTE_REASONS.rerun_conflict] : [...new Set(item.reasons.map((r) => REASON_SHOWN[r] ?? r))],
      hasBox: item.hasBox,
      suggestion: item.suggestion ? { value: displayValue(item.field, item.suggestion.value), sourceId: item.suggestion.sourceId } : null,
      // A re-run read something else than the verified value (`machine` then holds the verified value).
      conflict: item.conflict
        ? { reread: item.conflict.reread === null ? '' : displayValue(item.field, item.conflict.reread), verifiedBy: item.conflict.verifiedBy ?? '' }
        : null,
    })),
  };
}

/**
 * The verifier's screen: claim an entry's flagged fields, see each field's crop beside the machine's
 * value and why it was flagged, decide by keyboard. Every decision is checked, timed and audited.
 */
export function registerReviewRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db' | 'blobs'>): void {
  app.get('/review', { config: { access: 'review' } }, async (request, reply) => {
    const account = request.account!;
    // A supervisor or an admin opening the screen is looking, not yet keying: no entry is held from the verifiers
    // (held for LEASE_MINUTES) until they choose to start; a verifier's screen holds the next entry at once. One who
    // started and reloaded still holds their entry: the screen opens it again (claimNextEntry gives it back).
    const resuming = account.role !== 'verifier' && (await heldEntryOf(deps.db, account.name)) !== null;
    const looking = account.role !== 'verifier' && !resuming;
    const queued = looking ? (await reviewStats(deps.db, account)).queued : 0;
    return sendPage(request, reply, 'Kiểm tra', `<h1>Kiểm tra dữ liệu</h1>
<div id="review" class="review" data-state="${looking ? 'looking' : 'loading'}"${resuming ? ' data-resume="1"' : ''}>
  <section>
    <div class="crop" id="crop">${looking
      ? `<div class="looking"><p>Còn <b>${queued}</b> trường chờ kiểm tra. Bạn đang mở màn hình với vai trò ${ROLE_NAMES[account.role].toLowerCase()}: chưa giữ mục nào, người kiểm tra vẫn nhận được mọi mục.</p>
<p><button type="button" id="start-review">Bắt đầu kiểm tra</button> <span class="hint">Khi bắt đầu, mỗi mục bạn mở được giữ cho bạn ${LEASE_MINUTES} phút.</span></p></div>`
      : `<span class="hint">${resuming ? 'Đang mở lại mục bạn đang giữ…' : 'Đang tải…'}</span>`}</div>
    <p class="keys"><kbd>Enter</kbd> chấp nhận / lưu · gõ để thay giá trị · <kbd>Tab</kbd>/<kbd>Shift+Tab</kbd> chuyển trường ·
      ${keyHint('F2')} · ${keyHint('F3', 'hồ sơ điện tử hoặc lần đọc lại')} · ${keyHint('F4')} · ${keyHint('F6')} · <kbd>Esc</kbd> trả lại giá trị máy đọc ·
      ${keyHint('F7')} · ${keyHint('F8')} · ${keyHint('F9')} ·
      <kbd>Ctrl</kbd>+<kbd>Z</kbd> hoàn tác quyết định vừa rồi (trong ${UNDO_MINUTES} phút, khi chưa ai xử lý tiếp trường đó)</p>
    <p id="message" role="status"></p>
    <p id="undo-line"></p>
    <p class="stats" id="stats"></p>
  </section>
  <section>
    <h2 id="entry-title"></h2>
    <form id="fields" class="fields" autocomplete="off"></form>
  </section>
</div>`, { scripts: ['/assets/review.js'] });
  });

  app.get<{ Querystring: { field?: string; q?: string; year?: string } }>('/review/suggest', { config: { access: 'review' } }, async (request) => {
    const { field = '', q = '', year } = request.query;
    if (!/^[a-zA-Z]{1,40}$/.test(field) || q.length > 200) throw new HttpRefusal('bad_request');
    const y = Number(year);
    return { suggestions: await suggestValues(deps.db, field, q, Number.isInteger(y) && y > 1800 ? y : null, scopeOf(request.account!)) };
  });

  app.post('/review/next', { config: { access: 'review' } }, async (request) => {
    const account = request.account!;
    // a supervisor's screen reopening the entry they hold: if the lease lapsed meanwhile, nothing new is claimed
    // (they had not chosen to start again); the screen goes back to looking
    const resume = (request.body as { resume?: unknown } | null | undefined)?.resume === true;
    if (resume && (await heldEntryOf(deps.db, account.name)) === null) return { entry: null, lapsed: true, stats: await reviewStats(deps.db, account) };
    const entry = await claimNextEntry(deps.db, account);
    return { entry: entry ? forScreen(entry) : null, stats: await reviewStats(deps.db, account) };
  });

  app.post<{ Params: { id: string } }>('/review/items/:id', { config: { access: 'review' } }, async (request) => {
    const account = request.account!;
    const itemId = Number(request.params.id);
    const parsed = decisionSchema.safeParse(request.body);
    if (!Number.isSafeInteger(itemId) || !parsed.success) throw new HttpRefusal('bad_request');
    const { action, input, ms, confirmPlace } = parsed.data;
    const [item] = await deps.db.query<{ field: string; year: number | null; value: string | null; registerType: string }>(
      `select ri.field, e.year, f.value, e.register_type as "registerType" from review_item ri join entry e on e.id = ri.entry_id
         left join entry_field f on f.entry_id = ri.entry_id and f.field = ri.field
        where ri.id = $1 and ri.status = 'claimed' and ri.claimed_by = $2 and ri.claimed_until > now()`,
      [itemId, account.name],
    );
    // only an item this verifier holds is looked at: another office's items answer as any item not held
    if (!item) throw new HttpRefusal('lease_lost');
    if (action === 'blank') refuseBlank(item.registerType, item.field);
    const pivot = item.year ?? new Date().getFullYear();
    let value: string | null = null;
    let precision: string | null = null;
    // A place typed or accepted with a unit cut short (value-check.ts) is verified only when the verifier, warned,
    // says the book reads so (Enter again: confirmPlace).
    // the machine's reading accepted as it stands meets the same place rules as a value typed ("31/2/62" read into «Nơi sinh»)
    const notPlace = action === 'accept' && item.value && fieldKind(item.field) === 'place' ? placeRefusal(item.value) : null;
    if (notPlace) throw new HttpRefusal('bad_value', PLACE_REFUSALS[notPlace]);
    let cut = action === 'accept' ? cutShortOf(item.field, item.value) : null;
    if (action === 'correct') {
      const check = checkFieldValue(item.field, input, { pivot, confirmPlace });
      cut = check.cutShort;
      if (!check.ok && !cut) throw new HttpRefusal('bad_value', check.message ?? undefined);
      value = check.value;
      precision = check.precision;
    }
    if (cut && !confirmPlace) throw new HttpRefusal('place_cut_short', `${cutShortMessage(cut).slice(0, -1)}, hoặc nhấn Enter lần nữa nếu sổ ghi đúng như vậy.`);
    try {
      const result = await decideItem(deps.db, account, itemId, { action, value, precision, ms, pivot });
      if (cut) await recordAudit(deps.db, { actor: account.name, action: 'place_cut_short_confirmed', objectType: 'review_item', objectId: itemId, detail: { field: item.field, action } });
      return { ...result, stats: await reviewStats(deps.db, account) };
    } catch (error) {
      if (error instanceof LeaseLostError) throw new HttpRefusal('lease_lost');
      if (error instanceof NothingToAcceptError) throw new HttpRefusal('nothing_to_accept');
      throw error;
    }
  });

  // The verifier's own last decision on a field taken back (src/review/undo.ts): the entry comes back to the screen
  // with that field open again; the entry shown meanwhile goes back to the queue.
  app.post<{ Params: { id: string } }>('/review/items/:id/undo', { config: { access: 'review' } }, async (request) => {
    const account = request.account!;
    const itemId = Number(request.params.id);
    if (!Number.isSafeInteger(itemId)) throw new HttpRefusal('bad_request');
    const result = await undoFieldDecision(deps.db, account, itemId);
    if (!result.undone) throw new HttpRefusal(result.reason);
    const entry = await loadClaimedEntry(deps.db, result.entryId, account.name);
    return { entry: entry ? forScreen(entry) : null, itemId, stats: await reviewStats(deps.db, account) };
  });

  // view=field: the field's box on the cleaned page; view=entry: the whole entry; view=original: the scan as delivered.
  app.get<{ Params: { id: string }; Querystring: { view?: string } }>('/review/items/:id/image', { config: { access: 'review' } }, async (request, reply) => {
    const account = request.account!;
    const itemId = Number(request.params.id);
    const view = request.query.view ?? 'field';
    if (!Number.isSafeInteger(itemId) || !['field', 'entry', 'original'].includes(view)) throw new HttpRefusal('bad_request');
    const place = await fieldImageOf(deps.db, itemId, account.name);
    if (!place) throw new HttpRefusal('lease_lost');
    if (view === 'original') {
      const scan = await originalViewOf(deps, place.pageId);
      if (!scan) throw new HttpRefusal('not_found');
      await recordAudit(deps.db, { actor: account.name, action: 'view_entry_image', objectType: 'review_item', objectId: itemId, detail: { view } });
      return reply.type('image/jpeg').send(scan);
    }
    const sha = place.cleanSha256 ?? place.originalSha256;
    if (!sha) throw new HttpRefusal('not_found');
    const box = view === 'field' ? place.box : (place.entryBox ?? place.box);
    const out = await pageCrop(deps.blobs, sha, box, view === 'field' ? CROP_MARGIN : CROP_MARGIN * 2);
    if (view === 'entry') await recordAudit(deps.db, { actor: account.name, action: 'view_entry_image', objectType: 'review_item', objectId: itemId, detail: { view } });
    return reply.type('image/png').send(out);
  });
}
