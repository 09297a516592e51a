import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { RedisClientType } from '@redis/client';
import { RedisHandle } from '#src/common/cache/cache.module.js';
import { withTimeout } from '#src/common/cache/redis-connection.js';
import { AppConfig } from '#src/config/app-config.js';
import { LocalBlockCache } from './local-block.cache.js';

/**
 * Tells every instance sharing the Redis that a client was unblocked, so each drops the blocks
 * its LocalBlockCache remembers for it at once instead of refusing for up to its freshness time.
 * Without Redis there is one process (the cluster refuses several workers without REDIS_URL) and
 * the unblocking instance clears its own memory; while Redis is down a missed message only means
 * that freshness time.
 */
@Injectable()
export class UnblockBroadcast implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UnblockBroadcast.name);
  private readonly channel: string;
  private subscriber: RedisClientType | null = null;

  constructor(
    private readonly redis: RedisHandle,
    private readonly local: LocalBlockCache,
    private readonly config: AppConfig,
  ) {
    this.channel = `${config.cache.keyPrefix}rl:unblocked`;
  }

  onApplicationBootstrap(): void {
    const connection = this.redis.connection;
    if (!connection) return;
    // Its own connection (a subscribed client can do nothing else); commands queue while it
    // connects, and it resubscribes by itself after a reconnect.
    const sub = connection.client.duplicate({ disableOfflineQueue: false });
    sub.on('error', () => undefined); // the shared connection already reports outages
    this.subscriber = sub;
    sub.connect().catch(() => undefined);
    sub
      .subscribe(this.channel, (client) => this.local.forgetIp(client))
      .catch((err: unknown) => this.logger.warn(`unblock subscription failed: ${String(err)}`));
  }

  /** Publishes an unblock to every instance (this one included). Throws when Redis fails. */
  async publish(client: string): Promise<void> {
    const connection = this.redis.connection;
    if (!connection?.ready) return;
    await withTimeout(
      connection.client.publish(this.channel, client),
      this.config.cache.timeoutMs,
      'redis unblock publish',
    );
  }

  // A subscriber has nothing to flush: drop it at once, even while Redis is unreachable.
  onApplicationShutdown(): void {
    if (this.subscriber?.isOpen) this.subscriber.destroy();
    this.subscriber = null;
  }
}
