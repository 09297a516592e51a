import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AuditService } from '#src/audit/audit.service.js';
import { Clock } from '#src/common/clock/clock.js';
import { AppError } from '#src/common/errors/app-error.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { AppConfig } from '#src/config/app-config.js';
import { AdminAuthFailureRepository } from './admin-auth-failure.repository.js';

const WINDOW_MS = 60_000;
const WARN_EVERY_MS = 10_000;
const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Admin key check in constant time (both sides hashed to 32 bytes, every key compared). A
 * missing or wrong key answers 401 UNAUTHORIZED every time and a valid key is never refused,
 * whatever other requests did (API.md "Admin"): keys are long random secrets, so a failure
 * throttle would buy nothing and would let anyone sharing the admins' address lock them out.
 * Failures are counted per client and for all clients in one-minute windows; only the first
 * ADMIN_AUTH_MAX_FAILURES_PER_MINUTE per client, and ADMIN_AUTH_AUDIT_MAX_PER_MINUTE in all, are
 * written to the audit trail, so a flood cannot fill it. A spike of audited failures raises the
 * `admin_auth_failures` alert.
 */
@Injectable()
export class AdminAuthService {
  private readonly logger = new Logger('AdminAuth');
  private readonly keyDigests: Buffer[];
  private lastWarn = -Infinity;

  constructor(
    private readonly failures: AdminAuthFailureRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.keyDigests = config.security.adminApiKeys.map(sha256);
  }

  /** Resolves when the header carries a valid key; throws UNAUTHORIZED otherwise. */
  async authenticate(authorization: string | undefined, meta: RequestMetaData): Promise<void> {
    const presented = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (presented !== undefined && this.matches(presented)) return;
    await this.recordFailure(authorization === undefined ? 'missing' : 'invalid', meta);
    throw new AppError('UNAUTHORIZED', 'A valid admin key is required');
  }

  // Bookkeeping only: whatever happens here, the answer stays 401.
  private async recordFailure(reason: 'missing' | 'invalid', meta: RequestMetaData) {
    try {
      const counts = await this.failures.recordFailure(meta.ip, this.clock.now(), WINDOW_MS);
      const { adminAuthFailuresPerMinute, adminAuthAuditPerMinute } = this.config.rateLimit;
      if (counts.client > adminAuthFailuresPerMinute || counts.all > adminAuthAuditPerMinute) {
        return;
      }
      await this.audit.record({
        type: 'admin.auth_failed',
        ip: meta.ip,
        userAgent: meta.userAgent,
        requestId: meta.requestId,
        details: { reason, failures: counts.client },
      });
    } catch (err) {
      if (performance.now() - this.lastWarn < WARN_EVERY_MS) return;
      this.lastWarn = performance.now();
      this.logger.warn(`admin auth failure not recorded: ${(err as Error).name}`);
    }
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
}
