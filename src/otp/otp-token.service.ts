import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock.js';
import { TokenSigner } from '../common/crypto/token-signer.js';
import { AppError } from '../common/errors/app-error.js';
import type { Channel } from '../common/recipient/recipient-normalizer.js';
import { AppConfig } from '../config/app-config.js';
import { UsedTokenRepository } from './used-token.repository.js';

export interface VerifiedRecipient {
  channel: Channel;
  to: string;
  purpose: string;
  verifiedAt: Date;
}

const AUDIENCE = 'codeward:verification';

/**
 * Verification tokens carrying recipient, channel, purpose, a unique id and expiry. Each id is
 * accepted once (recorded in `used_tokens` until it expires).
 */
@Injectable()
export class OtpTokenService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly signer: TokenSigner,
    private readonly usedTokens: UsedTokenRepository,
  ) {}

  async issue(
    recipient: Omit<VerifiedRecipient, 'verifiedAt'>,
  ): Promise<{ token: string; expiresAt: Date }> {
    return this.signer.sign(
      AUDIENCE,
      recipient.to,
      { ch: recipient.channel, pur: recipient.purpose },
      this.config.security.verificationTokenTtlSeconds,
    );
  }

  /** Returns who was verified, the first time only; TOKEN_INVALID for anything else. */
  async consume(token: string, purpose: string): Promise<VerifiedRecipient> {
    const invalid = () =>
      new AppError('TOKEN_INVALID', 'Verification token is invalid, expired or already used');
    const payload = await this.signer.verify(token, AUDIENCE, ['jti', 'sub', 'exp', 'iat']);
    if (!payload) throw invalid();
    const channel = payload.ch;
    if (payload.pur !== purpose || (channel !== 'sms' && channel !== 'email')) throw invalid();
    const first = await this.usedTokens.markUsed(
      payload.jti!,
      'verification',
      this.clock.now(),
      new Date(payload.exp! * 1000),
    );
    if (!first) throw invalid();
    return { channel, to: payload.sub!, purpose, verifiedAt: new Date(payload.iat! * 1000) };
  }
}
