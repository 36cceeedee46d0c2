/**
 * A token bucket per client address: `burst` requests at once, refilled at `perSecond`. A stuck
 * client (a script in a loop, a page retrying without pause) gets 429 instead of the CPU that
 * the session's control loop needs. Buckets of clients that went quiet are dropped.
 */
export interface RateLimit {
  /** Whether one more request from `client` may go through now. */
  take(client: string): boolean;
}

export function rateLimit(perSecond: number, burst: number, now: () => number = Date.now): RateLimit {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = now();
  return {
    take(client) {
      const t = now();
      if (t - lastSweep > 60_000) {
        for (const [key, bucket] of buckets)
          if (bucket.tokens + ((t - bucket.at) / 1000) * perSecond >= burst) buckets.delete(key);
        lastSweep = t;
      }
      const bucket = buckets.get(client) ?? { tokens: burst, at: t };
      bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
      bucket.at = t;
      buckets.set(client, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
