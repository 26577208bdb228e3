import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookFeed } from '../../src/http/book-feed.ts';
import { startTestPipeline, waitFor, type TestPipeline } from '../helpers/services.ts';
import { seedEntry } from './review-seed.ts';

/** An open event stream as the feed sees it: what was written to it. */
class Tab extends EventEmitter {
  written: string[] = [];
  write(text: string) {
    this.written.push(text);
    return true;
  }
  end() {
    this.emit('close');
  }
  get books() {
    return this.written.filter((w) => w.startsWith('event: book\n'));
  }
}

describe('live book dashboards', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
  });
  afterAll(async () => {
    await p.close();
  });

  it('renders a changed book once for all its tabs, and nothing while it does not change', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { fields: [{ field: 'fullName', value: 'Ngô Văn Sơn' }] });
    const other = await seedEntry(p.services.db, p.services.blobs, { bookNo: '09', fields: [{ field: 'fullName', value: 'Ngô Thị Hà' }] });
    const rendered: number[] = [];
    const feed = createBookFeed(p.services.db, 20);
    const channel = (bookId: number) => ({
      key: `book:${bookId}`,
      bookIds: [bookId],
      render: async () => {
        rendered.push(bookId);
        return `<p>sổ ${bookId}</p>\n<p>lần ${rendered.length}</p>`;
      },
    });
    const tabs = Array.from({ length: 30 }, () => new Tab());
    for (const tab of tabs) feed.subscribe(channel(seeded.bookId), tab as unknown as ServerResponse);
    const elsewhere = new Tab();
    feed.subscribe(channel(other.bookId), elsewhere as unknown as ServerResponse);
    expect(feed.watching()).toBe(31);
    try {
      // First look: the current state once, to every tab, as event-stream lines.
      await waitFor('the first render', async () => tabs.every((t) => t.books.length === 1) && elsewhere.books.length === 1, 10_000);
      expect(tabs[0]!.books[0]).toBe(`event: book\ndata: <p>sổ ${seeded.bookId}</p>\ndata: <p>lần ${rendered.indexOf(seeded.bookId) + 1}</p>\n\n`);
      expect(rendered.sort()).toEqual([seeded.bookId, other.bookId].sort());

      // Quiet: no render, no event.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(rendered).toHaveLength(2);

      // A page of the book is processed: one render, every tab of that book told, the other book not.
      await p.services.db.query(`update page set status = 'needs_rescan', reason = 'blurred', updated_at = now() where id = $1`, [seeded.pageId]);
      await waitFor('the change', async () => tabs.every((t) => t.books.length === 2), 10_000);
      expect(rendered.filter((id) => id === seeded.bookId)).toHaveLength(2);
      expect(elsewhere.books).toHaveLength(1);

      // A closed tab is forgotten; one coming back gets the last render at once, without rendering again.
      tabs[0]!.end();
      expect(feed.watching()).toBe(30);
      const back = new Tab();
      feed.subscribe(channel(seeded.bookId), back as unknown as ServerResponse);
      expect(back.books).toEqual([tabs[1]!.books[1]]);
      expect(rendered.filter((id) => id === seeded.bookId)).toHaveLength(2);
    } finally {
      feed.close();
    }
    expect(feed.watching()).toBe(0);
  });

  it('ends a stream after its time, so the browser reconnects through the sign-in check', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { bookNo: '11', fields: [{ field: 'fullName', value: 'Hồ Văn Tài' }] });
    const feed = createBookFeed(p.services.db, 20);
    const tab = new Tab();
    let ended = false;
    tab.on('close', () => (ended = true));
    feed.subscribe({ key: 'x', bookIds: [seeded.bookId], render: async () => 'x' }, tab as unknown as ServerResponse, 100);
    try {
      await waitFor('the stream to end', async () => ended, 5_000);
      expect(feed.watching()).toBe(0);
    } finally {
      feed.close();
    }
  });
});
