/**
 * Per-client request budget: a token bucket holding `perMinute` requests that refills continuously.
 * Kept in this process's memory, so with N web processes a client gets up to N times its budget;
 * a shared limit would need a round trip to PostgreSQL on every request.
 */
export interface RateLimiter {
  /** Takes one request from the client's bucket; false when it is empty. */
  take(clientId: number, perMinute: number, now?: number): boolean;
}

export function createRateLimiter(): RateLimiter {
  const buckets = new Map<number, { tokens: number; at: number }>();
  return {
    take(clientId, perMinute, now = performance.now()) {
      const bucket = buckets.get(clientId) ?? { tokens: perMinute, at: now };
      bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * perMinute);
      bucket.at = now;
      const allowed = bucket.tokens >= 1;
      if (allowed) bucket.tokens -= 1;
      buckets.set(clientId, bucket);
      return allowed;
    },
  };
}
