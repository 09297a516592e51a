import { Injectable } from '@nestjs/common';
import { RandomSource } from '#src/common/crypto/random-source.js';
import type { AppError } from '#src/common/errors/app-error.js';
import type { Channel } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { OtpFastPath } from './otp-fast-path.js';
import { OtpHasher } from './otp-hasher.js';
import { explainSendRefusal } from './otp-refusal.js';
import type { AdmittedSend, ClaimedSend } from './otp-send.types.js';
import { refusalError } from './otp.errors.js';
import { OtpSendStore } from './otp.ports.js';

/**
 * Claims a send in one statement (OtpSendStore.claimSend): a new code, hashed, with its expiry,
 * cooldown and a place in the hourly quota, unless the recipient is locked, cooling down or over
 * quota. A refused claim is explained from the recipient's state and remembered on the fast path.
 */
@Injectable()
export class OtpSendClaimService {
  constructor(
    private readonly config: AppConfig,
    private readonly random: RandomSource,
    private readonly hasher: OtpHasher,
    private readonly store: OtpSendStore,
    private readonly fastPath: OtpFastPath,
  ) {}

  async claim(admitted: AdmittedSend): Promise<ClaimedSend> {
    const { recipient, purpose, now } = admitted;
    const { channel, value: to } = recipient;
    const otp = this.config.otp;
    const code = this.random.digits(otp.length);
    const verificationId = this.random.uuid();
    const expiresAt = new Date(now.getTime() + otp.ttlSeconds * 1000);
    const cooldownUntil = new Date(now.getTime() + otp.sendCooldownSeconds * 1000);
    const claimed = await this.store.claimSend({
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
    if (!claimed) throw await this.refusal(channel, to, now);
    return { ...admitted, code, verificationId, expiresAt, cooldownUntil };
  }

  /** Why the claim was refused, in the contract's order (lockout, cooldown, quota): a 429. */
  private async refusal(channel: Channel, to: string, now: Date): Promise<AppError> {
    const state = await this.store.findState(channel, to);
    const refusal = explainSendRefusal(state, now, this.config.otp);
    await this.fastPath.remember(channel, to, refusal.code, refusal.until, now);
    return refusalError(refusal.code, refusal.until, now);
  }
}
