import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '#src/common/clock/clock.js';
import { validationError } from '#src/common/errors/app-error.js';
import { AppConfig } from '#src/config/app-config.js';
import { clientKeyFromInput } from '#src/common/http/client-key.js';
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
    private readonly config: AppConfig,
  ) {}

  /**
   * The client key an admin means by `input`: any address of the client, or its network text
   * (`/32` for IPv4, `/IP_V6_PREFIX` for IPv6). Throws VALIDATION_FAILED otherwise.
   */
  clientOf(input: string): string {
    const prefix = this.config.rateLimit.ipV6Prefix;
    const key = clientKeyFromInput(input, prefix);
    if (key === null) {
      const problem = `must be an IP address, or its network (IPv4 /32, IPv6 /${prefix})`;
      throw validationError([{ field: 'ip', problem }], `ip ${problem}`);
    }
    return key;
  }

  listBlocks(): Promise<{ ip: string; endpoint: string; blockedUntil: Date }[]> {
    return this.pg.listBlocks(this.clock.now());
  }

  /**
   * The client (any address of it, or its network text) can be used again at once on every
   * endpoint; returns how many endpoints it had.
   */
  unblockIp(ip: string): Promise<number> {
    return this.store.unblock(this.clientOf(ip));
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
