import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { z } from 'zod';
import { recordAudit } from '../db/audit.ts';
import { displayValue, FIELD_LABELS } from '../review/field-rules.js';
import { claimMatch, countWaitingForOthers, decideMatch, undoMatch, UNDO_MINUTES, UNDONE_HOLD_HOURS, type MatchReview } from '../review/matches.ts';
import { LeaseLostError } from '../review/queue.ts';
import { fieldKind } from '../extract/values.ts';
import { placeWording } from '../places/gazetteer.ts';
import { comparable } from '../text/normalise.ts';
import { REGISTER_NAMES } from './books-page.ts';
import { keyHint } from './keys.ts';
import { HttpRefusal } from './refusals.ts';
import { sendPage, type HttpDeps } from './server.ts';

const LEVEL_NAMES: Record<string, string> = {
  exact: 'trùng khớp', variant: 'biến thể (không dấu / họ vùng miền)', typo_elsewhere: 'lệch một lỗi gõ (họ, tên đệm)', typo_given: 'lệch một lỗi gõ ở tên',
  different: 'khác nhau', near: 'gần nhau', compatible: 'tương thích (một bên kém chi tiết)', swapped: 'đảo ngày và tháng', missing: 'thiếu ở một bên',
  same_unit: 'cùng đơn vị hành chính', same_province: 'cùng tỉnh',
};

const decisionSchema = z.object({ decision: z.enum(['same', 'different', 'unsure', 'skip']), ms: z.number().min(0).max(86_400_000) });

function forScreen(m: MatchReview) {
  const keys = [...new Set([...Object.keys(m.entryFields), ...Object.keys(m.other.fields)])];
  return {
    itemId: m.itemId,
    title: `${REGISTER_NAMES[m.registerType] ?? m.registerType} · quyển ${m.bookNo} · ${m.office}${m.year ? ` · năm ${m.year}` : ''}${m.entryNo !== null ? ` · số ${m.entryNo}` : ''}`,
    otherTitle: m.other.kind === 'existing' ? `Hồ sơ điện tử ${m.other.sourceId}${m.other.registeredAt ? ` · ${m.other.registeredAt}` : ''}` : `Mục quét khác (#${m.other.entryId})`,
    // the machine's probability is shown once the person has decided (the decision's answer), not before: a number
    // on screen anchors the judgement it is meant to check
    guard: m.guard,
    hasRegion: m.hasRegion,
    seenBefore: m.seenBefore,
    rows: keys.map((key) => {
      const a = m.entryFields[key] ?? null;
      const b = m.other.fields[key] ?? null;
      // Differences are judged as matching compares text: NFC, spacing, case and tone placement set aside; of places,
      // units' kinds and abbreviations too ("Hà Nội" and "Thành phố Hà Nội" are written alike)
      const differs = a !== null && b !== null && comparable(a) !== comparable(b) && !(fieldKind(key) === 'place' && placeWording(a) === placeWording(b));
      return { field: key, label: FIELD_LABELS[key] ?? key, scanned: displayValue(key, a), other: displayValue(key, b), differs, missing: (a === null) !== (b === null) };
    }),
    explanation: m.explanation.map((c) => ({ label: FIELD_LABELS[c.comparison] ?? c.comparison, level: LEVEL_NAMES[c.level] ?? c.level, weight: c.weight })),
  };
}

/**
 * Match review: the scanned entry and the candidate (existing record or another scanned entry) side by side,
 * differing fields marked, the score's explanation; link / not the same / unsure by one key.
 */
