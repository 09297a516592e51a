import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LoginThrottleRepository } from '#src/accounts/login-throttle/login-throttle.repository.js';
import {
  openMigratedDatabase,
  type MigratedDatabase,
} from '../../factories/migrated-database.factory.js';
import { FakeClock } from '../../support/fake-clock.js';

// Every login_throttles statement driven directly, on PGlite or on the PostgreSQL server in
// DATABASE_URL (where parallel claims really race on a connection pool). Time comes from a
// FakeClock; each test uses its own email.
const WINDOW_S = 900;
const WINDOW_MS = WINDOW_S * 1000;
const MAX = 3;

describe(LoginThrottleRepository.name, () => {
  let db: MigratedDatabase;
  let sut: LoginThrottleRepository;
  let seq = 0;
  const freshEmail = () => `login-${++seq}@example.com`;

  beforeAll(async () => {
    db = await openMigratedDatabase();
    sut = new LoginThrottleRepository(db.ds);
  });
  afterAll(async () => {
    await db?.close();
  });

  const claim = (email: string, clock: FakeClock) => sut.claim(email, clock.now(), WINDOW_S, MAX);
  const lockedUntil = (email: string, clock: FakeClock) =>
    sut.lockedUntil(email, clock.now(), WINDOW_S, MAX);

  /** Spends every check of `email` at the clock's instant; returns that instant. */
  async function exhaust(email: string, clock: FakeClock): Promise<Date> {
    for (let i = 1; i <= MAX; i++) expect(await claim(email, clock)).toEqual({ failures: i });
    return clock.now();
  }

  describe('claim', () => {
    it('should give N parallel claims the failures 1..max and refuse the other N - max', async () => {
      const email = freshEmail();
      const clock = new FakeClock();
      const n = 12;

      const claims = await Promise.all(Array.from({ length: n }, () => claim(email, clock)));

      const granted = claims.filter((c) => c !== null).map((c) => c.failures);
      expect(granted.sort((a, b) => a - b)).toEqual([1, 2, 3]);
      expect(claims.filter((c) => c === null)).toHaveLength(n - MAX);
    });

    it('should throttle until one millisecond before the window after the last failure ends, and count afresh at its end', async () => {
      const email = freshEmail();
      const clock = new FakeClock();
      const last = await exhaust(email, clock);

      clock.advance(WINDOW_MS - 1);
      const stillRefused = await claim(email, clock);
      const until = await lockedUntil(email, clock);
      clock.advance(1);
      const listedAtEnd = await lockedUntil(email, clock);
      const fresh = await claim(email, clock);

      expect(stillRefused).toBeNull();
      expect(until).toEqual(new Date(last.getTime() + WINDOW_MS));
      expect(listedAtEnd).toBeNull();
      expect(fresh).toEqual({ failures: 1 });
    });

    it('should not move the throttle when a refused claim arrives', async () => {
      const email = freshEmail();
      const clock = new FakeClock();
      const last = await exhaust(email, clock);

      clock.advance(60_000);
      expect(await claim(email, clock)).toBeNull();

      expect(await lockedUntil(email, clock)).toEqual(new Date(last.getTime() + WINDOW_MS));
    });

    it('should keep counting a failure one millisecond before the window ends and restart at its end', async () => {
      const counting = freshEmail();
      const restarting = freshEmail();
      const clock = new FakeClock();
      await claim(counting, clock);
      await claim(restarting, clock);

      clock.advance(WINDOW_MS - 1);
      const second = await claim(counting, clock);
      clock.advance(1);
      const restarted = await claim(restarting, clock);

      expect(second).toEqual({ failures: 2 });
      expect(restarted).toEqual({ failures: 1 });
    });
  });

  describe('reset', () => {
    it('should forget the failures of the email only', async () => {
      const email = freshEmail();
      const other = freshEmail();
      const clock = new FakeClock();
      await exhaust(email, clock);
      await exhaust(other, clock);

      await sut.reset(email);

      expect(await claim(email, clock)).toEqual({ failures: 1 });
      expect(await claim(other, clock)).toBeNull();
    });
  });

  describe('list and unlock', () => {
    it('should list a throttled email until its window ends, and not one below the limit', async () => {
      const throttled = freshEmail();
      const below = freshEmail();
      const clock = new FakeClock();
      const last = await exhaust(throttled, clock);
      await claim(below, clock);

      const listed = await sut.list(clock.now(), WINDOW_S, MAX);
      clock.advance(WINDOW_MS);
      const afterWindow = await sut.list(clock.now(), WINDOW_S, MAX);

      expect(listed).toContainEqual({
        email: throttled,
        lockedUntil: new Date(last.getTime() + WINDOW_MS),
      });
      expect(listed.map((r) => r.email)).not.toContain(below);
      expect(afterWindow.map((r) => r.email)).not.toContain(throttled);
    });

    it('should lift a throttle at once and say whether the email was throttled', async () => {
      const throttled = freshEmail();
      const below = freshEmail();
      const clock = new FakeClock();
      await exhaust(throttled, clock);
      await claim(below, clock);

      const lifted = await sut.unlock(throttled, clock.now(), WINDOW_S, MAX);
      const notThrottled = await sut.unlock(below, clock.now(), WINDOW_S, MAX);
      const unknown = await sut.unlock(freshEmail(), clock.now(), WINDOW_S, MAX);

      expect([lifted, notThrottled, unknown]).toEqual([true, false, false]);
      expect(await claim(throttled, clock)).toEqual({ failures: 1 });
      expect(await claim(below, clock)).toEqual({ failures: 1 });
    });
  });

  describe('purgeIdle', () => {
    it('should delete the rows whose window has ended and keep those one millisecond younger', async () => {
      // Earlier than every other test's rows, so only this test's rows can be old enough.
      const clock = new FakeClock('2025-01-01T00:00:00.000Z');
      const idle = freshEmail();
      const young = freshEmail();
      await exhaust(idle, clock);
      clock.advance(1);
      await exhaust(young, clock);

      clock.advance(WINDOW_MS - 1);
      const purged = await sut.purgeIdle(clock.now(), WINDOW_S);

      expect(purged).toBe(1);
      expect(await lockedUntil(young, clock)).not.toBeNull();
    });
  });
});
