import { Injectable } from '@nestjs/common';
import type { Recipient } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { OtpFastPath } from './otp-fast-path.js';
import { explainVerifyRefusal } from './otp-refusal.js';
import { codeExpiredError, noActiveCodeError, refusalError } from './otp.errors.js';
import { OtpAttemptStore, OtpStateStore, type ClaimedAttempt } from './otp.ports.js';

/** How many times a claim is retried when the state moved on between a refusal and its reading. */
const CLAIM_RETRIES = 3;

/**
 * Claims an attempt for a comparison made outside the database, or refuses with the reason read
 * from the recipient's state: locked, expired, or no code. A refused claim is explained from a
 * fresh read; if that read allows a claim (the state moved on in between), it claims again.
 */
@Injectable()
export class OtpAttemptClaimService {
  constructor(
    private readonly config: AppConfig,
    private readonly attempts: OtpAttemptStore,
    private readonly state: OtpStateStore,
    private readonly fastPath: OtpFastPath,
  ) {}

  /** `claimFirst` false: a claim was just refused elsewhere (the HMAC statement); explain first. */
  async claim(
    recipient: Recipient,
    purpose: string,
    now: Date,
    claimFirst: boolean,
  ): Promise<ClaimedAttempt> {
    const { maxFailedAttempts: max, lockoutSeconds } = this.config.otp;
    const tryClaim = () =>
      this.attempts.claimAttempt(
        recipient.channel,
        recipient.value,
        purpose,
        now,
        lockoutSeconds,
        max,
      );
    let claim = claimFirst ? await tryClaim() : null;
    for (let retry = 0; !claim && retry < CLAIM_RETRIES; retry++) {
      await this.refuse(recipient, purpose, now);
      claim = await tryClaim();
    }
    if (!claim) throw noActiveCodeError();
    return claim;
  }

  /** Throws why no attempt can be claimed now; returns when the state allows one. */
  private async refuse(recipient: Recipient, purpose: string, now: Date): Promise<void> {
    const { channel, value: to } = recipient;
    const state = await this.state.findState(channel, to);
    const refusal = explainVerifyRefusal(state, purpose, now, this.config.otp);
    if (!refusal) return;
    if (refusal.code === 'RECIPIENT_LOCKED') {
      // Only a real lock is remembered: attempts merely in flight may still end in a success,
      // which resets the failures (caching it would lock the recipient out for the window).
      if (!refusal.inFlight) {
        await this.fastPath.remember(channel, to, refusal.code, refusal.until, now);
      }
      throw refusalError(refusal.code, refusal.until, now);
    }
    throw refusal.code === 'CODE_EXPIRED' ? codeExpiredError() : noActiveCodeError();
  }
}
