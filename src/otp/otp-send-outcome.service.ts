import { Injectable } from '@nestjs/common';
import { AuditService } from '#src/audit/audit.service.js';
import type { AppError } from '#src/common/errors/app-error.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { maskRecipient } from '#src/common/logging/mask.js';
import { AppConfig } from '#src/config/app-config.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import type { DeliveryResult } from '#src/notification/notification.types.js';
import { SmsGuardService } from '#src/sms-guard/sms-guard.service.js';
import { otpAuditEvent } from './otp-audit-event.js';
import { OtpFastPath } from './otp-fast-path.js';
import type { ClaimedSend, SendResult } from './otp-send.types.js';
import { deliveryFailedError } from './otp.errors.js';

/**
 * What a claimed send ends as, recorded: the fast path's cooldown, the metrics, the SMS guard's
 * count and the audit event of a decoy, a delivered code or a failed delivery, and the answer.
 */
@Injectable()
export class OtpSendOutcomeService {
  constructor(
    private readonly config: AppConfig,
    private readonly fastPath: OtpFastPath,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly smsGuard: SmsGuardService,
  ) {}

  /** Nothing was delivered, on purpose: the same cooldown as a real send, `otp.decoy_sent`. */
  async decoy(sent: ClaimedSend, meta: RequestMetaData): Promise<SendResult> {
    await this.rememberCooldown(sent);
    await this.audit.record(
      otpAuditEvent('otp.decoy_sent', sent.recipient, sent.purpose, meta, {
        verificationId: sent.verificationId,
        decoy: true,
      }),
    );
    return answer(sent);
  }

  async delivered(
    sent: ClaimedSend,
    delivery: DeliveryResult,
    meta: RequestMetaData,
  ): Promise<SendResult> {
    await this.rememberCooldown(sent);
    this.metrics.otpEvents.inc({ channel: sent.recipient.channel, type: 'sent' });
    await this.smsGuard.recordSend(sent.recipient);
    await this.audit.record(
      otpAuditEvent('otp.sent', sent.recipient, sent.purpose, meta, {
        verificationId: sent.verificationId,
        provider: delivery.provider,
        providerMessageId: delivery.providerMessageId,
        outcomes: outcomesOf(delivery),
      }),
    );
    return answer(sent);
  }

  /** No provider accepted the code, already withdrawn from the store: no cooldown is left. */
  async failed(
    sent: ClaimedSend,
    delivery: DeliveryResult,
    meta: RequestMetaData,
  ): Promise<AppError> {
    const { channel, value: to } = sent.recipient;
    await this.fastPath.forget(channel, to);
    this.metrics.otpEvents.inc({ channel, type: 'delivery_failed' });
    await this.audit.record(
      otpAuditEvent('otp.delivery_failed', sent.recipient, sent.purpose, meta, {
        verificationId: sent.verificationId,
        outcomes: outcomesOf(delivery),
      }),
    );
    return deliveryFailedError();
  }

  private async rememberCooldown(sent: ClaimedSend): Promise<void> {
    if (this.config.otp.sendCooldownSeconds <= 0) return;
    const { channel, value: to } = sent.recipient;
    await this.fastPath.remember(channel, to, 'SEND_COOLDOWN', sent.cooldownUntil, sent.now);
  }
}

/** The caller's answer: the recipient masked for display, and in clear for callers inside. */
function answer(sent: ClaimedSend): SendResult {
  const { channel, value: to } = sent.recipient;
  return {
    verificationId: sent.verificationId,
    channel,
    to: maskRecipient(channel, to),
    recipient: to,
    purpose: sent.purpose,
    expiresAt: sent.expiresAt,
    resendAfter: sent.cooldownUntil,
  };
}

/** Each provider's outcome for the audit trail, durations in whole milliseconds. */
function outcomesOf(delivery: DeliveryResult) {
  return delivery.outcomes.map(({ provider, status, durationMs, error }) => ({
    provider,
    status,
    durationMs: Math.round(durationMs),
    error,
  }));
}
