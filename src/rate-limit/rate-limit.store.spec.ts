import { beforeEach, describe, expect, it } from '@jest/globals';
import { hitResult } from '../../test/factories/rate-limit.factory.js';
import {
  FakeAudit,
  FakeCache,
  FakePostgresStore,
  FakeRedisStore,
} from '../../test/factories/rate-limit-store.fakes.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import type { AuditService } from '#src/audit/audit.service.js';
import type { AppCache } from '#src/common/cache/app-cache.js';
import { BlockRestore } from './block-restore.js';
import { LocalBlockCache } from './local-block.cache.js';
import type { VolatileRateLimitCounter } from './rate-limit-counter.js';
import { RateLimitStore } from './rate-limit.store.js';
import type { UnblockBroadcast } from './unblock-broadcast.js';

// RateLimitStore routes each hit between Redis and PostgreSQL; the stores themselves are tested
// on real servers (test/integration), here they are fakes (test/factories/rate-limit-store.fakes.ts).

const ROUTE = '/v1/otp/verify';
const IP = '203.0.113.7';
const KEY = `${ROUTE}|${IP}`;
const TTL = 60_000;
const LIMIT = 3;
const BLOCK = 900_000;

describe(RateLimitStore.name, () => {
  let clock: FakeClock;
  let redis: FakeRedisStore;
  let pg: FakePostgresStore;
  let cache: FakeCache;
  let audit: FakeAudit;
  let local: LocalBlockCache;
  let sut: RateLimitStore;

  beforeEach(() => {
    clock = new FakeClock();
    redis = new FakeRedisStore();
    pg = new FakePostgresStore();
    cache = new FakeCache();
    audit = new FakeAudit();
    local = new LocalBlockCache();
    sut = new RateLimitStore(
      clock,
      redis as unknown as VolatileRateLimitCounter,
      pg,
      cache as unknown as AppCache,
      audit as unknown as AuditService,
      local,
      { publish: () => Promise.resolve() } as unknown as UnblockBroadcast,
      new BlockRestore(clock, redis as unknown as VolatileRateLimitCounter, pg),
    );
  });

  describe('increment', () => {
    it('should count in Redis and leave PostgreSQL alone while the IP is under its limit', async () => {
      redis.answers = [hitResult({ count: 2, resetMs: 30_500 })];

      const record = await sut.increment(KEY, TTL, LIMIT, BLOCK);

      expect(record).toEqual({
        totalHits: 2,
        timeToExpire: 31,
        isBlocked: false,
        timeToBlockExpire: 0,
      });
      expect(pg.hits).toBe(0);
      expect(audit.events).toEqual([]);
    });

    it('should record a new Redis block in PostgreSQL, the cache, the audit trail and this process', async () => {
      redis.answers = [hitResult({ count: 4, blockedMs: BLOCK, newBlock: true })];
      const until = new Date(clock.now().getTime() + BLOCK);

      const record = await sut.increment(KEY, TTL, LIMIT, BLOCK);

      expect(record).toMatchObject({ isBlocked: true, timeToBlockExpire: BLOCK / 1000 });
      expect(pg.recorded).toEqual([{ ip: IP, endpoint: ROUTE, blockedUntil: until, count: 4 }]);
      expect(cache.entries.get(`ipblock:${KEY}`)).toBe(until.getTime());
      expect(audit.events).toEqual([
        {
          type: 'ip.blocked',
          ip: IP,
          details: { endpoint: ROUTE, blockedUntil: until, requests: 4 },
        },
      ]);
      expect(local.get(KEY, clock.now().getTime())).toBe(until.getTime());
    });

    it('should restore into Redis a block only PostgreSQL still knows, without auditing it again', async () => {
      redis.answers = [null];
      const until = new Date(clock.now().getTime() + 120_000);
      pg.blocks.set(KEY, until);

      const record = await sut.increment(KEY, TTL, LIMIT, BLOCK);

      expect(record).toMatchObject({
        totalHits: LIMIT + 1,
        isBlocked: true,
        timeToBlockExpire: 120,
      });
      expect(redis.seeded).toContainEqual({
        ip: IP,
        endpoint: ROUTE,
        blockedUntil: until,
        count: LIMIT + 1,
      });
      expect(audit.events).toEqual([]);
    });

    it('should start restoring every block into Redis when it meets a key Redis does not know', async () => {
      redis.answers = [null, hitResult({ count: 1 })];
      pg.blocks.set(`${ROUTE}|198.51.100.1`, new Date(clock.now().getTime() + 60_000));

      await sut.increment(KEY, TTL, LIMIT, BLOCK);
      await new BlockRestore(clock, redis as unknown as VolatileRateLimitCounter, pg).start();

      expect(pg.pages).toBeGreaterThanOrEqual(1);
      expect(redis.seeded.map((b) => b.ip)).toContain('198.51.100.1');
      expect(redis.marks.length).toBeGreaterThanOrEqual(1);
    });

    it('should drop the restored mark when PostgreSQL decides a block Redis never saw', async () => {
      redis.hit = () => Promise.reject(new Error('redis rate-limit hit timed out'));
      pg.answer = hitResult({ count: 4, blockedMs: BLOCK, newBlock: true });

      await sut.increment(KEY, TTL, LIMIT, BLOCK);

      expect(pg.recorded).toEqual([]);
      expect(redis.forgotten).toBe(1);
    });

    it('should fall back to PostgreSQL when Redis fails', async () => {
      redis.failure = new Error('connection reset');
      pg.answer = hitResult({ count: 3 });

      const record = await sut.increment(KEY, TTL, LIMIT, BLOCK);

      expect(record.totalHits).toBe(3);
      expect(pg.hits).toBe(1);
    });

    it('should refuse an IP the cache knows is blocked without asking PostgreSQL (Redis absent)', async () => {
      redis.available = false;
      await cache.set(`ipblock:${KEY}`, clock.now().getTime() + 10_000);

      const record = await sut.increment(KEY, TTL, LIMIT, BLOCK);

      expect(record).toMatchObject({ isBlocked: true, timeToBlockExpire: 10 });
      expect(pg.hits).toBe(0);
    });

    it('should count in PostgreSQL once a cached block has ended', async () => {
      redis.available = false;
      await cache.set(`ipblock:${KEY}`, clock.now().getTime() + 10_000);
      clock.advance(10_000);

      const record = await sut.increment(KEY, TTL, LIMIT, BLOCK);

      expect(record.isBlocked).toBe(false);
      expect(pg.hits).toBe(1);
    });

    it('should fail the request only when both stores fail', async () => {
      redis.failure = new Error('connection reset');
      pg.failure = new Error('Connection terminated');

      await expect(sut.increment(KEY, TTL, LIMIT, BLOCK)).rejects.toThrow('Connection terminated');
    });
  });

  describe('unblock', () => {
    it('should lift the IP everywhere and count its endpoints, even with Redis failing', async () => {
      pg.blocks.set(KEY, new Date(clock.now().getTime() + BLOCK));
      pg.blocks.set(`/v1/otp/send|${IP}`, new Date(clock.now().getTime() + BLOCK));
      await cache.set(`ipblock:${KEY}`, 1);
      local.remember(KEY, clock.now().getTime() + BLOCK);
      redis.failure = new Error('connection reset');

      const lifted = await sut.unblock(IP);

      expect(lifted).toBe(2);
      expect(cache.entries.has(`ipblock:${KEY}`)).toBe(false);
      expect(local.get(KEY, clock.now().getTime())).toBeUndefined();
    });
  });
});
