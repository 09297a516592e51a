import { Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock/clock.js';
import { TokenSigner } from '#src/common/crypto/token-signer.js';
import { AppError } from '#src/common/errors/app-error.js';
import type { Channel } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { UsedTokenRepository } from './used-token.repository.js';

export interface VerifiedRecipient {
  channel: Channel;
  to: string;
  purpose: string;
  verifiedAt: Date;
}

const AUDIENCE = 'codeward:verification';
// Reset tokens are their own kind: no other kind is accepted as one, nor one as any other.
const RESET_AUDIENCE = 'codeward:password-reset';

/** The claims of a reset token that passed the signature, audience and expiry checks. */
export interface ResetTokenClaims {
  jti: string;
  email: string;
  expiresAt: Date;
}

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

  /** A single-use reset token for a normalised email (only the password-reset flow issues one). */
  async issueReset(email: string): Promise<{ token: string; expiresAt: Date }> {
    return this.signer.sign(
      RESET_AUDIENCE,
      email,
      {},
      this.config.security.verificationTokenTtlSeconds,
    );
  }

  /** A reset token's claims when its signature, kind and expiry are right (no database work). */
  async checkReset(token: string): Promise<ResetTokenClaims | null> {
    const payload = await this.signer.verify(token, RESET_AUDIENCE, ['jti', 'sub', 'exp', 'iat']);
    if (!payload) return null;
    return { jti: payload.jti!, email: payload.sub!, expiresAt: new Date(payload.exp! * 1000) };
  }

  /** Uses up a checked reset token: true the first time only. */
  useReset(claims: ResetTokenClaims): Promise<boolean> {
    return this.usedTokens.markUsed(claims.jti, 'reset', this.clock.now(), claims.expiresAt);
  }
}
