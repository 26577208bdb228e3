import { randomBytes } from 'node:crypto';
import type { RefusedForm } from './refusals.ts';

/**
 * Refused forms kept on the server for a while, so that the page showing one again is a plain visit of the form's
 * page (`<page>?refused=<id>`): reloading it shows the form as typed and never sends it again (layout.ts reloadAs),
 * and a form refused because the session had expired comes back, as typed, once the person has signed in again.
 * In memory, per process (one browser is served by one web server, as uploads are: src/ingest/transfer.ts); a
 * kept form expires after `ttlMs`, the oldest go first past `max`. Nothing that looks like a password is kept.
 */
export interface RefusedFormStore {
  /** Keeps a refused form; `accountId` is who may see it again (of an expired session: the account it was of). */
  keep(form: RefusedForm, accountId: number): string;
  /** The kept form of that id, if this account may see it. */
  take(id: string, accountId: number): RefusedForm | null;
}

const SECRET_FIELD = /password|mật.?khẩu|_csrf/i;
/** The most characters of one kept form: every field of the longest register form typed in full is far below. */
const MAX_KEPT_CHARS = 64_000;

export function createRefusedFormStore(options: { ttlMs?: number; max?: number; now?: () => number } = {}): RefusedFormStore {
  const ttl = options.ttlMs ?? 30 * 60_000;
  const max = options.max ?? 2000;
  const now = options.now ?? Date.now;
  const kept = new Map<string, { form: RefusedForm; accountId: number; expires: number }>();
  return {
    keep(form, accountId) {
      const id = randomBytes(16).toString('base64url');
      // a form's worth of typing, not what a script can post: past MAX_KEPT_CHARS in all, the values are not kept
      const typed = Object.entries(form.values).filter(([name]) => !SECRET_FIELD.test(name));
      const values = Object.fromEntries(typed.reduce((n, [name, v]) => n + name.length + v.length, 0) <= MAX_KEPT_CHARS ? typed : []);
      kept.set(id, { form: { ...form, values }, accountId, expires: now() + ttl });
      for (const [key, entry] of kept) {
        if (kept.size <= max && entry.expires > now()) break;
        kept.delete(key);
      }
      return id;
    },
    take(id, accountId) {
      const entry = kept.get(id);
      if (!entry || entry.expires <= now()) return null;
      return entry.accountId === accountId ? entry.form : null;
    },
  };
}

/**
 * The page a form posted to `path` is on: the longest leading part of the path that a GET route answers
 * (`/book-issues/12/move` → `/book-issues/12`), from the GET routes' patterns.
 */
export function formPagePath(getRoutes: readonly RegExp[], path: string): string | null {
  const parts = path.split('?')[0]!.split('/');
  for (let n = parts.length; n > 1; n--) {
    const candidate = parts.slice(0, n).join('/');
    if (getRoutes.some((re) => re.test(candidate))) return candidate;
  }
  return null;
}

/** A route pattern as a regular expression of the paths it answers (`/entries/:id` → `^/entries/[^/]+$`). */
export const routePattern = (url: string): RegExp =>
  new RegExp(`^${url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
