import sharp from 'sharp';
import { ensureBook } from '../../src/db/books.ts';
import type { Sql } from '../../src/db/sql.ts';
import type { BlobStore } from '../../src/store/blobs.ts';

export interface SeedField {
  field: string;
  value: string | null;
  /** Sent to review with these reasons; omit for an auto-accepted field. */
  reasons?: string[];
  confidence?: number;
  priority?: number;
}

export interface SeededEntry {
  bookId: number;
  pageId: number;
  entryId: number;
  items: Record<string, number>;
}

/**
 * A cleaned page with one entry and its fields, as the extraction and route stages would leave them
 * (migrations/002): written directly, since those stages are built elsewhere. The page image has each
 * field's value drawn at its box, so crops can be looked at.
 */
export async function seedEntry(
  sql: Sql,
  blobs: BlobStore,
  options: { officeCode?: string; bookNo?: string; year?: number; entryNo?: number; registerType?: 'birth' | 'death' | 'marriage'; fields: SeedField[] },
): Promise<SeededEntry> {
  const year = options.year ?? 1962;
  const bookId = await ensureBook(sql, { officeCode: options.officeCode ?? 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: options.registerType ?? 'birth', bookNo: options.bookNo ?? '01', yearFrom: year });
  const width = 1200;
  const rowHeight = 60;
  const height = 80 + rowHeight * options.fields.length;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>
${options.fields.map((f, i) => `<text x="420" y="${90 + i * rowHeight}" font-size="34" font-family="DejaVu Sans">${(f.value ?? '…').replace(/[<&]/g, '')}</text>`).join('')}</svg>`;
  const png = await sharp(Buffer.from(svg)).greyscale().png().toBuffer();
  const { sha256, bytes } = await blobs.put(png);
  await sql.query(`insert into blob (sha256, bytes, media_type) values ($1, $2, 'image/png') on conflict do nothing`, [sha256, bytes]);
  const [upload] = await sql.query<{ id: number }>(
    `insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by, status, page_count)
     values ($1, (select coalesce(max(seq), 0) + 1 from upload where book_id = $1), 'trang.png', $2, $3, 'seed', 'ingested', 1) returning id`,
    [bookId, sha256, bytes],
  );
  const [page] = await sql.query<{ id: number }>(
    `insert into page (book_id, upload_id, file_index, label, status, original_sha256, format, width, height, clean_sha256, clean_width, clean_height)
     values ($1, $2, 0, '1', 'routed', $3, 'png', $4, $5, $3, $4, $5) returning id`,
    [bookId, upload!.id, sha256, width, height],
  );
  const [entry] = await sql.query<{ id: number }>(
    `insert into entry (book_id, page_id, year, entry_no, register_type, status, seq, page_ids, region)
     values ($1, $2, $3, $4, $5, 'needs_review', 0, array[$2::bigint], $6) returning id`,
    [bookId, page!.id, year, options.entryNo ?? 12, options.registerType ?? 'birth', JSON.stringify([{ pageId: page!.id, box: [20, 20, width - 40, height - 40] }])],
  );
  const items: Record<string, number> = {};
  for (const [i, f] of options.fields.entries()) {
    const review = f.reasons !== undefined;
    await sql.query(
      `insert into entry_field (entry_id, field, raw, value, page_id, box, confidence, status, reasons)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [entry!.id, f.field, f.value ?? '', f.value, page!.id, JSON.stringify([400, 52 + i * rowHeight, 700, 50]), f.confidence ?? (review ? 0.4 : 0.98), review ? 'review' : 'auto_accepted', f.reasons ?? []],
    );
    if (review) {
      const [item] = await sql.query<{ id: number }>(`insert into review_item (kind, entry_id, field, priority) values ('field', $1, $2, $3) returning id`, [entry!.id, f.field, f.priority ?? 0]);
      items[f.field] = item!.id;
    }
  }
  return { bookId, pageId: page!.id, entryId: entry!.id, items };
}

