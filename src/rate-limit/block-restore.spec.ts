import { beforeEach, describe, expect, it } from '@jest/globals';
import { FakePostgresStore, FakeRedisStore } from '../../test/factories/rate-limit-store.fakes.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { BlockRestore, RESTORE_VALID_MS } from './block-restore.js';
import type { VolatileRateLimitCounter } from './rate-limit-counter.js';

const ROUTE = '/v1/otp/verify';
const ip = (i: number) => `198.51.${Math.floor(i / 256)}.${i % 256}`;

describe(BlockRestore.name, () => {
  let clock: FakeClock;
  let redis: FakeRedisStore;
  let pg: FakePostgresStore;
  let sut: BlockRestore;

  beforeEach(() => {
    clock = new FakeClock();
    redis = new FakeRedisStore();
    pg = new FakePostgresStore();
    sut = new BlockRestore(clock, redis as unknown as VolatileRateLimitCounter, pg);
  });

  it('should copy every standing block into Redis page by page, then vouch for it', async () => {
    const until = new Date(clock.now().getTime() + 60_000);
    for (let i = 0; i < 1_200; i++) pg.blocks.set(`${ROUTE}|${ip(i)}`, until);
    pg.blocks.set(`${ROUTE}|203.0.113.9`, new Date(clock.now().getTime() - 1)); // ended

    await sut.start();

    expect(pg.pages).toBe(3);
    expect(new Set(redis.seeded.map((b) => b.ip)).size).toBe(1_200);
    expect(redis.seeded.map((b) => b.ip)).not.toContain('203.0.113.9');
    expect(redis.marks).toEqual([{ epoch: '0', ttlMs: RESTORE_VALID_MS }]);
  });

  it('should not vouch for Redis when an unblock moved the epoch on during the restore', async () => {
    pg.blocks.set(`${ROUTE}|${ip(1)}`, new Date(clock.now().getTime() + 60_000));
    const activeBlocks = pg.activeBlocks.bind(pg);
    pg.activeBlocks = async (...args) => {
      const page = await activeBlocks(...args);
      redis.epoch = '1'; // an admin lifted a block after the epoch was read
      return page;
    };

    await sut.start();

    expect(redis.seeded).toEqual([]);
    expect(redis.marks).toEqual([]);
  });

  it('should run one restore at a time and survive a failing one', async () => {
    pg.blocks.set(`${ROUTE}|${ip(1)}`, new Date(clock.now().getTime() + 60_000));
    redis.failure = new Error('connection reset');

    const [a, b] = [sut.start(), sut.start()];
    expect(a).toBe(b);
    await a;
    expect(redis.marks).toEqual([]);

    redis.failure = null;
    await sut.start();
    expect(redis.marks).toHaveLength(1);
  });
});
