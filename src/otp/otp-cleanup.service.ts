import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '#src/common/clock/clock.js';
import { AppConfig } from '#src/config/app-config.js';
import { OtpAdminRepository } from './otp-admin.repository.js';
import { UsedTokenRepository } from './used-token.repository.js';

/** Keeps OTP tables bounded: removes idle recipient rows and expired token ids. */
@Injectable()
export class OtpCleanupService {
  private readonly logger = new Logger(OtpCleanupService.name);
  private running = false;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repo: OtpAdminRepository,
    private readonly usedTokens: UsedTokenRepository,
  ) {}

  @Interval('otp-cleanup', 5 * 60_000)
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.run();
    } catch (err) {
      this.logger.warn(`cleanup skipped: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  async run(): Promise<number> {
    const now = this.clock.now();
    await this.usedTokens.purgeExpired(now);
    return this.repo.purgeIdle(now, this.config.otp.lockoutSeconds);
  }
}
