import { describe, expect, it } from '@jest/globals';
import { retryAfterSeconds, retryAfterUntil } from './retry-after.js';

describe('retryAfterSeconds', () => {
  it.each([
    [-5_000, 1],
    [0, 1],
    [1, 1],
    [999, 1],
    [1_000, 1],
    [1_001, 2],
    [899_999, 900],
    [900_000, 900],
  ])('should round %i ms up to %i whole seconds, never below 1', (ms, seconds) => {
    expect(retryAfterSeconds(ms)).toBe(seconds);
  });
});

describe('retryAfterUntil', () => {
  it('should count the seconds from now until a Date or an epoch millisecond', () => {
    const now = new Date('2026-01-01T00:00:00.000Z');

    expect(retryAfterUntil(new Date(now.getTime() + 14_200), now)).toBe(15);
    expect(retryAfterUntil(now.getTime() + 2_000, now.getTime())).toBe(2);
    expect(retryAfterUntil(now, new Date(now.getTime() + 3_000))).toBe(1);
  });
});
