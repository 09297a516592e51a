import { Injectable } from '@nestjs/common';
import { AppError } from '#src/common/errors/app-error.js';
import { OtpTokenService, type ResetTokenClaims } from '#src/otp/otp-token.service.js';

/**
 * The reset token: a kind of its own (its own audience), issued for a verified code and accepted
 * only by /complete, once. Anything else is TOKEN_INVALID.
 */
@Injectable()
export class PasswordResetTokenService {
  constructor(private readonly tokens: OtpTokenService) {}

  /** A reset token for a normalised email whose code was just verified. */
  issue(email: string): Promise<{ token: string; expiresAt: Date }> {
    return this.tokens.issueReset(email);
  }

  /** The claims of a live reset token (signature, audience, expiry; no database work). */
  async check(token: string): Promise<ResetTokenClaims> {
    const claims = await this.tokens.checkReset(token);
    if (!claims) throw invalidResetToken();
    return claims;
  }

  /** Uses a checked token up; TOKEN_INVALID when it was used already. */
  async use(claims: ResetTokenClaims): Promise<void> {
    if (!(await this.tokens.useReset(claims))) throw invalidResetToken();
  }
}

function invalidResetToken(): AppError {
  return new AppError('TOKEN_INVALID', 'Reset token is invalid, expired or already used');
}
