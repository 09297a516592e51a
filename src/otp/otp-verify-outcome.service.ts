import { Injectable } from '@nestjs/common';
import type { NewAuditEventRow } from '#src/audit/audit-event.repository.js';
import { AuditService } from '#src/audit/audit.service.js';
import type { AppError } from '#src/common/errors/app-error.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import type { Channel, Recipient } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { SmsGuardService } from '#src/sms-guard/sms-guard.service.js';
import { otpAuditEvent } from './otp-audit-event.js';
import { OtpFastPath } from './otp-fast-path.js';
import { OtpTokenService } from './otp-token.service.js';
import type { VerifyResult } from './otp-verify.types.js';
import { codeInvalidError, refusalError } from './otp.errors.js';
import type { WrittenAuditEvent } from './otp.ports.js';

/**
 * What a settled verification means, the same on both verify paths: the token, metrics and
 * SMS-guard bookkeeping of a success, the lock or the wrong-code answer of a failure, and the
 * audit rows the settling statement wrote.
 */
@Injectable()
export class OtpVerifyOutcomeService {
  constructor(
    private readonly config: AppConfig,
    private readonly fastPath: OtpFastPath,
    private readonly tokens: OtpTokenService,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly smsGuard: SmsGuardService,
  ) {}

  /** The common part of the rows a settling statement writes (it sets type and details). */
  auditRow(recipient: Recipient, purpose: string, meta: RequestMetaData): NewAuditEventRow {
    return this.audit.prepare(otpAuditEvent('otp.verify_failed', recipient, purpose, meta, {}));
  }

  /** Tells the audit trail (its alert rules) about the rows a settling statement wrote. */
  written(row: NewAuditEventRow, events: WrittenAuditEvent[]): void {
    for (const e of events) {
      this.audit.stored({ ...row, type: e.type, details: e.details }, e.id);
    }
  }

  /** A code was compared: `attempt` is the comparison's number against this code. */
  compared(channel: Channel, attempt: number, right: boolean): void {
    this.metrics.observeVerify(channel, attempt, right);
  }

  async verified(
    recipient: Recipient,
    purpose: string,
    verificationId: string,
  ): Promise<VerifyResult> {
    const { channel, value: to } = recipient;
    this.metrics.otpEvents.inc({ channel, type: 'verified' });
    this.smsGuard.recordVerified(recipient);
    const { token, expiresAt } = await this.tokens.issue({ channel, to, purpose });
    return { verified: true, verificationToken: token, expiresAt, recipient: to, verificationId };
  }

  /** The recipient was locked by this failure: remembered on the fast path, answered 429. */
  async locked(recipient: Recipient, until: Date, now: Date): Promise<AppError> {
    await this.fastPath.remember(
      recipient.channel,
      recipient.value,
      'RECIPIENT_LOCKED',
      until,
      now,
    );
    this.metrics.otpEvents.inc({ channel: recipient.channel, type: 'locked' });
    return refusalError('RECIPIENT_LOCKED', until, now);
  }

  /** A wrong code short of the lock: `failures` in the window, this one included. */
  wrong(channel: Channel, failures: number): AppError {
    this.metrics.otpEvents.inc({ channel, type: 'verify_failed' });
    return codeInvalidError(this.config.otp.maxFailedAttempts - failures);
  }
}
