import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresRateLimitStore } from '#src/rate-limit/postgres-rate-limit.store.js';
import {
  openMigratedDatabase,
  type MigratedDatabase,
} from '../../factories/migrated-database.factory.js';
import { rateLimitPolicy, testIp } from '../../factories/rate-limit.factory.js';

// The atomic `ip_rate_limits` upsert driven directly, on PGlite or on the PostgreSQL server in
// DATABASE_URL (where the parallel hits really race on a connection pool).
const T0 = new Date('2026-01-15T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe(PostgresRateLimitStore.name, () => {
  let db: MigratedDatabase;
  let sut: PostgresRateLimitStore;
  let endpointSeq = 0;
  /** A fresh endpoint name per test: counters never leak between tests. */
  const endpoint = () => `/v1/test/${++endpointSeq}`;

  beforeAll(async () => {
    db = await openMigratedDatabase();
    sut = new PostgresRateLimitStore(db.ds);
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('hit', () => {
    it('should give N parallel hits the counts 1..limit and refuse the other N - limit', async () => {
      const { ttlMs, limit, blockMs } = rateLimitPolicy({ limit: 5 });
      const route = endpoint();
      const n = 20;

      const hits = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          sut.hit(testIp(1), route, at(i), ttlMs, limit, blockMs),
        ),
      );

      const counted = hits.filter((h) => h.blockedMs === 0).map((h) => h.count);
      expect(counted.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
      expect(hits.filter((h) => h.blockedMs > 0)).toHaveLength(n - limit);
      expect(hits.filter((h) => h.count === limit + 1 && h.newBlock)).toHaveLength(1);
    });

    // Hits in the same millisecond as the blocking one are not new blocks (one ip.blocked row).
    it('should report exactly one new block when the hits share one millisecond', async () => {
      const { ttlMs, limit, blockMs } = rateLimitPolicy({ limit: 5 });
      const route = endpoint();

      const hits = await Promise.all(
        Array.from({ length: 20 }, () => sut.hit(testIp(10), route, T0, ttlMs, limit, blockMs)),
      );

      expect(hits.filter((h) => h.newBlock)).toHaveLength(1);
    });

    it('should keep counting one millisecond before the window ends and restart at its end', async () => {
      const { ttlMs, limit, blockMs } = rateLimitPolicy({ limit: 3 });
      const route = endpoint();
      await sut.hit(testIp(2), route, T0, ttlMs, limit, blockMs);
      await sut.hit(testIp(2), route, at(1_000), ttlMs, limit, blockMs);

      const last = await sut.hit(testIp(2), route, at(ttlMs - 1), ttlMs, limit, blockMs);
      const fresh = await sut.hit(testIp(2), route, at(ttlMs), ttlMs, limit, blockMs);

      expect(last).toEqual({ count: 3, resetMs: 1, blockedMs: 0, newBlock: false });
      expect(fresh).toEqual({ count: 1, resetMs: ttlMs, blockedMs: 0, newBlock: false });
    });

    it('should refuse until one millisecond before the block ends and count afresh at its end', async () => {
      const { ttlMs, limit, blockMs } = rateLimitPolicy({ limit: 1 });
      const route = endpoint();
      await sut.hit(testIp(3), route, T0, ttlMs, limit, blockMs);
      const blocking = await sut.hit(testIp(3), route, T0, ttlMs, limit, blockMs);

      const stillBlocked = await sut.hit(testIp(3), route, at(blockMs - 1), ttlMs, limit, blockMs);
      const listedBefore = await sut.findBlock(testIp(3), route, at(blockMs - 1));
      const listedAtEnd = await sut.findBlock(testIp(3), route, at(blockMs));
      const after = await sut.hit(testIp(3), route, at(blockMs), ttlMs, limit, blockMs);

      expect(blocking).toMatchObject({ count: 2, blockedMs: blockMs, newBlock: true });
      expect(stillBlocked).toMatchObject({ blockedMs: 1, newBlock: false });
      expect(after).toEqual({ count: 1, resetMs: ttlMs, blockedMs: 0, newBlock: false });
      expect(listedBefore).toEqual(at(blockMs));
      expect(listedAtEnd).toBeNull();
    });

    it('should count each endpoint and each IP apart', async () => {
      const { ttlMs, limit, blockMs } = rateLimitPolicy({ limit: 1 });
      const route = endpoint();
      const other = endpoint();
      await sut.hit(testIp(4), route, T0, ttlMs, limit, blockMs);
      await sut.hit(testIp(4), route, T0, ttlMs, limit, blockMs);

      const otherRoute = await sut.hit(testIp(4), other, T0, ttlMs, limit, blockMs);
      const otherIp = await sut.hit(testIp(5), route, T0, ttlMs, limit, blockMs);

      expect(otherRoute).toEqual({ count: 1, resetMs: ttlMs, blockedMs: 0, newBlock: false });
      expect(otherIp).toEqual({ count: 1, resetMs: ttlMs, blockedMs: 0, newBlock: false });
    });
  });

  describe('recordBlock', () => {
    it('should keep the later of two blocks recorded in parallel', async () => {
      const route = endpoint();
      const until = [at(60_000), at(900_000), at(300_000)];

      await Promise.all(until.map((u) => sut.recordBlock(testIp(6), route, T0, u, 4)));

      expect(await sut.findBlock(testIp(6), route, T0)).toEqual(at(900_000));
    });
  });

  describe('unblock', () => {
    it('should lift the IP on every endpoint at once and return those endpoints', async () => {
      const { ttlMs, blockMs } = rateLimitPolicy();
      const routes = [endpoint(), endpoint()];
      for (const route of routes) {
        await sut.hit(testIp(7), route, T0, ttlMs, 0, blockMs);
      }

      const lifted = await sut.unblock(testIp(7), at(1));
      const next = await sut.hit(testIp(7), routes[0], at(2), ttlMs, 1, blockMs);

      expect(lifted.sort()).toEqual([...routes].sort());
      expect(await sut.findBlock(testIp(7), routes[1], at(2))).toBeNull();
      expect(next).toEqual({ count: 1, resetMs: ttlMs - 1, blockedMs: 0, newBlock: false });
    });

    it('should list a block until it ends, and not after', async () => {
      const { ttlMs, blockMs } = rateLimitPolicy();
      const route = endpoint();
      await sut.hit(testIp(8), route, T0, ttlMs, 0, blockMs);

      const during = await sut.listBlocks(at(blockMs - 1));
      const after = await sut.listBlocks(at(blockMs));

      expect(during).toContainEqual({ ip: testIp(8), endpoint: route, blockedUntil: at(blockMs) });
      expect(after.filter((b) => b.endpoint === route)).toEqual([]);
    });
  });

  describe('purgeStale', () => {
    it('should delete counters idle for more than a day and keep live blocks', async () => {
      const { ttlMs } = rateLimitPolicy();
      const day = 24 * 3600_000;
      const idle = endpoint();
      const recent = endpoint();
      const blocked = endpoint();
      await sut.hit(testIp(9), idle, T0, ttlMs, 5, 1_000);
      await sut.hit(testIp(9), recent, at(1), ttlMs, 5, 1_000);
      await sut.hit(testIp(9), blocked, T0, ttlMs, 0, 2 * day);

      await sut.purgeStale(at(day + 1));

      const left: { endpoint: string }[] = await db.ds.query(
        `SELECT endpoint FROM ip_rate_limits WHERE ip = $1 AND endpoint = ANY($2)`,
        [testIp(9), [idle, recent, blocked]],
      );
      expect(left.map((r) => r.endpoint).sort()).toEqual([recent, blocked].sort());
    });
  });
});
