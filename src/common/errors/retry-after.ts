/**
 * The contract's `Retry-After` (and `retryAfter`) rounding: whole seconds, rounded up, at least 1,
 * so a client that waits exactly that long is never refused again for the same reason.
 */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** Seconds from `now` until `until`, rounded as `retryAfterSeconds`. */
export function retryAfterUntil(until: Date | number, now: Date | number): number {
  return retryAfterSeconds(Number(until) - Number(now));
}
