import { Injectable } from '@nestjs/common';
import { AppError } from '#src/common/errors/app-error.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { PasswordHasher } from './password-hasher.js';
import { LoginThrottleService } from './login-throttle/login-throttle.service.js';
import type { HrLoginDto } from './dto/hr-account-request.dto.js';
import type { HrLoginResponseDto, HrMeResponseDto } from './dto/hr-account-response.dto.js';
import { AccessTokenService } from './access-token.service.js';
import { HrAccountRepository, type HrAccount } from './hr-account.repository.js';

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) *$/i;

/** Password login for active HR accounts, and who an access token belongs to. */
@Injectable()
export class HrAuthService {
  constructor(
    private readonly normalizer: RecipientNormalizer,
    private readonly accounts: HrAccountRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokenService,
    private readonly throttle: LoginThrottleService,
  ) {}

  /**
   * One answer, INVALID_CREDENTIALS, for an unknown or malformed email, a wrong password and a
   * pending account; every path runs one argon2 verification (a dummy hash when there is no
   * account), so timing does not tell them apart either. Each check is claimed from the email's
   * login throttle first (LOGIN_THROTTLED once it is spent, whatever the password).
   */
  async login(dto: HrLoginDto, meta: RequestMetaData): Promise<HrLoginResponseDto> {
    const claim = await this.throttle.claim(dto.email);
    const account = await this.findAccount(dto.email);
    const matches = account
      ? await this.hasher.verify(account.passwordHash, dto.password)
      : await this.hasher.verifyAgainstDummy(dto.password);
    if (!account || !matches || account.status !== 'active') {
      await this.throttle.failed(claim, meta);
      throw new AppError('INVALID_CREDENTIALS', 'Email or password is wrong');
    }
    await this.throttle.succeeded(claim);
    const { accessToken, expiresAt } = await this.tokens.issue(account);
    return { accessToken, expiresAt: expiresAt.toISOString() };
  }

  async me(authorization: string | undefined): Promise<HrMeResponseDto> {
    const token = BEARER.exec(authorization ?? '')?.[1];
    if (!token) throw new AppError('TOKEN_INVALID', 'Send Authorization: Bearer <accessToken>');
    const a = await this.tokens.verify(token);
    return { accountId: a.id, email: a.email, fullName: a.fullName, companyName: a.companyName };
  }

  private async findAccount(rawEmail: string): Promise<HrAccount | null> {
    let email: string;
    try {
      email = this.normalizer.normalize('email', rawEmail).value;
    } catch {
      return null;
    }
    return this.accounts.findByEmail(email);
  }
}
