import { Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT } from 'jose';
import { Clock } from '../../common/clock/clock.js';
import { RandomSource } from '../../common/crypto/random-source.js';
import { AppError } from '../../common/errors/app-error.js';
import { AppConfig } from '../../config/app-config.js';
import { HrAccountRepository, type HrAccount } from './hr-account.repository.js';

const ISSUER = 'codeward';
const AUDIENCE = 'codeward:hr-access';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * HR access tokens: HS256 JWTs signed with TOKEN_SECRET (a different audience from verification
 * tokens, so neither is accepted as the other). Each carries the password_changed_at it was minted
 * under (`pwd`, epoch ms); a token minted before the account's last password change is refused.
 */
@Injectable()
export class AccessTokenService {
  private readonly key: Uint8Array;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly accounts: HrAccountRepository,
  ) {
    this.key = new TextEncoder().encode(config.security.tokenSecret);
  }

  async issue(account: HrAccount): Promise<{ accessToken: string; expiresAt: Date }> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const exp = iat + this.config.security.accessTokenTtlSeconds;
    const accessToken = await new SignJWT({ pwd: account.passwordChangedAt.getTime() })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(account.id)
      .setJti(this.random.uuid())
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { accessToken, expiresAt: new Date(exp * 1000) };
  }

  /** The active account a token belongs to; TOKEN_INVALID for anything else. */
  async verify(token: string): Promise<HrAccount> {
    const invalid = new AppError(
      'TOKEN_INVALID',
      'Access token is invalid, expired or revoked by a password change',
    );
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch {
      throw invalid;
    }
    if (typeof payload.pwd !== 'number' || !UUID.test(payload.sub!)) throw invalid;
    const account = await this.accounts.findById(payload.sub!);
    if (!account || account.status !== 'active') throw invalid;
    if (payload.pwd < account.passwordChangedAt.getTime()) throw invalid;
    return account;
  }
}
