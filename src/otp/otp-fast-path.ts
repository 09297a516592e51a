import { Injectable } from '@nestjs/common';
import { AppCache } from '../common/cache/app-cache.js';
import type { ErrorCode } from '../common/errors/app-error.js';
import type { Channel } from '../common/recipient/recipient-normalizer.js';
import { MetricsService } from '../metrics/metrics.service.js';

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
 */
@Injectable()
export class OtpFastPath {
  constructor(
    private readonly cache: AppCache,
    private readonly metrics: MetricsService,
  ) {}

  private key(channel: Channel, recipient: string): string {
    return `otp:block:${channel}:${recipient}`;
  }

  async get(channel: Channel, recipient: string, now: Date): Promise<Entry | undefined> {
    const e = await this.cache.get<Entry>(this.key(channel, recipient));
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
    await this.cache.set<Entry>(
      this.key(channel, recipient),
      { code, until: until.getTime() },
      until.getTime() - now.getTime(),
    );
  }

  async forget(channel: Channel, recipient: string): Promise<void> {
    await this.cache.del(this.key(channel, recipient));
  }
}
