import { Injectable, Logger } from '@nestjs/common';
import { AppCache } from '#src/common/cache/app-cache.js';
import { RedisHandle } from '#src/common/cache/cache.module.js';
import { withTimeout } from '#src/common/cache/redis-connection.js';
import type { ErrorCode } from '#src/common/errors/app-error.js';
import type { Channel } from '#src/common/recipient/recipient-normalizer.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { AppConfig } from '#src/config/app-config.js';

export type RecipientBlockCode = Extract<
  ErrorCode,
  'RECIPIENT_LOCKED' | 'SEND_COOLDOWN' | 'SEND_QUOTA_EXCEEDED'
>;

interface Entry {
  code: RecipientBlockCode;
  until: number;
}

/**
 * Remembers recipients known to be locked or cooling down, so floods on them are refused without
 * a database round trip. Advisory only: PostgreSQL stays the authority, and a cache outage just
 * means every request goes to the database.
 *
 * With Redis, one plain GET/SET/DEL on the shared client (the value is `<code> <until ms>`), under
 * the cache's deadline: no cache-manager/Keyv layers or JSON on the hot path. Without Redis, the
 * in-process cache.
 */
@Injectable()
export class OtpFastPath {
  private readonly logger = new Logger('OtpFastPath');
  private lastWarn = 0;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly cache: AppCache,
    private readonly redis: RedisHandle,
    config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.prefix = config.cache.keyPrefix;
    this.timeoutMs = config.cache.timeoutMs;
  }

  private key(channel: Channel, recipient: string): string {
    return `otp:block:${channel}:${recipient}`;
  }

  async get(channel: Channel, recipient: string, now: Date): Promise<Entry | undefined> {
    const key = this.key(channel, recipient);
    const conn = this.redis.connection;
    let e: Entry | undefined;
    if (conn) {
      const raw = await this.redisCall(() => conn.client.get(this.prefix + key), 'get');
      e = raw ? parseEntry(raw) : undefined;
    } else {
      e = await this.cache.get<Entry>(key);
    }
    const hit = e && e.until > now.getTime() ? e : undefined;
    this.metrics.fastPathLookups.inc({ result: hit ? 'hit' : 'miss' });
    return hit;
  }

  async remember(
    channel: Channel,
    recipient: string,
    code: RecipientBlockCode,
    until: Date,
    now: Date,
  ): Promise<void> {
    const key = this.key(channel, recipient);
    const ttlMs = until.getTime() - now.getTime();
    if (ttlMs <= 0) return;
    const conn = this.redis.connection;
    if (conn) {
      await this.redisCall(
        () => conn.client.set(this.prefix + key, `${code} ${until.getTime()}`, { PX: ttlMs }),
        'set',
      );
      return;
    }
    await this.cache.set<Entry>(key, { code, until: until.getTime() }, ttlMs);
  }

  async forget(channel: Channel, recipient: string): Promise<void> {
    const key = this.key(channel, recipient);
    const conn = this.redis.connection;
    if (conn) {
      await this.redisCall(() => conn.client.del(this.prefix + key), 'del');
      return;
    }
    await this.cache.del(key);
  }

  /** A failed or late Redis call is a miss or a no-op (logged at most every 5 s), never an error. */
  private async redisCall<T>(call: () => Promise<T>, what: string): Promise<T | undefined> {
    try {
      if (!this.redis.connection?.ready) throw new Error('not connected');
      return await withTimeout(call(), this.timeoutMs, `fast path ${what}`);
    } catch (err) {
      if (Date.now() - this.lastWarn > 5_000) {
        this.lastWarn = Date.now();
        this.logger.warn(`cache unavailable, falling back: ${(err as Error).message}`);
      }
      return undefined;
    }
  }
}

const CODES = new Set<string>(['RECIPIENT_LOCKED', 'SEND_COOLDOWN', 'SEND_QUOTA_EXCEEDED']);

function parseEntry(raw: string): Entry | undefined {
  const [code, until] = raw.split(' ');
  const ms = Number(until);
  return CODES.has(code) && Number.isFinite(ms)
    ? { code: code as RecipientBlockCode, until: ms }
    : undefined;
}