export function registerMatchRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db' | 'blobs'>): void {
  app.get('/matches', { config: { access: 'review' } }, async (request, reply) => {
    return sendPage(request, reply, 'Đối chiếu', `<h1>Đối chiếu với hồ sơ đã có</h1>
<div id="matches" class="review" data-state="loading">
  <section>
    <div class="crop" id="crop"><span class="hint">Đang tải…</span></div>
    <p class="keys"><kbd>L</kbd> cùng một sự kiện (liên kết) · <kbd>K</kbd> không phải · <kbd>U</kbd> chưa chắc (chuyển giám sát viên) · ${keyHint('F4')} · <kbd>Ctrl</kbd>+<kbd>Z</kbd> hoàn tác quyết định vừa rồi (trong ${UNDO_MINUTES} phút; nếu bạn đã thấy đánh giá của máy, cặp được chuyển cho người khác quyết định, và trở lại với bạn khi đơn vị không còn ai khác quyết định được hoặc sau ${UNDONE_HOLD_HOURS} giờ chưa ai quyết định)</p>
    <p id="message" role="status"></p>
    <p id="waiting"></p>
  </section>
  <section>
    <h2 id="entry-title"></h2>
    <table class="grid compare" id="compare"></table>
    <h3>Máy so từng trường</h3>
    <ul id="explanation"></ul>
  </section>
</div>`, { scripts: ['/assets/matches.js'] });
  });

  app.post('/matches/next', { config: { access: 'review' } }, async (request) => {
    const match = await claimMatch(deps.db, request.account!);
    return { match: match ? forScreen(match) : null, waitingForOthers: await countWaitingForOthers(deps.db, request.account!) };
  });

  app.post<{ Params: { id: string } }>('/matches/items/:id', { config: { access: 'review' } }, async (request) => {
    const itemId = Number(request.params.id);
    const parsed = decisionSchema.safeParse(request.body);
    if (!Number.isSafeInteger(itemId) || !parsed.success) throw new HttpRefusal('bad_request');
    try {
      const { decision } = parsed.data;
      const { probability } = await decideMatch(deps.db, request.account!, itemId, decision, parsed.data.ms);
      // not for a skip: the pair comes back, to this person too (after an undo at once), and must not come back judged
      return decision === 'skip' ? { ok: true } : { ok: true, probability };
    } catch (error) {
      if (error instanceof LeaseLostError) throw new HttpRefusal('lease_lost');
      throw error;
    }
  });

  // Takes back the person's own last decision on the pair: a skip's pair is held by them again (/matches/next shows it);
  // a pair whose probability they saw goes to someone else (`handedOn`) unless nobody else can take it (`seen`, not
  // handed on; src/review/matches.ts undoMatch).
  app.post<{ Params: { id: string } }>('/matches/items/:id/undo', { config: { access: 'review' } }, async (request) => {
    const itemId = Number(request.params.id);
    if (!Number.isSafeInteger(itemId)) throw new HttpRefusal('bad_request');
    const undone = await undoMatch(deps.db, request.account!, itemId);
    if (!undone) throw new HttpRefusal('undo_too_late');
    return { ok: true, handedOn: undone.handedOn, seen: undone.seen };
  });

  // The scanned entry's image, for the verifier holding the pair.
  app.get<{ Params: { id: string } }>('/matches/items/:id/image', { config: { access: 'review' } }, async (request, reply) => {
    const itemId = Number(request.params.id);
    if (!Number.isSafeInteger(itemId)) throw new HttpRefusal('bad_request');
    const [row] = await deps.db.query<{ sha: string | null; region: { pageId: number; box: number[] }[] | null; pageId: number }>(
      `select coalesce(p.clean_sha256, p.original_sha256) as sha, e.region, p.id as "pageId"
         from review_item ri join entry e on e.id = ri.entry_id join page p on p.id = e.page_id
        where ri.id = $1 and ri.kind = 'match' and ri.status = 'claimed' and ri.claimed_by = $2 and ri.claimed_until > now()`,
      [itemId, request.account!.name],
    );
    if (!row) throw new HttpRefusal('lease_lost');
    if (!row.sha) throw new HttpRefusal('not_found');
    let image = sharp(await deps.blobs.get(row.sha));
    const box = Array.isArray(row.region) ? row.region.find((r) => r.pageId === row.pageId)?.box : undefined;
    if (box) {
      const meta = await image.metadata();
      const [x = 0, y = 0, w = 0, h = 0] = box;
      const left = Math.max(0, Math.floor(x)), top = Math.max(0, Math.floor(y));
      const width = Math.min((meta.width ?? 0) - left, Math.ceil(w)), height = Math.min((meta.height ?? 0) - top, Math.ceil(h));
      if (width > 0 && height > 0) image = sharp(await image.extract({ left, top, width, height }).toBuffer());
    }
    await recordAudit(deps.db, { actor: request.account!.name, action: 'view_entry_image', objectType: 'review_item', objectId: itemId, detail: { view: 'match' } });
    return reply.type('image/png').send(await image.resize({ width: 1400, withoutEnlargement: true }).png().toBuffer());
  });
}
