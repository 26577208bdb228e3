import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/auth/accounts.ts';
import { createBookFeed } from '../../src/http/book-feed.ts';
import { claimNextEntry, decideItem } from '../../src/review/queue.ts';
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

  it("renders a book again for a verifier's decision on it, and not for one on another book", async () => {
    const books = [
      await seedEntry(p.services.db, p.services.blobs, { officeCode: 'FEED', bookNo: '21', fields: [{ field: 'fullName', value: 'Lê Văn An', reasons: ['low_confidence'] }] }),
      await seedEntry(p.services.db, p.services.blobs, { officeCode: 'FEED', bookNo: '22', fields: [{ field: 'fullName', value: 'Lê Thị Bình', reasons: ['low_confidence'] }] }),
    ];
    const verifier = await createAccount(p.services.db, { name: 'feed.verifier', role: 'verifier', officeCodes: ['FEED'], passwordHash: 'x' });
    const renders = new Map<number, number>(books.map((b) => [b.bookId, 0]));
    const feed = createBookFeed(p.services.db, 20);
    const tabs = books.map((b) => {
      const tab = new Tab();
      const render = async () => {
        renders.set(b.bookId, renders.get(b.bookId)! + 1);
        return `<p>${renders.get(b.bookId)}</p>`;
      };
      feed.subscribe({ key: `book:${b.bookId}`, bookIds: [b.bookId], render }, tab as unknown as ServerResponse);
      return tab;
    });
    try {
      await waitFor('the first renders', async () => tabs.every((t) => t.books.length === 1), 10_000);
      for (let decided = 1; decided <= 2; decided++) {
        const claimed = await claimNextEntry(p.services.db, verifier);
        expect(claimed).not.toBeNull();
        const book = books.find((b) => b.entryId === claimed!.entryId)!;
        await decideItem(p.services.db, verifier, claimed!.items[0]!.itemId, { action: 'accept', ms: 900 });
        await waitFor('the decided book rendered again', async () => renders.get(book.bookId) === 2, 10_000);
        // one more change of the decided book: once it is rendered, the feed has looked at every book since the decision
        await p.services.db.query(`update page set updated_at = now() where id = $1`, [book.pageId]);
        await waitFor('a later look of the feed', async () => renders.get(book.bookId) === 3, 10_000);
        // the other book was not rendered for this decision (the first one decided, not for the second's either)
        expect([...renders.values()].sort()).toEqual(decided === 1 ? [1, 3] : [3, 3]);
      }
    } finally {
      feed.close();
    }
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
