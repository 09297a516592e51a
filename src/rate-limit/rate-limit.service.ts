import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '../common/clock/clock.js';
import { PostgresRateLimitStore } from './postgres-rate-limit.store.js';
import { RateLimitStore } from './rate-limit.store.js';

/** IP blocks for the admin side, and housekeeping of the counters table. */
@Injectable()
export class RateLimitService {
  private readonly logger = new Logger(RateLimitService.name);

  constructor(
    private readonly clock: Clock,
    private readonly store: RateLimitStore,
    private readonly pg: PostgresRateLimitStore,
  ) {}

  listBlocks(): Promise<{ ip: string; endpoint: string; blockedUntil: Date }[]> {
    return this.pg.listBlocks(this.clock.now());
  }

  /** The IP can be used again at once on every endpoint; returns how many endpoints it had. */
  unblockIp(ip: string): Promise<number> {
    return this.store.unblock(ip);
  }

  @Interval('ip-rate-limit-cleanup', 10 * 60_000)
  async purgeStale(): Promise<void> {
    try {
      await this.pg.purgeStale(this.clock.now());
    } catch (err) {
      this.logger.warn(`cleanup skipped: ${(err as Error).message}`);
    }
  }
}
