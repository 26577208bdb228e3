/**
 * In-memory token buckets, one per key (a client's IP address): each holds up to `burst` requests and refills at
 * `perMinute`. For public pages that need no account, so that one address cannot flood them; per process (each of
 * several web processes counts on its own), which is enough against one address hammering a page.
 *
 * @example
 * const limit = createRateLimiter({ perMinute: 30, burst: 10 });
 * const { allowed, firstRefusal } = limit.take(request.ip);
 */
export interface RateLimiter {
  /**
   * Takes one request from `key`'s bucket. `firstRefusal`: the first refused request since the bucket last had
   * room, so that a flood is recorded once, not once per request.
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
      // re-inserted: the map's order is the order keys were last seen in
      buckets.delete(key);
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        bucket.refusing = false;
        return { allowed: true, firstRefusal: false, retryAfterSeconds: 0 };
      }
      const firstRefusal = !bucket.refusing;
      bucket.refusing = true;
      return { allowed: false, firstRefusal, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
  };
}
