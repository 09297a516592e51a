import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import KeyvRedis from '@keyv/redis';
import { createCache } from 'cache-manager';
import { CacheableMemory } from 'cacheable';
import { Keyv } from 'keyv';
import { AppConfig } from '#src/config/app-config.js';
import { AppCache } from './app-cache.js';
import { RedisConnection } from './redis-connection.js';

/** Present only when REDIS_URL is set; `RedisHandle.connection` is null otherwise. */
export class RedisHandle implements OnApplicationShutdown {
  constructor(readonly connection: RedisConnection | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection?.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: RedisHandle,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new RedisHandle(config.cache.redisUrl ? new RedisConnection(config.cache.redisUrl) : null),
    },
    {
      provide: AppCache,
      inject: [AppConfig, RedisHandle],
      useFactory: (config: AppConfig, redis: RedisHandle) => {
        const store = redis.connection
          ? new Keyv({
              store: new KeyvRedis(redis.connection.client),
              namespace: config.cache.keyPrefix,
              useKeyPrefix: true,
            })
          : new Keyv({ store: new CacheableMemory({ lruSize: 100_000, checkInterval: 60_000 }) });
        store.on('error', () => undefined); // surfaced through AppCache's own handling
        return new AppCache(
          createCache({ stores: [store] }),
          config.cache.timeoutMs,
          redis.connection ? 'redis' : 'memory',
        );
      },
    },
  ],
  exports: [AppCache, RedisHandle],
})
export class CacheModule {}
