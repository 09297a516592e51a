import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { RedisHandle } from '#src/common/cache/cache.module.js';
import { withTimeout } from '#src/common/cache/redis-connection.js';
import { AppConfig } from '#src/config/app-config.js';
import { SmsBreakerRepository, type PrefixCounts } from './sms-breaker.repository.js';

// A window is counted in BUCKETS buckets of a tenth of it: the totals cover the current bucket
// and the nine before it (between 90 % and 100 % of the window).
const BUCKETS = 10;
const MAX_PENDING_PREFIXES = 10_000;

// One atomic step per delivered code: add to the current bucket, drop buckets that left the
// window, return the totals. Fields are s<bucket> (sends) and v<bucket> (verified).
const COUNT_SCRIPT = `
local b = tonumber(ARGV[1]); local n = tonumber(ARGV[2])
local addS = tonumber(ARGV[3]); local addV = tonumber(ARGV[4])
if addS > 0 then redis.call('HINCRBY', KEYS[1], 's' .. b, addS) end
if addV > 0 then redis.call('HINCRBY', KEYS[1], 'v' .. b, addV) end
local all = redis.call('HGETALL', KEYS[1])
local s = 0; local v = 0
for i = 1, #all, 2 do
  local f = all[i]; local bk = tonumber(string.sub(f, 2))
  if bk <= b - n then redis.call('HDEL', KEYS[1], f)
  elseif string.sub(f, 1, 1) == 's' then s = s + tonumber(all[i + 1])
  else v = v + tonumber(all[i + 1]) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {s, v}
`;
const COUNT_SCRIPT_SHA = createHash('sha1').update(COUNT_SCRIPT).digest('hex');

/**
 * The breaker's rolling counts of codes sent and verified per destination prefix: in Redis (one
 * Lua script per delivered code) when REDIS_URL is set, in PostgreSQL (one upsert) otherwise.
 * Verifications are buffered in memory and folded into the next count of their prefix, or
 * flushed by `flush()` (called every second), so the verify request never waits for them.
 * A store failure is a null count: the breaker fails open.
 */
@Injectable()
export class BreakerCounter {
  private readonly logger = new Logger('SmsBreaker');
  private readonly pending = new Map<string, number>();
  private lastWarn = 0;

  constructor(
    private readonly redis: RedisHandle,
    private readonly repo: SmsBreakerRepository,
    private readonly config: AppConfig,
  ) {}

  private get bucketMs(): number {
    return Math.ceil((this.config.smsGuard.windowSeconds * 1000) / BUCKETS);
  }

  private bucketOf(now: Date): number {
    return Math.floor(now.getTime() / this.bucketMs);
  }

  /** Counts one delivered code (and the verifications buffered for its prefix); null on failure. */
  async countSend(prefix: string, now: Date): Promise<PrefixCounts | null> {
    const verified = this.pending.get(prefix) ?? 0;
    this.pending.delete(prefix);
    try {
      return await this.add(prefix, now, { sends: 1, verified });
    } catch (err) {
      this.warn(err);
      return null;
    }
  }

  /** Remembers one verification; it reaches the store with the next count or flush. */
  noteVerified(prefix: string): void {
    if (!this.pending.has(prefix) && this.pending.size >= MAX_PENDING_PREFIXES) return;
    this.pending.set(prefix, (this.pending.get(prefix) ?? 0) + 1);
  }

  /** Writes every buffered verification (Redis: one script per prefix; PostgreSQL: one statement). */
  async flush(now: Date): Promise<void> {
    if (this.pending.size === 0) return;
    const entries = [...this.pending];
    this.pending.clear();
    try {
      if (this.redis.connection) {
        await Promise.all(entries.map(([p, v]) => this.add(p, now, { sends: 0, verified: v })));
      } else {
        await this.repo.addVerified(this.bucketOf(now), entries);
      }
    } catch (err) {
      this.warn(err);
    }
  }

  /** Starts a new window for a prefix (its breaker opened or closed). */
  async reset(prefix: string): Promise<void> {
    this.pending.delete(prefix);
    try {
      if (this.redis.connection) {
        await withTimeout(
          this.redis.connection.client.del(this.key(prefix)),
          this.config.cache.timeoutMs,
          'redis breaker reset',
        );
      } else {
        await this.repo.resetCounts(prefix);
      }
    } catch (err) {
      this.warn(err);
    }
  }

  /** Drops PostgreSQL buckets that left the window (Redis keys expire by themselves). */
  async purge(now: Date): Promise<void> {
    if (this.redis.connection) return;
    await this.repo.purgeCounts(this.bucketOf(now) - BUCKETS);
  }

  private async add(prefix: string, now: Date, add: PrefixCounts): Promise<PrefixCounts> {
    const bucket = this.bucketOf(now);
    const connection = this.redis.connection;
    if (!connection) return this.repo.count(prefix, bucket, bucket - BUCKETS, add);
    if (!connection.ready) throw new Error('redis not connected');
    const options = {
      keys: [this.key(prefix)],
      arguments: [
        String(bucket),
        String(BUCKETS),
        String(add.sends),
        String(add.verified),
        String(this.bucketMs * (BUCKETS + 1)),
      ],
    };
    const reply = (await withTimeout(
      this.run(options),
      this.config.cache.timeoutMs,
      'redis breaker count',
    )) as number[];
    return { sends: Number(reply[0]), verified: Number(reply[1]) };
  }

  private async run(options: { keys: string[]; arguments: string[] }): Promise<unknown> {
    const client = this.redis.connection!.client;
    try {
      return await client.evalSha(COUNT_SCRIPT_SHA, options);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return client.eval(COUNT_SCRIPT, options);
    }
  }

  private key(prefix: string): string {
    return `${this.config.cache.keyPrefix}brk:${prefix}`;
  }

  // At most one line every 5 s while a store is failing; the breaker fails open meanwhile.
  private warn(err: unknown): void {
    if (Date.now() - this.lastWarn > 5_000) {
      this.lastWarn = Date.now();
      this.logger.warn(`breaker counts unavailable, failing open: ${(err as Error).message}`);
    }
  }
}
