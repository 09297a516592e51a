import { Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock/clock.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { OtpClaimVerifyService } from './otp-claim-verify.service.js';
import { OtpFastPath } from './otp-fast-path.js';
import { OtpHmacVerifyService } from './otp-hmac-verify.service.js';
import { allowedPurpose } from './otp-refusal.js';
import type { VerifyInput, VerifyResult } from './otp-verify.types.js';
import { refusalError } from './otp.errors.js';

export type { VerifyInput, VerifyResult } from './otp-verify.types.js';

/**
 * Checks codes: a right code works exactly once; failures count per recipient and lock it. HMAC
 * codes are settled in one statement (OtpHmacVerifyService); PBKDF2 codes, and HMAC codes that
 * statement could not claim, are claimed, compared off the event loop, then settled
 * (OtpClaimVerifyService). Every rule is enforced in PostgreSQL.
 */
@Injectable()
export class OtpVerifyService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly normalizer: RecipientNormalizer,
    private readonly fastPath: OtpFastPath,
    private readonly hmac: OtpHmacVerifyService,
    private readonly claimed: OtpClaimVerifyService,
  ) {}

  async verify(input: VerifyInput, meta: RequestMetaData): Promise<VerifyResult> {
    const purpose = allowedPurpose(this.config.otp.purposes, input.purpose);
    const recipient = this.normalizer.normalize(input.channel, input.to);
    const now = this.clock.now();

    const cached = await this.fastPath.get(recipient.channel, recipient.value, now);
    if (cached?.code === 'RECIPIENT_LOCKED') {
      throw refusalError(cached.code, new Date(cached.until), now);
    }
    const settled = await this.hmac.verify(input.code, recipient, purpose, meta, now);
    if (settled) return settled;
    // A refused HMAC statement is explained before any claim; PBKDF2 claims at once.
    const claimFirst = this.config.otp.hash !== 'hmac-sha256';
    return this.claimed.verify(input.code, recipient, purpose, meta, now, claimFirst);
  }
}
