import type { ServerResponse } from 'node:http';
import type { Sql } from '../db/sql.ts';

/** How often the feed looks at the database while anyone watches; a comment line keeps proxies from timing out. */
export const FEED_INTERVAL_MS = 1000;
const KEEPALIVE_MS = 25_000;
/**
 * A stream is ended after this long and the browser reconnects by itself: the reconnection passes the
 * sign-in check again, so a disabled account or an expired session stops receiving within this time.
 */
export const STREAM_MAX_MS = 10 * 60_000;

/**
 * A cheap fingerprint of everything a book's dashboard shows: its pages' and entries' last change and
 * counts (a person's decision or correction touches its entry: src/review/settle.ts touchEntry), its open
 * problems, and the newest book (a list shows it). Index lookups per watched book, not per open tab: a
 * decision on one book renders that book's dashboards, not every watched one.
 */
async function bookStamps(sql: Sql, bookIds: number[]): Promise<Map<number, string>> {
  const rows = await sql.query<{ id: number; stamp: string }>(
    `select b.id, concat_ws('|',
              (select count(*) || ':' || coalesce(max(updated_at)::text, '') from page where book_id = b.id),
              (select count(*) || ':' || coalesce(max(updated_at)::text, '') from entry where book_id = b.id),
              (select count(*) || ':' || coalesce(max(updated_at)::text, '') from upload where book_id = b.id),
              (select count(*) || ':' || coalesce(max(id), 0) from book_issue where book_id = b.id and status = 'open'),
              (select coalesce(max(id), 0) from book)) as stamp
       from book b where b.id = any($1)`,
    [bookIds],
  );
  return new Map(rows.map((r) => [r.id, r.stamp]));
}

/** What tabs watch: one book's dashboard, or a list of books (its ids as known when the tab opened). */
export interface FeedChannel {
  /** Tabs with the same key see the same HTML (e.g. `book:12`, or a list per office scope). */
  key: string;
  bookIds: number[];
  render: () => Promise<string | null>;
}

/**
 * Live book dashboards over Server-Sent Events. Every open tab subscribes to a channel; one timer per
 * process compares the watched books' stamps with the database and, when a channel's books changed,
 * renders it once and sends the same HTML to every tab on it. So a hundred tabs cost what one does.
 *
 * @example
 * const feed = createBookFeed(db);
 * feed.subscribe({ key: `book:${id}`, bookIds: [id], render: () => renderDashboard(id) }, reply.raw);
 */
export function createBookFeed(sql: Sql, intervalMs = FEED_INTERVAL_MS) {
  const channels = new Map<string, { channel: FeedChannel; outs: Set<ServerResponse>; stamp: string; html: string | null }>();
  let timer: NodeJS.Timeout | null = null;
  let busy = false;
  let lastKeepalive = Date.now();

  const send = (out: ServerResponse, event: string, data: string) => {
    // One `data:` line per line of the payload (the event-stream format ends an event at an empty line).
    out.write(`event: ${event}\n${data.replace(/\r/g, '').split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`);
  };

  async function tick() {
    if (busy || channels.size === 0) return;
    busy = true;
    try {
      const watched = new Set([...channels.values()].flatMap((c) => c.channel.bookIds));
      const stamps = await bookStamps(sql, [...watched]);
      for (const entry of channels.values()) {
        const stamp = entry.channel.bookIds.map((id) => stamps.get(id) ?? '-').join(';');
        if (stamp === entry.stamp) continue;
        entry.stamp = stamp;
        const html = await entry.channel.render();
        if (html === null) continue;
        entry.html = html;
        for (const out of entry.outs) send(out, 'book', html);
      }
      if (Date.now() - lastKeepalive > KEEPALIVE_MS) {
        lastKeepalive = Date.now();
        for (const entry of channels.values()) for (const out of entry.outs) out.write(': keepalive\n\n');
      }
    } catch {
      // The database is briefly unreachable: the next tick tries again; tabs keep what they show.
    } finally {
      busy = false;
    }
  }

  return {
    /** Adds a tab; its stream is dropped when the browser goes away, and ended after STREAM_MAX_MS. */
    subscribe(channel: FeedChannel, out: ServerResponse, maxMs = STREAM_MAX_MS): void {
      let entry = channels.get(channel.key);
      if (!entry) {
        // Unknown state: the first look renders it once, covering changes since the tab's page was made.
        entry = { channel, outs: new Set(), stamp: '', html: null };
        channels.set(channel.key, entry);
      } else if (entry.html !== null) {
        // A tab coming back (shown again, or its stream renewed) gets the last render at once: no query.
        send(out, 'book', entry.html);
      }
      const joined = entry;
      joined.outs.add(out);
      const expiry = setTimeout(() => out.end(), maxMs);
      expiry.unref();
      out.on('close', () => {
        clearTimeout(expiry);
        joined.outs.delete(out);
        if (joined.outs.size === 0 && channels.get(channel.key) === joined) channels.delete(channel.key);
      });
      timer ??= setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    /** Open streams, for tests and health. */
    watching: () => [...channels.values()].reduce((n, c) => n + c.outs.size, 0),
    /** Ends every stream (server shutdown: a hanging stream would keep the server from closing). */
    close(): void {
      if (timer) clearInterval(timer);
      timer = null;
      for (const entry of channels.values()) for (const out of entry.outs) out.end();
      channels.clear();
    },
  };
}

export type BookFeed = ReturnType<typeof createBookFeed>;
