import { Injectable } from '@nestjs/common';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import type { Recipient } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { OtpHasher } from './otp-hasher.js';
import { OtpVerifyOutcomeService } from './otp-verify-outcome.service.js';
import type { VerifyResult } from './otp-verify.types.js';
import { replacedCodeError } from './otp.errors.js';
import { OtpHmacVerifyStore } from './otp.ports.js';

/**
 * HMAC codes: claim, compare, settle and audit in one statement (OtpHmacVerifyStore), so the
 * outcome and its audit rows commit together and parallel guesses serialise on the row lock.
 */
@Injectable()
export class OtpHmacVerifyService {
  constructor(
    private readonly config: AppConfig,
    private readonly hasher: OtpHasher,
    private readonly store: OtpHmacVerifyStore,
    private readonly outcome: OtpVerifyOutcomeService,
  ) {}

  /**
   * The verification's result, or its refusal thrown. Null when the statement found nothing to
   * claim (the claim path then explains why) or codes are hashed with PBKDF2.
   */
  async verify(
    code: string,
    recipient: Recipient,
    purpose: string,
    meta: RequestMetaData,
    now: Date,
  ): Promise<VerifyResult | null> {
    const { channel, value: to } = recipient;
    const candidates = this.hasher.hmacCandidates(code, `${purpose}:${to}`);
    if (!candidates) return null;
    const staleCandidates = this.config.otp.purposes.flatMap((p) =>
      p === purpose ? candidates : (this.hasher.hmacCandidates(code, `${p}:${to}`) ?? []),
    );
    const { maxFailedAttempts: max, lockoutSeconds } = this.config.otp;
    const audit = this.outcome.auditRow(recipient, purpose, meta);
    const r = await this.store.verifyHmac({
      channel,
      recipient: to,
      purpose,
      candidates,
      staleCandidates,
      now,
      lockoutSeconds,
      maxFailures: max,
      audit,
    });
    if (!r) return null;
    this.outcome.written(audit, r.events);
    if (r.stale) throw replacedCodeError();
    this.outcome.compared(channel, r.codeAttempts, r.matched);
    if (r.matched) {
      // Set whenever the code matched (only a stale outcome may have none).
      return this.outcome.verified(recipient, purpose, r.verificationId ?? '');
    }
    if (r.lockedUntil && r.failedAttempts >= max) {
      throw await this.outcome.locked(recipient, r.lockedUntil, now);
    }
    throw this.outcome.wrong(channel, r.failedAttempts);
  }
}
