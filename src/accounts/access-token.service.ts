import { Injectable } from '@nestjs/common';
import { TokenSigner } from '#src/common/crypto/token-signer.js';
import { AppError } from '#src/common/errors/app-error.js';
import { AppConfig } from '#src/config/app-config.js';
import { HrAccountRepository, type HrAccount } from './hr-account.repository.js';

const AUDIENCE = 'codeward:hr-access';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * HR access tokens (a different audience from verification tokens, so neither is accepted as the
 * other). Each carries the password_changed_at it was minted
 * under (`pwd`, epoch ms); a token minted before the account's last password change is refused.
 */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly config: AppConfig,
    private readonly signer: TokenSigner,
    private readonly accounts: HrAccountRepository,
  ) {}

  async issue(account: HrAccount): Promise<{ accessToken: string; expiresAt: Date }> {
    const { token, expiresAt } = await this.signer.sign(
      AUDIENCE,
      account.id,
      { pwd: account.passwordChangedAt.getTime() },
      this.config.security.accessTokenTtlSeconds,
    );
    return { accessToken: token, expiresAt };
  }

  /** The active account a token belongs to; TOKEN_INVALID for anything else. */
  async verify(token: string): Promise<HrAccount> {
    const invalid = new AppError(
      'TOKEN_INVALID',
      'Access token is invalid, expired or revoked by a password change',
    );
    const payload = await this.signer.verify(token, AUDIENCE, ['sub', 'exp', 'iat']);
    if (!payload) throw invalid;
    if (typeof payload.pwd !== 'number' || !UUID.test(payload.sub!)) throw invalid;
    const account = await this.accounts.findById(payload.sub!);
    if (!account || account.status !== 'active') throw invalid;
    if (payload.pwd < account.passwordChangedAt.getTime()) throw invalid;
    return account;
  }
}
