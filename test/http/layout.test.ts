import { describe, expect, it } from 'vitest';
import { escapeHtml, localTime } from '../../src/http/layout.ts';

describe('page helpers', () => {
  it('shows moments on Vietnam’s clock, the day turning at its midnight, not UTC’s', () => {
    expect(localTime(new Date('2026-11-28T02:19:40Z'))).toBe('28/11/2026 09:19');
    expect(localTime(new Date('2026-11-27T17:05:00Z'))).toBe('28/11/2026 00:05');
    expect(localTime(new Date('2026-12-31T16:59:00Z'))).toBe('31/12/2026 23:59');
  });

  it('escapes text for HTML', () => {
    expect(escapeHtml(`<a href="x">Lê & 'Mai'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Lê &amp; &#39;Mai&#39;&lt;/a&gt;');
  });
});
