import { createHmac, randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';

/**
 * In-memory token buckets, one per key (a client's address, see addressKey): each holds up to `burst` requests and
 * refills at `perMinute`. For public pages that need no account, so that one address cannot flood them; per process
 * (each of several web processes counts on its own), which is enough against one address hammering a page.
 *
 * Not the database's token bucket of API clients (src/api/clients.ts, `api_rate`): that one is keyed by client
 * (a foreign key to `api_client`) and writes a row on every request, which for an unauthenticated flood would put
 * the very load the limit is there to keep off onto the database.
 *
 * @example
 * const limit = createRateLimiter({ perMinute: 30, burst: 10 });
 * const { allowed, firstRefusal } = limit.take(addressKey(request.ip));
 */
export interface RateLimiter {
  /**
   * Takes one request from `key`'s bucket. `firstRefusal`: the first refused request since the bucket was last
   * full again, so that a flood is recorded once, however many of its requests still get through as it refills.
   */
  take(key: string): { allowed: boolean; firstRefusal: boolean; retryAfterSeconds: number };
}

interface Bucket {
  tokens: number;
  at: number;
  refusing: boolean;
}

export function createRateLimiter(options: { perMinute: number; burst: number; maxKeys?: number; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const perMs = options.perMinute / 60_000;
  // bounded memory: past this many addresses the least recently seen is forgotten (it starts again full)
  const maxKeys = options.maxKeys ?? 10_000;
  const buckets = new Map<string, Bucket>();
  return {
    take(key) {
      const t = now();
      const old = buckets.get(key);
      const bucket = old ?? { tokens: options.burst, at: t, refusing: false };
      bucket.tokens = Math.min(options.burst, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      // a run of refusals ends only when the address has kept quiet long enough to fill its bucket: a flood faster
      // than the refill gets a request through now and then, and that is still the same run
      if (bucket.tokens >= options.burst) bucket.refusing = false;
      // re-inserted: the map's order is the order keys were last seen in
      buckets.delete(key);
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true, firstRefusal: false, retryAfterSeconds: 0 };
      }
      const firstRefusal = !bucket.refusing;
      bucket.refusing = true;
      return { allowed: false, firstRefusal, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
  };
}

/**
 * The key an address is limited by: an IPv4 address itself (also written IPv4-mapped, `::ffff:203.0.113.7`), an IPv6
 * address by its /64, the smallest block a provider hands one customer (one host holds all 2^64 of it, so per
 * address it would never be limited).
 *
 * @example addressKey('2001:db8:1:2:a::1') // '2001:db8:1:2::/64'
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  // an embedded IPv4 tail (::1.2.3.4) fills the last two groups, past the /64
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * A tag for an address that tells one flooding address from many in the audit trail without being personal data:
 * an HMAC under a key made at start-up and never stored, so after a restart no one can link it to an address, not
 * even by trying the whole IPv4 space.
 */
export function addressTagger(): (key: string) => string {
  const secret = randomBytes(32);
  return (key) => createHmac('sha256', secret).update(key).digest('base64url').slice(0, 12);
}
