import type { HitResult } from '#src/rate-limit/rate-limit.types.js';

/** One IP policy as the throttler passes it to the store (milliseconds). */
export interface RateLimitPolicy {
  ttlMs: number;
  limit: number;
  blockMs: number;
}

/** The contract's verify policy: 3 per 60 s window, then a 900 s block. */
export function rateLimitPolicy(overrides: Partial<RateLimitPolicy> = {}): RateLimitPolicy {
  return { ttlMs: 60_000, limit: 3, blockMs: 900_000, ...overrides };
}

/** A documentation-range IPv4 address (RFC 5737), distinct per n. */
export function testIp(n = 1): string {
  return `203.0.113.${n % 256}`;
}

/** A store answer: a counted hit, not blocked, unless overridden. */
export function hitResult(overrides: Partial<HitResult> = {}): HitResult {
  return { count: 1, resetMs: 60_000, blockedMs: 0, newBlock: false, ...overrides };
}
