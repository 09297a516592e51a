import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock/clock.js';
import { AppError } from '../common/errors/app-error.js';
import type { RequestMetaData } from '../common/http/request-meta.js';
import { AppConfig } from '../config/app-config.js';
import { AdminAuthFailureRepository } from './admin-auth-failure.repository.js';

const WINDOW_MS = 60_000;
const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Admin key check in constant time (both sides hashed to 32 bytes, every key compared), with a
 * per-IP throttle on failures kept in the database: after ADMIN_AUTH_MAX_FAILURES_PER_MINUTE
 * failures in a window, every attempt from that IP answers 429 until the window ends.
 */
@Injectable()
export class AdminAuthService {
  private readonly logger = new Logger('AdminAuth');
  private readonly keyDigests: Buffer[];

  constructor(
    private readonly failures: AdminAuthFailureRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.keyDigests = config.security.adminApiKeys.map(sha256);
  }

  /** Resolves when the header carries a valid key; throws UNAUTHORIZED or IP_RATE_LIMITED. */
  async authenticate(authorization: string | undefined, meta: RequestMetaData): Promise<void> {
    const now = this.clock.now();
    const limit = this.config.rateLimit.adminAuthFailuresPerMinute;
    const open = await this.failures.findOpen(meta.ip, now, WINDOW_MS);
    if (open && open.failures >= limit) throw this.limited(open.windowStartedAt, now);

    const presented = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (presented !== undefined && this.matches(presented)) return;

    const window = await this.failures.recordFailure(meta.ip, now, WINDOW_MS);
    await this.audit.record({
      type: 'admin.auth_failed',
      ip: meta.ip,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
      details: {
        reason: authorization === undefined ? 'missing' : 'invalid',
        failures: window.failures,
      },
    });
    if (window.failures > limit) throw this.limited(window.windowStartedAt, now);
    throw new AppError('UNAUTHORIZED', 'A valid admin key is required');
  }

  @Interval('admin-auth-failures-cleanup', 10 * 60_000)
  async purgeStale(): Promise<void> {
    try {
      await this.failures.purgeBefore(new Date(this.clock.now().getTime() - 10 * WINDOW_MS));
    } catch (err) {
      this.logger.warn(`cleanup skipped: ${(err as Error).message}`);
    }
  }

  private matches(presented: string): boolean {
    const digest = sha256(presented);
    let ok = false;
    for (const key of this.keyDigests) ok = timingSafeEqual(digest, key) || ok;
    return ok;
  }

  private limited(windowStartedAt: Date, now: Date): AppError {
    const ms = windowStartedAt.getTime() + WINDOW_MS - now.getTime();
    const retryAfter = Math.max(1, Math.ceil(ms / 1000));
    return new AppError('IP_RATE_LIMITED', 'Too many failed admin authentications', {
      retryAfter,
    });
  }
}
