import { Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT } from 'jose';
import { Clock } from '../common/clock/clock.js';
import { RandomSource } from '../common/crypto/random-source.js';
import { AppError } from '../common/errors/app-error.js';
import type { Channel } from '../common/recipient/recipient-normalizer.js';
import { AppConfig } from '../config/app-config.js';
import { OtpRepository } from './otp.repository.js';

export interface VerifiedRecipient {
  channel: Channel;
  to: string;
  purpose: string;
  verifiedAt: Date;
}

const ISSUER = 'codeward';
const AUDIENCE = 'codeward:verification';

/**
 * Verification tokens: HS256 JWTs signed with TOKEN_SECRET carrying recipient, channel, purpose,
 * a unique id and expiry. Each id is accepted once (recorded in `used_tokens` until it expires).
 */
@Injectable()
export class OtpTokenService {
  private readonly key: Uint8Array;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly repo: OtpRepository,
  ) {
    this.key = new TextEncoder().encode(config.security.tokenSecret);
  }

  async issue(
    recipient: Omit<VerifiedRecipient, 'verifiedAt'>,
  ): Promise<{ token: string; expiresAt: Date }> {
    const now = this.clock.now();
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.config.security.verificationTokenTtlSeconds;
    const token = await new SignJWT({ ch: recipient.channel, pur: recipient.purpose })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(recipient.to)
      .setJti(this.random.uuid())
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Returns who was verified, the first time only; TOKEN_INVALID for anything else. */
  async consume(token: string, purpose: string): Promise<VerifiedRecipient> {
    const invalid = () =>
      new AppError('TOKEN_INVALID', 'Verification token is invalid, expired or already used');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: this.clock.now(),
        requiredClaims: ['jti', 'sub', 'exp', 'iat'],
      }));
    } catch {
      throw invalid();
    }
    const channel = payload.ch;
    if (payload.pur !== purpose || (channel !== 'sms' && channel !== 'email')) throw invalid();
    const first = await this.repo.markTokenUsed(
      payload.jti!,
      'verification',
      this.clock.now(),
      new Date(payload.exp! * 1000),
    );
    if (!first) throw invalid();
    return { channel, to: payload.sub!, purpose, verifiedAt: new Date(payload.iat! * 1000) };
  }
}
