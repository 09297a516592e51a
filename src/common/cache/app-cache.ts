import { Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { withTimeout } from './redis-connection.js';

/**
 * The cache as a best-effort fast path. Every operation has a deadline; a failure is a miss (get)
 * or a no-op (set/del), logged, never thrown: PostgreSQL stays the authority.
 */
export class AppCache {
  private readonly logger = new Logger('Cache');
  private lastWarn = 0;

  constructor(
    private readonly cache: Cache,
    private readonly timeoutMs: number,
    readonly kind: 'memory' | 'redis',
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const v = await withTimeout(this.cache.get<T>(key), this.timeoutMs, 'cache get');
      return v ?? undefined;
    } catch (err) {
      this.warn(err);
      return undefined;
    }
  }

  async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    try {
      await withTimeout(this.cache.set(key, value, ttlMs), this.timeoutMs, 'cache set');
    } catch (err) {
      this.warn(err);
    }
  }

  async del(key: string): Promise<void> {
    try {
      await withTimeout(this.cache.del(key), this.timeoutMs, 'cache del');
    } catch (err) {
      this.warn(err);
    }
  }

  /** Round-trips a probe key; used by the readiness check. Throws when the cache is unusable. */
  async probe(): Promise<void> {
    const key = `health:probe:${process.pid}`;
    await withTimeout(this.cache.set(key, 1, 5_000), this.timeoutMs, 'cache probe');
    const v = await withTimeout(this.cache.get<number>(key), this.timeoutMs, 'cache probe');
    if (v !== 1) throw new Error('cache probe read back nothing');
  }

  private warn(err: unknown): void {
    if (Date.now() - this.lastWarn > 5_000) {
      this.lastWarn = Date.now();
      this.logger.warn(`cache unavailable, falling back: ${(err as Error).message}`);
    }
  }
}
