import { validationError } from '#src/common/errors/app-error.js';

/** Longest window the dashboard endpoints aggregate over. */
export const ADMIN_MAX_RANGE_DAYS = 31;
const MAX_RANGE_MS = ADMIN_MAX_RANGE_DAYS * 86_400_000;

/**
 * Resolves an optional [since, until) pair: until defaults to 1 ms after now (so now is
 * included), since to 24 hours before until. Refuses an empty, inverted or too long window.
 */
export function resolveAdminRange(
  now: Date,
  since?: string,
  until?: string,
): { since: Date; until: Date } {
  const u = until === undefined ? new Date(now.getTime() + 1) : new Date(until);
  const s = since === undefined ? new Date(u.getTime() - 86_400_000) : new Date(since);
  if (Number.isNaN(u.getTime())) {
    throw validationError([{ field: 'until', problem: 'until must be a valid date' }]);
  }
  if (Number.isNaN(s.getTime())) {
    throw validationError([{ field: 'since', problem: 'since must be a valid date' }]);
  }
  if (s.getTime() >= u.getTime()) {
    throw validationError([{ field: 'until', problem: 'until must be later than since' }]);
  }
  if (u.getTime() - s.getTime() > MAX_RANGE_MS) {
    throw validationError([
      { field: 'since', problem: `the range may span at most ${ADMIN_MAX_RANGE_DAYS} days` },
    ]);
  }
  return { since: s, until: u };
}
