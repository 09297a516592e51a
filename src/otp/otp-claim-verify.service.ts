import { Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock/clock.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import type { Recipient } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { OtpAttemptClaimService } from './otp-attempt-claim.service.js';
import { OtpHasher } from './otp-hasher.js';
import { OtpVerifyOutcomeService } from './otp-verify-outcome.service.js';
import type { VerifyResult } from './otp-verify.types.js';
import { codeUsedError, replacedCodeError } from './otp.errors.js';
import {
  OtpAttemptStore,
  type AttemptSettlement,
  type ClaimedAttempt,
  type WrittenAuditEvent,
} from './otp.ports.js';

/**
 * Codes compared outside the database (PBKDF2, or an HMAC code the one-statement path could not
 * claim): claim an attempt (counted as a failure up front), compare off the event loop, then
 * settle it; each settling statement writes the outcome's audit rows with it.
 */
@Injectable()
export class OtpClaimVerifyService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly claims: OtpAttemptClaimService,
    private readonly attempts: OtpAttemptStore,
    private readonly hasher: OtpHasher,
    private readonly outcome: OtpVerifyOutcomeService,
  ) {}

  async verify(
    code: string,
    recipient: Recipient,
    purpose: string,
    meta: RequestMetaData,
    now: Date,
    claimFirst: boolean,
  ): Promise<VerifyResult> {
    const claim = await this.claims.claim(recipient, purpose, now, claimFirst);
    const to = recipient.value;
    const right = await this.compare(code, `${purpose}:${to}`, claim.codeHash, recipient, claim);
    const previous = claim.previous;
    if (
      !right &&
      previous &&
      (await this.compare(code, `${previous.purpose}:${to}`, previous.codeHash, recipient, claim))
    ) {
      // The replaced code: the claimed attempt is given back, nothing counted.
      await this.settle(recipient, purpose, meta, claim, (s) => this.attempts.settleStale(s));
      throw replacedCodeError();
    }
    this.outcome.compared(recipient.channel, claim.codeAttempts, right);
    if (right) {
      const used = await this.settle(recipient, purpose, meta, claim, (s) =>
        this.attempts.settleRight(s),
      );
      if (!used) throw codeUsedError();
      return this.outcome.verified(recipient, purpose, claim.verificationId);
    }
    const { maxFailedAttempts: max, lockoutSeconds } = this.config.otp;
    const lockedUntil =
      claim.failedAttempts >= max ? new Date(now.getTime() + lockoutSeconds * 1000) : null;
    await this.settle(recipient, purpose, meta, claim, (s) =>
      this.attempts.settleWrong(s, lockedUntil),
    );
    if (lockedUntil) throw await this.outcome.locked(recipient, lockedUntil, now);
    throw this.outcome.wrong(recipient.channel, claim.failedAttempts);
  }

  /** Runs a settling statement and reports the audit rows it wrote; false when it wrote none. */
  private async settle(
    recipient: Recipient,
    purpose: string,
    meta: RequestMetaData,
    claim: ClaimedAttempt,
    statement: (s: AttemptSettlement) => Promise<WrittenAuditEvent[] | null>,
  ): Promise<boolean> {
    const audit = this.outcome.auditRow(recipient, purpose, meta);
    const events = await statement({
      channel: recipient.channel,
      claim,
      now: this.clock.now(),
      maxFailures: this.config.otp.maxFailedAttempts,
      audit,
    });
    if (!events) return false;
    this.outcome.written(audit, events);
    return true;
  }

  /** Compares; when the hashing pool sheds the request (503), the claimed attempt is handed back. */
  private async compare(
    code: string,
    context: string,
    stored: string,
    recipient: Recipient,
    claim: ClaimedAttempt,
  ): Promise<boolean> {
    try {
      return await this.hasher.verify(code, context, stored);
    } catch (err) {
      await this.attempts.releaseAttempt(recipient.channel, claim);
      throw err;
    }
  }
}
