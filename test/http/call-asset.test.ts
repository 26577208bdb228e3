import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NETWORK_LOST, postJson } from '../../src/http/assets/call.js';

/** The review, match and arbitration screens' posting (src/http/assets/call.js), run here with a stubbed fetch. */
describe('the screens’ one way to post', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('says a dropped network in Vietnamese, not the browser’s «Failed to fetch»', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(postJson('/review/items/1', { action: 'accept' }, 'tok')).rejects.toMatchObject({ message: NETWORK_LOST, code: 'network' });
    expect(NETWORK_LOST).toBe('Mất kết nối mạng: có thể chưa lưu được. Hãy kiểm tra kết nối rồi thử lại.');
  });

  it('throws a refusal with the server’s message and code, and resolves to the answer otherwise', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: 'lease_lost', message: 'Hết hạn.' }), { status: 409 }));
    await expect(postJson('/x', {}, 'tok')).rejects.toMatchObject({ message: 'Hết hạn.', code: 'lease_lost' });
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ ok: 1 }), { status: 200 }));
    expect(await postJson('/x', {}, 'tok')).toEqual({ ok: 1 });
  });

  it('is what the review, match and arbitration screens post with', () => {
    for (const screen of ['review', 'matches', 'arbitration']) {
      const source = readFileSync(new URL(`../../src/http/assets/${screen}.js`, import.meta.url), 'utf8');
      expect(source, screen).toContain("import { postJson } from '/assets/call.js';");
      expect(source, screen).not.toContain("method: 'POST'");
    }
  });
});
