import { createHash } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { RedisHandle } from '#src/common/cache/cache.module.js';
import { withTimeout } from '#src/common/cache/redis-connection.js';
import { AppConfig } from '#src/config/app-config.js';
import { VolatileRateLimitCounter } from './rate-limit-counter.js';
import type { HitResult } from './rate-limit.types.js';

// One atomic step per hit. Time comes from the app's clock (ARGV[1]), so the window and block follow
// the same time as everything else; PEXPIRE only garbage-collects.
const HIT_SCRIPT = `
local now = tonumber(ARGV[1]); local ttl = tonumber(ARGV[2]); local limit = tonumber(ARGV[3]); local block = tonumber(ARGV[4])
if ARGV[5] == '1' and redis.call('EXISTS', KEYS[1]) == 0 and redis.call('EXISTS', KEYS[2]) == 0 then return {-1, 0, 0, 0} end
local v = redis.call('HMGET', KEYS[1], 's', 'c', 'b')
local s = tonumber(v[1]) or 0; local c = tonumber(v[2]) or 0; local b = tonumber(v[3]) or 0
if b > now then return {c, math.max(0, s + ttl - now), b - now, 0} end
if s + ttl <= now then s = now; c = 0 end
c = c + 1
local nb = 0
if c > limit then b = now + block; nb = 1 end
redis.call('HSET', KEYS[1], 's', s, 'c', c, 'b', b)
redis.call('PEXPIRE', KEYS[1], math.max(ttl, block) + 60000)
if nb == 1 then return {c, s + ttl - now, block, 1} end
return {c, s + ttl - now, 0, 0}
`;

// A restored block, written only while the unblock epoch (KEYS[2]) is the one read before the
// durable blocks were (ARGV[4]): a block lifted in between stays lifted.
const SEED_SCRIPT = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[4] then return 0 end
redis.call('HSET', KEYS[1], 's', ARGV[1], 'c', ARGV[2], 'b', ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) - tonumber(ARGV[1]) + 60000)
return 1
`;
// The "every durable block is restored" mark, under the same condition.
const MARK_SCRIPT = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
return 1
`;

interface Script {
  text: string;
  sha: string;
}
const script = (text: string): Script => ({
  text,
  sha: createHash('sha1').update(text).digest('hex'),
});
const HIT = script(HIT_SCRIPT);
const SEED = script(SEED_SCRIPT);
const MARK = script(MARK_SCRIPT);

/** IP counters in Redis: one Lua script per hit. Throws when Redis is absent or unreachable. */
@Injectable()
export class RedisRateLimitStore implements VolatileRateLimitCounter, OnApplicationBootstrap {
  constructor(
    private readonly redis: RedisHandle,
    private readonly config: AppConfig,
  ) {}

  /**
   * Each (re)connection drops the "every block restored" mark: while this instance could not
   * reach Redis it decided blocks in PostgreSQL only, and Redis may have restarted empty.
   */
  onApplicationBootstrap(): void {
    this.redis.connection?.client.on('ready', () => {
      this.forgetRestored().catch(() => undefined);
    });
  }

  get available(): boolean {
    return this.redis.connection?.ready ?? false;
  }

  private key(ip: string, endpoint: string): string {
    return `${this.config.cache.keyPrefix}rl:${ip}|${endpoint}`;
  }

  private get restoredKey(): string {
    return `${this.config.cache.keyPrefix}rl:blocks-restored`;
  }

  private get epochKey(): string {
    return `${this.config.cache.keyPrefix}rl:unblock-epoch`;
  }

  private call<T>(promise: Promise<T>, what: string): Promise<T> {
    return withTimeout(promise, this.config.cache.timeoutMs, `redis rate-limit ${what}`);
  }

  /**
   * Counts one hit. With `probe`, a key Redis does not hold (first hit, expiry, or a Redis that
   * restarted empty) is not counted: the answer is null, so the caller can first restore a block
   * that PostgreSQL still holds.
   */
  hit(
    ip: string,
    endpoint: string,
    now: Date,
    ttlMs: number,
    limit: number,
    blockMs: number,
  ): Promise<HitResult>;
  hit(
    ip: string,
    endpoint: string,
    now: Date,
    ttlMs: number,
    limit: number,
    blockMs: number,
    probe: boolean,
  ): Promise<HitResult | null>;
  async hit(
    ip: string,
    endpoint: string,
    now: Date,
    ttlMs: number,
    limit: number,
    blockMs: number,
    probe = false,
  ): Promise<HitResult | null> {
    const options = {
      keys: [this.key(ip, endpoint), this.restoredKey],
      arguments: [
        String(now.getTime()),
        String(ttlMs),
        String(limit),
        String(blockMs),
        probe ? '1' : '0',
      ],
    };
    const reply = (await this.call(this.run(HIT, options), 'hit')) as number[];
    if (reply[0] === -1) return null;
    return { count: reply[0], resetMs: reply[1], blockedMs: reply[2], newBlock: reply[3] === 1 };
  }

  /** EVALSHA (the script is not resent on every call), falling back to EVAL once Redis lacks it. */
  private async run(
    { text, sha }: Script,
    options: { keys: string[]; arguments: string[] },
  ): Promise<unknown> {
    const client = this.redis.connection!.client;
    try {
      return await client.evalSha(sha, options);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return client.eval(text, options);
    }
  }

  async unblockEpoch(): Promise<string> {
    const client = this.redis.connection!.client;
    return (await this.call(client.get(this.epochKey), 'epoch')) ?? '0';
  }

  /** Restores a block known to PostgreSQL into Redis (after a Redis restart or flush). */
  async seedBlock(
    ip: string,
    endpoint: string,
    now: Date,
    blockedUntil: Date,
    count: number,
    epoch: string,
  ): Promise<boolean> {
    const reply = await this.call(
      this.run(SEED, {
        keys: [this.key(ip, endpoint), this.epochKey],
        arguments: [String(now.getTime()), String(count), String(blockedUntil.getTime()), epoch],
      }),
      'seed',
    );
    return reply === 1;
  }

  async markRestored(epoch: string, ttlMs: number): Promise<boolean> {
    const reply = await this.call(
      this.run(MARK, {
        keys: [this.restoredKey, this.epochKey],
        arguments: [epoch, String(ttlMs)],
      }),
      'mark restored',
    );
    return reply === 1;
  }

  async forgetRestored(): Promise<void> {
    if (!this.available) return;
    await this.call(this.redis.connection!.client.del(this.restoredKey), 'forget restored');
  }

  /** Deletes the client's keys and moves the unblock epoch on, in one transaction. */
  async clear(ip: string, endpoints: string[]): Promise<void> {
    if (!this.available || endpoints.length === 0) return;
    await this.call(
      this.redis
        .connection!.client.multi()
        .incr(this.epochKey)
        .del(endpoints.map((e) => this.key(ip, e)))
        .exec(),
      'clear',
    );
  }
}
