import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { recordAudit } from '../db/audit.ts';
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
    ? await deps.db.query<{ officeId: number; clean: string | null; original: string | null; view: string | null }>(
        `select b.office_id as "officeId", p.clean_sha256 as clean, p.original_sha256 as original, p.view_sha256 as view
           from page p join book b on b.id = p.book_id where p.id = $1`,
        [id],
      )
    : [];
  if (!page) throw new HttpRefusal('not_found');
  if (!coversOffice(request.account!, page.officeId)) throw new HttpRefusal('forbidden_office');
  const original = request.query.original === '1';
  const sha = original ? page.original : (page.clean ?? page.original);
  if (!sha) throw new HttpRefusal('not_found');
  // the scan as delivered comes from its stored viewing copy (src/imaging/view.ts), not decoded again on every look
  const image = original && page.view
    ? await deps.blobs.get(page.view)
    : await sharp(await deps.blobs.get(sha)).resize(VIEW_MAX_SIDE, VIEW_MAX_SIDE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
  await recordAudit(deps.db, { actor: request.account!.name, action: 'view_page', objectType: 'page', objectId: id, detail: { original } });
  return reply.type('image/jpeg').send(image);
}
