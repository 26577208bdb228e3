import type { ServerResponse } from 'node:http';
import type { Sql } from '../db/sql.ts';

/** How often the feed looks at the database while anyone watches; a comment line keeps proxies from timing out. */
export const FEED_INTERVAL_MS = 1000;
const KEEPALIVE_MS = 25_000;

/**
 * A cheap fingerprint of everything a book's dashboard shows: its pages' and entries' last change and
 * counts, its open problems, and the last review decision or correction anywhere (verified shares). Index
 * lookups per watched book, not per open tab.
 */
async function bookStamps(sql: Sql, bookIds: number[]): Promise<Map<number, string>> {
  const rows = await sql.query<{ id: number; stamp: string }>(
    `select b.id, concat_ws('|',
              (select count(*) || ':' || coalesce(max(updated_at)::text, '') from page where book_id = b.id),
              (select count(*) || ':' || coalesce(max(updated_at)::text, '') from entry where book_id = b.id),
              (select count(*) || ':' || coalesce(max(id), 0) from book_issue where book_id = b.id and status = 'open'),
              (select coalesce(max(id), 0) from review_decision),
              (select coalesce(max(id), 0) from field_correction)) as stamp
       from book b where b.id = any($1)`,
    [bookIds],
  );
  return new Map(rows.map((r) => [r.id, r.stamp]));
}

/**
 * Live book dashboards over Server-Sent Events. Every open tab of a book is a subscriber; one timer per
 * process compares the watched books' stamps with the database and, when a book changed, renders its
 * dashboard once and sends the same HTML to every tab watching it. So a hundred tabs cost what one does.
 *
 * @example
 * const feed = createBookFeed(db, (bookId) => renderDashboard(bookId));
 * feed.subscribe(bookId, reply.raw); // after writing the event-stream headers
 */
export function createBookFeed(sql: Sql, render: (bookId: number) => Promise<string | null>, intervalMs = FEED_INTERVAL_MS) {
  const watchers = new Map<number, Set<ServerResponse>>();
  const stamps = new Map<number, string>();
  let timer: NodeJS.Timeout | null = null;
  let busy = false;
  let lastKeepalive = Date.now();

  const send = (out: ServerResponse, event: string, data: string) => {
    // One `data:` line per line of the payload (the event-stream format ends an event at an empty line).
    out.write(`event: ${event}\n${data.replace(/\r/g, '').split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`);
  };

  async function tick() {
    if (busy || watchers.size === 0) return;
    busy = true;
    try {
      const current = await bookStamps(sql, [...watchers.keys()]);
      for (const [bookId, stamp] of current) {
        if (stamps.get(bookId) === stamp) continue;
        stamps.set(bookId, stamp);
        const html = await render(bookId);
        if (html === null) continue;
        for (const out of watchers.get(bookId) ?? []) send(out, 'book', html);
      }
      if (Date.now() - lastKeepalive > KEEPALIVE_MS) {
        lastKeepalive = Date.now();
        for (const set of watchers.values()) for (const out of set) out.write(': keepalive\n\n');
      }
    } catch {
      // The database is briefly unreachable: the next tick tries again; tabs keep what they show.
    } finally {
      busy = false;
    }
  }

  return {
    /** Adds a tab; its stream is dropped when the browser goes away. */
    subscribe(bookId: number, out: ServerResponse): void {
      let set = watchers.get(bookId);
      if (!set) {
        set = new Set();
        watchers.set(bookId, set);
        // Unknown state: the first look renders it once, covering changes since the tab's page was made.
        stamps.set(bookId, '');
      }
      set.add(out);
      out.on('close', () => {
        set.delete(out);
        if (set.size === 0 && watchers.get(bookId) === set) {
          watchers.delete(bookId);
          stamps.delete(bookId);
        }
      });
      timer ??= setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    /** Open streams, for tests and health. */
    watching: () => [...watchers.values()].reduce((n, s) => n + s.size, 0),
    /** Ends every stream (server shutdown: a hanging stream would keep the server from closing). */
    close(): void {
      if (timer) clearInterval(timer);
      timer = null;
      for (const set of watchers.values()) for (const out of set) out.end();
      watchers.clear();
      stamps.clear();
    },
  };
}

export type BookFeed = ReturnType<typeof createBookFeed>;
