import type { FastifyInstance } from 'fastify';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { recordAudit } from '../db/audit.ts';
import type { Sql } from '../db/sql.ts';
import { coversOffice } from '../http/guard.ts';
import { HttpRefusal } from '../http/refusals.ts';
import type { BlobStore } from '../store/blobs.ts';
import { exportBook } from './book.ts';

/**
 * `GET /books/<id>/export.zip`: the archive export of a book (what `civreg export` writes) for signed-in
 * staff of the book's office. Built in a temporary folder, streamed, then deleted; every download is audited.
 */
export function registerExportRoute(app: FastifyInstance, deps: { db: Sql; blobs: BlobStore }): void {
  app.get<{ Params: { id: string } }>('/books/:id/export.zip', { config: { access: 'books' } }, async (request, reply) => {
    const id = Number(request.params.id);
    const [book] = Number.isSafeInteger(id) && id > 0 ? await deps.db.query<{ officeId: number }>('select office_id as "officeId" from book where id = $1', [id]) : [];
    if (!book) throw new HttpRefusal('not_found');
    if (!coversOffice(request.account!, book.officeId)) throw new HttpRefusal('forbidden_office');
    const dir = await mkdtemp(join(tmpdir(), 'civreg-export-'));
    try {
      const result = await exportBook(deps, id, dir);
      await recordAudit(deps.db, { actor: request.account!.name, action: 'export_book', objectType: 'book', objectId: id, detail: { entries: result.entries, skipped: result.skipped } });
      const stream = createReadStream(result.path);
      stream.once('close', () => void rm(dir, { recursive: true, force: true }));
      return reply.type('application/zip').header('content-disposition', `attachment; filename="${basename(result.path)}"`).header('cache-control', 'no-store').send(stream);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  });
}

