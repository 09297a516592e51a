import { Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock/clock.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { AppConfig, type Locale } from '#src/config/app-config.js';
import { NotificationService } from '#src/notification/notification.service.js';
import { OtpSendOutcomeService } from './otp-send-outcome.service.js';
import type { ClaimedSend, SendResult } from './otp-send.types.js';
import { OtpSendStore } from './otp.ports.js';

/**
 * Delivers a claimed code through NotificationService (its providers fail over). When none
 * accepts it, the code is handed back to the store, with its cooldown, so a retry may come at
 * once (the send still counts toward the hourly quota), and DELIVERY_FAILED is thrown.
 */
@Injectable()
export class OtpSendDeliveryService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly notifications: NotificationService,
    private readonly store: OtpSendStore,
    private readonly outcome: OtpSendOutcomeService,
  ) {}

  async deliver(
    sent: ClaimedSend,
    locale: Locale | undefined,
    meta: RequestMetaData,
  ): Promise<SendResult> {
    const { channel, value: to } = sent.recipient;
    const delivery = await this.notifications.sendOtp({
      channel,
      to,
      code: sent.code,
      purpose: sent.purpose,
      locale: locale ?? this.config.notify.defaultLocale,
      ttlSeconds: this.config.otp.ttlSeconds,
      idempotencyKey: sent.verificationId,
    });
    if (delivery.delivered) return this.outcome.delivered(sent, delivery, meta);
    await this.store.releaseFailedSend(channel, to, sent.verificationId, this.clock.now());
    throw await this.outcome.failed(sent, delivery, meta);
  }
}
