import { Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock/clock.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { SmsGuardService } from '#src/sms-guard/sms-guard.service.js';
import { OtpFastPath } from './otp-fast-path.js';
import { allowedPurpose } from './otp-refusal.js';
import type { AdmittedSend, SendInput } from './otp-send.types.js';
import { refusalError } from './otp.errors.js';

/**
 * Whether a send may be tried at all, before any database write: the purpose is one of
 * OTP_PURPOSES, the recipient normalises, the SMS guard lets it through, and the fast path knows
 * of no lock, cooldown or quota on it. The database stays the authority (OtpSendClaimService).
 */
@Injectable()
export class OtpSendPolicyService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly normalizer: RecipientNormalizer,
    private readonly metrics: MetricsService,
    private readonly smsGuard: SmsGuardService,
    private readonly fastPath: OtpFastPath,
  ) {}

  /** The send to try; throws VALIDATION_FAILED, INVALID_RECIPIENT, the guard's or a 429. */
  async admit(input: SendInput, meta: RequestMetaData): Promise<AdmittedSend> {
    const purpose = allowedPurpose(this.config.otp.purposes, input.purpose);
    const recipient = this.normalizer.normalize(input.channel, input.to);
    const now = this.clock.now();
    // Counted once the request names a valid recipient, refused or not.
    this.metrics.otpSendAttempts.inc({ channel: recipient.channel });
    await this.smsGuard.check(recipient, purpose, meta);

    const cached = await this.fastPath.get(recipient.channel, recipient.value, now);
    if (cached) throw refusalError(cached.code, new Date(cached.until), now);
    return { recipient, purpose, now };
  }
}
