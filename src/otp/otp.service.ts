import { Injectable } from '@nestjs/common';
import { AuditService } from '#src/audit/audit.service.js';
import { Clock } from '#src/common/clock/clock.js';
import { RandomSource } from '#src/common/crypto/random-source.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { maskRecipient } from '#src/common/logging/mask.js';
import { RecipientNormalizer, type Channel } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig, type Locale } from '#src/config/app-config.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { NotificationService } from '#src/notification/notification.service.js';
import { SmsGuardService } from '#src/sms-guard/sms-guard.service.js';
import { OtpFastPath } from './otp-fast-path.js';
import { OtpHasher } from './otp-hasher.js';
import { otpAuditEvent } from './otp-audit-event.js';
import { allowedPurpose, explainSendRefusal } from './otp-refusal.js';
import { deliveryFailedError, refusalError } from './otp.errors.js';
import { OtpSendStore } from './otp.ports.js';

export interface SendInput {
  channel: Channel;
  to: string;
  purpose: string;
  locale?: Locale;
}

export interface SendResult {
  verificationId: string;
  channel: Channel;
  to: string;
  /** Normalised recipient, for callers inside the service (never returned over HTTP). */
  recipient: string;
  purpose: string;
  expiresAt: Date;
  resendAfter: Date;
}

export interface SendOptions {
  /**
   * false: a decoy. The same code row, cooldown and quota as a real send (a random code), but
   * nothing is delivered; audited as `otp.decoy_sent`. For flows where delivering would reveal
   * whether an account exists. Default true.
   */
  deliver?: boolean;
}

/** Sends codes for any purpose; every rule is enforced in PostgreSQL (OtpSendStore). */
@Injectable()
export class OtpService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly normalizer: RecipientNormalizer,
    private readonly repo: OtpSendStore,
    private readonly hasher: OtpHasher,
    private readonly fastPath: OtpFastPath,
    private readonly notifications: NotificationService,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly smsGuard: SmsGuardService,
  ) {}

  async send(
    input: SendInput,
    meta: RequestMetaData,
    options: SendOptions = {},
  ): Promise<SendResult> {
    const purpose = allowedPurpose(this.config.otp.purposes, input.purpose);
    const recipient = this.normalizer.normalize(input.channel, input.to);
    const { channel, value: to } = recipient;
    const now = this.clock.now();
    this.metrics.otpSendAttempts.inc({ channel });
    await this.smsGuard.check(recipient, purpose, meta);

    const cached = await this.fastPath.get(channel, to, now);
    if (cached) throw refusalError(cached.code, new Date(cached.until), now);

    const otp = this.config.otp;
    const code = this.random.digits(otp.length);
    const verificationId = this.random.uuid();
    const expiresAt = new Date(now.getTime() + otp.ttlSeconds * 1000);
    const cooldownUntil = new Date(now.getTime() + otp.sendCooldownSeconds * 1000);
    const claimed = await this.repo.claimSend({
      channel,
      recipient: to,
      purpose,
      codeHash: await this.hasher.hash(code, `${purpose}:${to}`),
      verificationId,
      now,
      expiresAt,
      cooldownUntil,
      maxSendsPerHour: otp.maxSendsPerHour,
    });
    if (!claimed) {
      const refusal = explainSendRefusal(
        await this.repo.findState(channel, to),
        now,
        this.config.otp,
      );
      await this.fastPath.remember(channel, to, refusal.code, refusal.until, now);
      throw refusalError(refusal.code, refusal.until, now);
    }

    if (options.deliver === false) {
      if (otp.sendCooldownSeconds > 0) {
        await this.fastPath.remember(channel, to, 'SEND_COOLDOWN', cooldownUntil, now);
      }
      await this.audit.record(
        otpAuditEvent('otp.decoy_sent', recipient, purpose, meta, { verificationId, decoy: true }),
      );
      const masked = maskRecipient(channel, to);
      return {
        verificationId,
        channel,
        to: masked,
        recipient: to,
        purpose,
        expiresAt,
        resendAfter: cooldownUntil,
      };
    }

    const delivery = await this.notifications.sendOtp({
      channel,
      to,
      code,
      purpose,
      locale: input.locale ?? this.config.notify.defaultLocale,
      ttlSeconds: otp.ttlSeconds,
      idempotencyKey: verificationId,
    });
    const outcomes = delivery.outcomes.map(({ provider, status, durationMs, error }) => ({
      provider,
      status,
      durationMs: Math.round(durationMs),
      error,
    }));
    if (!delivery.delivered) {
      await this.repo.releaseFailedSend(channel, to, verificationId, this.clock.now());
      await this.fastPath.forget(channel, to);
      this.metrics.otpEvents.inc({ channel, type: 'delivery_failed' });
      await this.audit.record(
        otpAuditEvent('otp.delivery_failed', recipient, purpose, meta, {
          verificationId,
          outcomes,
        }),
      );
      throw deliveryFailedError();
    }
    if (otp.sendCooldownSeconds > 0) {
      await this.fastPath.remember(channel, to, 'SEND_COOLDOWN', cooldownUntil, now);
    }
    this.metrics.otpEvents.inc({ channel, type: 'sent' });
    await this.smsGuard.recordSend(recipient);
    await this.audit.record(
      otpAuditEvent('otp.sent', recipient, purpose, meta, {
        verificationId,
        provider: delivery.provider,
        providerMessageId: delivery.providerMessageId,
        outcomes,
      }),
    );
    return {
      verificationId,
      channel,
      to: maskRecipient(channel, to),
      recipient: to,
      purpose,
      expiresAt,
      resendAfter: cooldownUntil,
    };
  }
}
