import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { recordAudit } from '../db/audit.ts';
import { scanGeometrySql } from '../db/pages.ts';
import { ownRegionOfScan, type Box, type ScanGeometry, type Size } from '../imaging/transform.ts';
import { coversOffice } from './guard.ts';
import { HttpRefusal } from './refusals.ts';
import type { HttpDeps } from './server.ts';

/** Longest side of a page image sent to a browser: enough to read hand-writing, far less than a 400-dpi scan. */
const VIEW_MAX_SIDE = 2400;

/**
 * A page image for staff (the cleaned image, `?original=1` for the scan as delivered), scaled for the
 * screen. Viewing a page is access to personal data, so it is audited.
 */
export function registerPageImageRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db' | 'blobs'>): void {
  app.get<{ Params: { id: string }; Querystring: { original?: string } }>('/pages/:id/image', { config: { access: 'books' } }, (request, reply) => sendPageImage(deps, request, reply));
}

/**
 * Sends page `:id`'s image to a person of its office, audited (`view_page`). Shared by the book dashboard's
 * route and the keying screen's (src/http/keying-routes.ts), which verifiers open without the dashboard.
 */
export async function sendPageImage(deps: Pick<HttpDeps, 'db' | 'blobs'>, request: FastifyRequest<{ Params: { id: string }; Querystring: { original?: string } }>, reply: FastifyReply) {
  const id = Number(request.params.id);
  const [page] = Number.isSafeInteger(id)
    ? await deps.db.query<{ officeId: number; clean: string | null }>(
        `select b.office_id as "officeId", p.clean_sha256 as clean from page p join book b on b.id = p.book_id where p.id = $1`,
        [id],
      )
    : [];
  if (!page) throw new HttpRefusal('not_found');
  if (!coversOffice(request.account!, page.officeId)) throw new HttpRefusal('forbidden_office');
  const original = request.query.original === '1' || !page.clean;
  const image = original ? await originalViewOf(deps, id) : await sharp(await deps.blobs.get(page.clean!)).resize(VIEW_MAX_SIDE, VIEW_MAX_SIDE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
  if (!image) throw new HttpRefusal('not_found');
  await recordAudit(deps.db, { actor: request.account!.name, action: 'view_page', objectType: 'page', objectId: id, detail: { original } });
  return reply.type('image/jpeg').send(image);
}

/**
 * Page `pageId`'s scan as delivered, as JPEG for a screen: its stored viewing copy (src/imaging/view.ts), not the
 * scan decoded again on every look; only the page's own half when the scan holds a spread of two pages, so a
 * verifier checking an entry is not shown the facing page's entries. Null when the page has no scan stored.
 */
export async function originalViewOf(deps: Pick<HttpDeps, 'db' | 'blobs'>, pageId: number): Promise<Buffer | null> {
  const [page] = await deps.db.query<ScanGeometry & { original: string | null; view: string | null; viewWidth: number | null; viewHeight: number | null }>(
    `select p.original_sha256 as original, p.view_sha256 as view, p.view_width as "viewWidth", p.view_height as "viewHeight", ${scanGeometrySql('p')} from page p where p.id = $1`,
    [pageId],
  );
  if (!page?.original) return null;
  const own = ownRegionOfScan(page);
  if (page.view && !own) return deps.blobs.get(page.view);
  if (page.view && own && page.viewWidth && page.viewHeight && page.width) {
    const region = scaledBox(own, page.viewWidth / page.width, { width: page.viewWidth, height: page.viewHeight });
    return sharp(await deps.blobs.get(page.view)).extract(region).jpeg({ quality: 85 }).toBuffer();
  }
  const upright = sharp(await deps.blobs.get(page.original)).rotate();
  if (own) upright.extract({ left: own[0], top: own[1], width: own[2], height: own[3] });
  return upright.resize(VIEW_MAX_SIDE, VIEW_MAX_SIDE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
}

/** White margin kept around a field's box, so strokes touching the box stay visible (twice that around an entry). */
export const CROP_MARGIN = 24;
/** Widest crop sent: a field or an entry at a readable size, never the page's full resolution. */
const CROP_MAX_WIDTH = 1400;

/** `box` with `margin` pixels around it, within an image of `width` × `height`; null when nothing of it is inside. */
function clampBox(box: readonly number[], width: number, height: number, margin: number) {
  const [x = 0, y = 0, w = 0, h = 0] = box;
  const left = Math.max(0, Math.floor(x - margin));
  const top = Math.max(0, Math.floor(y - margin));
  const right = Math.min(width, Math.ceil(x + w + margin));
  const bottom = Math.min(height, Math.ceil(y + h + margin));
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : null;
}

/**
 * The part of a page image (blob `sha256`, in the coordinates its boxes are in) within `box` and `margin`, as PNG at
 * most CROP_MAX_WIDTH wide; the whole page without a box. What the review screen shows of a field or an entry, and
 * the entry page of an entry.
 */
export async function pageCrop(blobs: HttpDeps['blobs'], sha256: string, box: readonly number[] | null, margin: number): Promise<Buffer> {
  let image = sharp(await blobs.get(sha256));
  if (box) {
    const meta = await image.metadata();
    const region = clampBox(box, meta.width ?? 0, meta.height ?? 0, margin);
    if (region) image = sharp(await image.extract(region).toBuffer());
  }
  return image.resize({ width: CROP_MAX_WIDTH, withoutEnlargement: true }).png().toBuffer();
}

/** A box on the delivered scan in whole pixels of a copy `scale` times its size (`copy`), within the copy. */
function scaledBox([x, y, w, h]: Box, scale: number, copy: Size): { left: number; top: number; width: number; height: number } {
  const left = Math.min(copy.width - 1, Math.floor(x * scale));
  const top = Math.min(copy.height - 1, Math.floor(y * scale));
  const right = Math.min(copy.width, Math.max(left + 1, Math.ceil((x + w) * scale)));
  const bottom = Math.min(copy.height, Math.max(top + 1, Math.ceil((y + h) * scale)));
  return { left, top, width: right - left, height: bottom - top };
}
