import { AppError } from '#src/common/errors/app-error.js';

// The rate-limit module's refusals, as the contract (API.md) words them: the guard and the
// app's first request hook answer a blocked client alike.

/** The contract's 429 for a client IP over its limit or blocked. */
export function ipRateLimited(retryAfter: number): AppError {
  return new AppError(
    'IP_RATE_LIMITED',
    `Too many requests from this address; try again in ${retryAfter} s`,
    {
      retryAfter,
    },
  );
}
