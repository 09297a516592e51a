import { Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../clock/clock.js';
import { RandomSource } from './random-source.js';

const ISSUER = 'codeward';

/**
 * HS256 JWTs signed with TOKEN_SECRET, timed by the Clock. Each kind of token has its own
 * audience, so no token is accepted as another kind.
 */
@Injectable()
export class TokenSigner {
  private readonly key: Uint8Array;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {
    this.key = new TextEncoder().encode(config.security.tokenSecret);
  }

  /** Signs `claims` for `subject` with a unique id, valid for `ttlSeconds` from now. */
  async sign(
    audience: string,
    subject: string,
    claims: JWTPayload,
    ttlSeconds: number,
  ): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const exp = iat + ttlSeconds;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setSubject(subject)
      .setJti(this.random.uuid())
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The payload of a valid, unexpired token of `audience` carrying `required` claims; else null. */
  async verify(token: string, audience: string, required: string[]): Promise<JWTPayload | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience,
        algorithms: ['HS256'],
        currentDate: this.clock.now(),
        requiredClaims: required,
      });
      return payload;
    } catch {
      return null;
    }
  }
}
