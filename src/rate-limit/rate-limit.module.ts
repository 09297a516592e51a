import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from '#src/audit/audit.module.js';
import { AppConfig } from '#src/config/app-config.js';
import { BlockRestore } from './block-restore.js';
import { IpThrottleGuard } from './ip-throttle.guard.js';
import { LocalBlockCache } from './local-block.cache.js';
import { PostgresRateLimitStore } from './postgres-rate-limit.store.js';
import { DurableRateLimitCounter, VolatileRateLimitCounter } from './rate-limit-counter.js';
import { RateLimitService } from './rate-limit.service.js';
import { RateLimitStore } from './rate-limit.store.js';
import { RedisRateLimitStore } from './redis-rate-limit.store.js';
import { UnblockBroadcast } from './unblock-broadcast.js';

@Module({
  imports: [AuditModule],
  providers: [
    PostgresRateLimitStore,
    RedisRateLimitStore,
    { provide: DurableRateLimitCounter, useExisting: PostgresRateLimitStore },
    { provide: VolatileRateLimitCounter, useExisting: RedisRateLimitStore },
    RateLimitStore,
    BlockRestore,
    LocalBlockCache,
    UnblockBroadcast,
  ],
  exports: [RateLimitStore, PostgresRateLimitStore, LocalBlockCache],
})
class RateLimitStoreModule {}

@Module({
  imports: [
    RateLimitStoreModule,
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStoreModule],
      inject: [AppConfig, RateLimitStore],
      useFactory: (config: AppConfig, storage: RateLimitStore) => ({
        storage,
        throttlers: [
          {
            name: 'send',
            limit: config.rateLimit.sendPerMinute,
            ttl: 60_000,
            blockDuration: config.rateLimit.blockSeconds * 1000,
          },
          {
            name: 'verify',
            limit: config.rateLimit.verifyPerMinute,
            ttl: 60_000,
            blockDuration: config.rateLimit.blockSeconds * 1000,
          },
        ],
      }),
    }),
  ],
  providers: [RateLimitService, IpThrottleGuard],
  exports: [RateLimitService, IpThrottleGuard],
})
export class RateLimitModule {}
