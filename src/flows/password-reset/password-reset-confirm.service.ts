import { Injectable } from '@nestjs/common';
import { HrAccountService } from '#src/accounts/hr-account.service.js';
import { AuditService } from '#src/audit/audit.service.js';
import { AppError } from '#src/common/errors/app-error.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { OtpVerifyService } from '#src/otp/otp-verify.service.js';
import type {
  PasswordResetCodeDto,
  PasswordResetCompleteDto,
} from './dto/password-reset-request.dto.js';
import type { PasswordResetVerifyResponseDto } from './dto/password-reset-response.dto.js';
import { PasswordChangedNoticeService } from './password-changed-notice.service.js';
import { PASSWORD_RESET, passwordResetAuditEvent } from './password-reset-audit-event.js';
import { PasswordResetTokenService } from './password-reset-token.service.js';

/** Confirms a reset: the emailed code is traded for a reset token, the token for a new password. */
@Injectable()
export class PasswordResetConfirmService {
  constructor(
    private readonly verifier: OtpVerifyService,
    private readonly resetTokens: PasswordResetTokenService,
    private readonly accounts: HrAccountService,
    private readonly audit: AuditService,
    private readonly notice: PasswordChangedNoticeService,
  ) {}

  async verify(
    dto: PasswordResetCodeDto,
    meta: RequestMetaData,
  ): Promise<PasswordResetVerifyResponseDto> {
    const verified = await this.verifier.verify(
      { channel: 'email', to: dto.email, purpose: PASSWORD_RESET, code: dto.code },
      meta,
    );
    // A token of its own kind, accepted only by /complete (the verification token stays inside).
    const { token, expiresAt } = await this.resetTokens.issue(verified.recipient);
    return { resetToken: token, expiresAt: expiresAt.toISOString() };
  }

  async complete(dto: PasswordResetCompleteDto, meta: RequestMetaData): Promise<void> {
    // The token first: anything but a live reset token costs no password hash.
    const claims = await this.resetTokens.check(dto.resetToken);
    // Hash before using the token up, so an overloaded hasher (503) never burns it.
    const passwordHash = await this.accounts.hashPassword(dto.newPassword);
    await this.resetTokens.use(claims);
    const to = claims.email;
    const changed = await this.accounts.changePassword(to, passwordHash);
    if (!changed) {
      throw new AppError('TOKEN_INVALID', 'Reset token does not match an active account');
    }
    await this.audit.record(
      passwordResetAuditEvent('password_reset.completed', to, meta, { accountId: changed.id }),
    );
    this.notice.schedule(to, changed.id);
  }
}