/** A candidate pair as the match stage leaves it (migration 004), with its review item. */
export async function seedPair(db: Sql, entryId: number, sourceId: string, fields: Record<string, string>) {
  const [record] = await db.query<{ id: number }>(
    `insert into existing_record (source_id, register_type, fields, registered_at, source_file, source_row, content_hash, block_keys)
     values ($1, 'birth', $2, 'Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội', 'existing.jsonl', 1, 'h', '{}') returning id`,
    [sourceId, JSON.stringify(fields)],
  );
  const explanation = [
    { comparison: 'fullName', kind: 'name', level: 'variant', weight: 4.2 },
    { comparison: 'birthDate', kind: 'date', level: 'swapped', weight: -1.5 },
  ];
  const [candidate] = await db.query<{ id: number }>(
    `insert into match_candidate (entry_id, existing_record_id, score, probability, explanation, decision, model) values ($1, $2, 6.1, 0.82, $3, 'review', 'test') returning id`,
    [entryId, record!.id, JSON.stringify(explanation)],
  );
  const [item] = await db.query<{ id: number }>(`insert into review_item (kind, entry_id, match_candidate_id, priority) values ('match', $1, $2, 5) returning id`, [entryId, candidate!.id]);
  return { candidateId: candidate!.id, itemId: item!.id };
}

/**
 * A 2012 birth book (office HBT unless given) of two routed pages as extraction leaves them: the first holds
 * entries 1 and 2 while its printed labels show three (`entries_expected`), the second entries 4 and 5.
 * Entry 3 was not read: the book checks raise `entry_not_read` on the first page and claim no gap for 3.
 */
export async function seedUnreadPage(sql: Sql, blobs: BlobStore, options: { officeCode?: string; bookNo?: string } = {}): Promise<{ bookId: number; pageIds: [number, number] }> {
  const bookId = await ensureBook(sql, { officeCode: options.officeCode ?? 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: options.bookNo ?? '12', yearFrom: 2012, yearTo: 2012, era: '2006-2015' });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="1200"><rect width="100%" height="100%" fill="white"/><text x="60" y="120" font-size="40" font-family="DejaVu Sans">Số: 3 Họ và tên: Lê Văn Cường</text></svg>`;
  const png = await sharp(Buffer.from(svg)).greyscale().png().toBuffer();
  const { sha256, bytes } = await blobs.put(png);
  await sql.query(`insert into blob (sha256, bytes, media_type) values ($1, $2, 'image/png') on conflict do nothing`, [sha256, bytes]);
  const [upload] = await sql.query<{ id: number }>(
    `insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by, status, page_count)
     values ($1, (select coalesce(max(seq), 0) + 1 from upload where book_id = $1), 'so12.pdf', $2, $3, 'seed', 'ingested', 2) returning id`,
    [bookId, sha256, bytes],
  );
  const pageIds: number[] = [];
  for (const [index, [expected, numbers]] of ([[3, [1, 2]], [2, [4, 5]]] as const).entries()) {
    const [page] = await sql.query<{ id: number }>(
      `insert into page (book_id, upload_id, file_index, label, status, original_sha256, format, width, height, clean_sha256, clean_width, clean_height, printed_page_no, entries_expected)
       values ($1, $2, $3, $4, 'routed', $5, 'png', 900, 1200, $5, 900, 1200, $6, $7) returning id`,
      [bookId, upload!.id, index, String(index + 1), sha256, index + 1, expected],
    );
    pageIds.push(page!.id);
    for (const [seq, entryNo] of numbers.entries()) {
      const [entry] = await sql.query<{ id: number }>(
        `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type, era, template, status, entry_no_confidence)
         values ($1, $2, $3, array[$2::bigint], 2012, $4, 'birth', '2006-2015', 'birth/2006-2015', 'verified', 1) returning id`,
        [bookId, page!.id, seq, entryNo],
      );
      await sql.query(
        `insert into entry_field (entry_id, field, raw, value, page_id, confidence, status) values
           ($1, 'entryNo', $2, $2, $3, 0.99, 'auto_accepted'), ($1, 'registrationDate', '10/05/2012', '2012-05-10', $3, 0.99, 'auto_accepted')`,
        [entry!.id, String(entryNo), page!.id],
      );
    }
  }
  return { bookId, pageIds: pageIds as [number, number] };
}

/** Gives a page a viewing copy of its delivered scan, as ingest makes one (src/imaging/view.ts); returns its bytes. */
export async function storeViewCopy(sql: Sql, blobs: BlobStore, pageId: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#f4ecd8' } }).jpeg().toBuffer();
  const { sha256, bytes } = await blobs.put(jpeg);
  await sql.query(`insert into blob (sha256, bytes, media_type) values ($1, $2, 'image/jpeg') on conflict do nothing`, [sha256, bytes]);
  await sql.query('update page set view_sha256 = $2, view_width = 300, view_height = 200 where id = $1', [pageId, sha256]);
  return jpeg;
}
