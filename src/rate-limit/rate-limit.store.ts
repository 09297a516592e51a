import { Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { AuditService } from '#src/audit/audit.service.js';
import { AppCache } from '#src/common/cache/app-cache.js';
import { Clock } from '#src/common/clock/clock.js';
import { BlockRestore } from './block-restore.js';
import { LocalBlockCache } from './local-block.cache.js';
import { DurableRateLimitCounter, VolatileRateLimitCounter } from './rate-limit-counter.js';
import type { HitResult } from './rate-limit.types.js';
import { UnblockBroadcast } from './unblock-broadcast.js';

/** Keys are `<endpoint>|<ip>` (see IpThrottleGuard.generateKey). */
export function splitKey(key: string): { endpoint: string; ip: string } {
  const i = key.lastIndexOf('|');
  return { endpoint: key.slice(0, i), ip: key.slice(i + 1) };
}

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * The throttler's storage, over the two RateLimitCounter ports (rate-limit-counter.ts): the
 * volatile one (Redis, one Lua script per hit) when it is configured and answering, the durable
 * one (PostgreSQL) otherwise. "Limited" is kept apart from "store failed": a Redis error falls back
 * to PostgreSQL, and only a database failure fails the request. Blocks are always written to
 * `ip_rate_limits` (so admins can list them and they survive a Redis flush) and audited.
 */
@Injectable()
export class RateLimitStore implements ThrottlerStorage {
  private readonly logger = new Logger(RateLimitStore.name);
  private lastWarn = 0;

  constructor(
    private readonly clock: Clock,
    private readonly redis: VolatileRateLimitCounter,
    private readonly pg: DurableRateLimitCounter,
    private readonly cache: AppCache,
    private readonly audit: AuditService,
    private readonly local: LocalBlockCache,
    private readonly broadcast: UnblockBroadcast,
    private readonly restore: BlockRestore,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<ThrottlerStorageRecord> {
    const { endpoint, ip } = splitKey(key);
    const now = this.clock.now();
    const hit = await this.hit(ip, endpoint, now, ttl, limit, blockDuration);
    if (hit.newBlock) {
      const blockedUntil = new Date(now.getTime() + hit.blockedMs);
      await this.cache.set(this.blockKey(endpoint, ip), blockedUntil.getTime(), hit.blockedMs);
      await this.audit.record({
        type: 'ip.blocked',
        ip,
        details: { endpoint, blockedUntil, requests: hit.count },
      });
    }
    if (hit.blockedMs > 0) this.local.remember(key, now.getTime() + hit.blockedMs);
    return {
      totalHits: hit.count,
      timeToExpire: seconds(hit.resetMs),
      isBlocked: hit.blockedMs > 0,
      timeToBlockExpire: seconds(hit.blockedMs),
    };
  }

  private async hit(
    ip: string,
    endpoint: string,
    now: Date,
    ttl: number,
    limit: number,
    block: number,
  ): Promise<HitResult> {
    if (this.redis.available) {
      try {
        let hit = await this.redis.hit(ip, endpoint, now, ttl, limit, block, true);
        if (!hit) {
          // Redis does not know this IP and endpoint and does not vouch that it holds every
          // block (boot, a restart or flush, a reconnect): restore them all in the background,
          // and meanwhile look this one up, since a block recorded in PostgreSQL still stands.
          void this.restore.start();
          const epoch = await this.redis.unblockEpoch();
          const blockedUntil = await this.pg.findBlock(ip, endpoint, now);
          if (blockedUntil) {
            await this.redis.seedBlock(ip, endpoint, now, blockedUntil, limit + 1, epoch);
            const blockedMs = blockedUntil.getTime() - now.getTime();
            return { count: limit + 1, resetMs: ttl, blockedMs, newBlock: false };
          }
          hit = await this.redis.hit(ip, endpoint, now, ttl, limit, block);
        }
        if (hit.newBlock) {
          await this.pg.recordBlock(
            ip,
            endpoint,
            now,
            new Date(now.getTime() + hit.blockedMs),
            hit.count,
          );
        }
        return hit;
      } catch (err) {
        this.warn(err);
      }
    }
    // Known-blocked IPs are refused from the cache without touching PostgreSQL.
    const cachedUntil = await this.cache.get<number>(this.blockKey(endpoint, ip));
    if (cachedUntil && cachedUntil > now.getTime()) {
      return {
        count: limit + 1,
        resetMs: 0,
        blockedMs: cachedUntil - now.getTime(),
        newBlock: false,
      };
    }
    const hit = await this.pg.hit(ip, endpoint, now, ttl, limit, block);
    // A block Redis never saw: it may no longer vouch for holding every block (if it answers).
    if (hit.newBlock) await this.redis.forgetRestored().catch(() => undefined);
    if (hit.blockedMs > 0 && !hit.newBlock) {
      await this.cache.set(
        this.blockKey(endpoint, ip),
        now.getTime() + hit.blockedMs,
        hit.blockedMs,
      );
    }
    return hit;
  }

  /** Lifts every block and counter of an IP, in PostgreSQL, Redis and the cache. */
  async unblock(ip: string): Promise<number> {
    const endpoints = await this.pg.unblock(ip, this.clock.now());
    this.local.forgetIp(ip);
    await Promise.all(endpoints.map((e) => this.cache.del(this.blockKey(e, ip))));
    try {
      await this.redis.clear(ip, endpoints);
      await this.broadcast.publish(ip);
    } catch (err) {
      this.warn(err);
    }
    return endpoints.length;
  }

  private blockKey(endpoint: string, ip: string): string {
    return `ipblock:${endpoint}|${ip}`;
  }

  private warn(err: unknown): void {
    if (Date.now() - this.lastWarn > 5_000) {
      this.lastWarn = Date.now();
      this.logger.warn(
        `redis rate-limit store unavailable, using PostgreSQL: ${(err as Error).message}`,
      );
    }
  }
}
