import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AuditService } from '#src/audit/audit.service.js';
import { Clock } from '#src/common/clock/clock.js';
import { AppError } from '#src/common/errors/app-error.js';
import { retryAfterUntil } from '#src/common/errors/retry-after.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { LoginThrottleRepository } from './login-throttle.repository.js';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

/** A claimed password check: settle it with `succeeded` or `failed`. */
export interface LoginClaim {
  key: string;
  failures: number;
}

/**
 * Login throttling per email (NIST SP 800-63B §5.2.2): LOGIN_MAX_FAILURES failed logins within
 * LOGIN_LOCKOUT_SECONDS of the last one, from any IPs, throttle the email until that window has
 * passed, whatever the password. Emails with no account are counted exactly the same way.
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger(LoginThrottleService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly normalizer: RecipientNormalizer,
    private readonly repo: LoginThrottleRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * The throttle key of a submitted email: normalised; an invalid one (which has no account, but
   * is throttled alike) trimmed, lower-cased and without control characters.
   */
  keyOf(rawEmail: string): string {
    try {
      return this.normalizer.normalize('email', rawEmail).value;
    } catch {
      return rawEmail.replace(CONTROL_CHARS, '').trim().toLowerCase();
    }
  }

  /** Claims one password check (counted as a failure until `succeeded`); LOGIN_THROTTLED if none is left. */
  async claim(rawEmail: string): Promise<LoginClaim> {
    const key = this.keyOf(rawEmail);
    const { maxFailures, lockoutSeconds } = this.config.login;
    const now = this.clock.now();
    const claimed = await this.repo.claim(key, now, lockoutSeconds, maxFailures);
    if (claimed) return { key, failures: claimed.failures };
    const until =
      (await this.repo.lockedUntil(key, now, lockoutSeconds, maxFailures)) ??
      new Date(now.getTime() + 1000); // lifted in between: a second is enough
    const retryAfter = retryAfterUntil(until, now);
    throw new AppError(
      'LOGIN_THROTTLED',
      `Too many failed logins for this email; try again in ${retryAfter} s`,
      { retryAfter },
    );
  }

  async succeeded(claim: LoginClaim): Promise<void> {
    await this.repo.reset(claim.key);
  }

  /** The claimed check failed; the one that reaches the limit is audited as login.throttled. */
  async failed(claim: LoginClaim, meta: RequestMetaData): Promise<void> {
    const { maxFailures, lockoutSeconds } = this.config.login;
    if (claim.failures !== maxFailures) return;
    const lockedUntil = new Date(this.clock.now().getTime() + lockoutSeconds * 1000);
    await this.audit.record({
      type: 'login.throttled',
      channel: 'email',
      recipient: claim.key,
      ip: meta.ip,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
      details: { failures: claim.failures, lockedUntil: lockedUntil.toISOString() },
    });
  }

  list(): Promise<{ email: string; lockedUntil: Date }[]> {
    const { maxFailures, lockoutSeconds } = this.config.login;
    return this.repo.list(this.clock.now(), lockoutSeconds, maxFailures);
  }

  /** Lifts the throttle of an email (as typed) at once; whether it was throttled. */
  unlock(rawEmail: string): Promise<boolean> {
    const { maxFailures, lockoutSeconds } = this.config.login;
    return this.repo.unlock(this.keyOf(rawEmail), this.clock.now(), lockoutSeconds, maxFailures);
  }

  @Interval('login-throttle-cleanup', 5 * 60_000)
  async purge(): Promise<void> {
    try {
      await this.repo.purgeIdle(this.clock.now(), this.config.login.lockoutSeconds);
    } catch (err) {
      this.logger.warn(`login throttle cleanup skipped: ${(err as Error).message}`);
    }
  }
}
