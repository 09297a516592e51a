import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '#src/audit/audit.service.js';
import { Clock } from '#src/common/clock/clock.js';
import { RandomSource } from '#src/common/crypto/random-source.js';
import { AppError } from '#src/common/errors/app-error.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { NotificationService } from '#src/notification/notification.service.js';
import { OtpTokenService } from '#src/otp/otp-token.service.js';
import { OtpService } from '#src/otp/otp.service.js';
import { OtpVerifyService } from '#src/otp/otp-verify.service.js';
import { FlowTasks } from '#src/flows/common/flow-tasks.js';
import { HrAccountService } from '#src/accounts/hr-account.service.js';
import type {
  PasswordResetCompleteDto,
  PasswordResetCodeDto,
  PasswordResetRequestDto,
} from './dto/password-reset-request.dto.js';
import type {
  PasswordResetRequestResponseDto,
  PasswordResetVerifyResponseDto,
} from './dto/password-reset-response.dto.js';

export const PASSWORD_RESET = 'password_reset';

/**
 * Password reset for HR accounts: request a code by email, trade it for a single-use reset token,
 * set a new password with the token. A request answers at once with the same body whether or not
 * the address has an active account; the look-up and the send (a decoy without an active account)
 * happen after the answer.
 */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger(PasswordResetService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly normalizer: RecipientNormalizer,
    private readonly accounts: HrAccountService,
    private readonly otp: OtpService,
    private readonly verifier: OtpVerifyService,
    private readonly tokens: OtpTokenService,
    private readonly notifications: NotificationService,
    private readonly tasks: FlowTasks,
    private readonly audit: AuditService,
  ) {}

  request(dto: PasswordResetRequestDto, meta: RequestMetaData): PasswordResetRequestResponseDto {
    const email = this.normalizer.normalize('email', dto.email).value;
    const verificationId = this.random.uuid();
    const expiresAt = new Date(this.clock.now().getTime() + this.config.otp.ttlSeconds * 1000);
    this.tasks.run('password-reset.request', () => this.sendCode(email, verificationId, meta));
    return { verificationId, expiresAt: expiresAt.toISOString() };
  }

  async verify(
    dto: PasswordResetCodeDto,
    meta: RequestMetaData,
  ): Promise<PasswordResetVerifyResponseDto> {
    const verified = await this.verifier.verify(
      { channel: 'email', to: dto.email, purpose: PASSWORD_RESET, code: dto.code },
      meta,
    );
    // A token of its own kind, accepted only by /complete (the verification token stays inside).
    const { token, expiresAt } = await this.tokens.issueReset(verified.recipient);
    return { resetToken: token, expiresAt: expiresAt.toISOString() };
  }

  async complete(dto: PasswordResetCompleteDto, meta: RequestMetaData): Promise<void> {
    const invalid = () =>
      new AppError('TOKEN_INVALID', 'Reset token is invalid, expired or already used');
    // The token first: anything but a live reset token costs no password hash.
    const claims = await this.tokens.checkReset(dto.resetToken);
    if (!claims) throw invalid();
    // Hash before using the token up, so an overloaded hasher (503) never burns it.
    const passwordHash = await this.accounts.hashPassword(dto.newPassword);
    if (!(await this.tokens.useReset(claims))) throw invalid();
    const to = claims.email;
    const changed = await this.accounts.changePassword(to, passwordHash);
    if (!changed) {
      throw new AppError('TOKEN_INVALID', 'Reset token does not match an active account');
    }
    await this.audit.record({
      ...this.event(to, meta),
      type: 'password_reset.completed',
      details: { accountId: changed.id },
    });
    this.tasks.run('password-reset.notice', async () => {
      const notice = await this.notifications.sendPasswordChangedNotice(
        to,
        this.config.notify.defaultLocale,
      );
      if (!notice.delivered) {
        this.logger.warn({ accountId: changed.id }, 'password-changed notice not delivered');
      }
    });
  }

  /**
   * An active account gets its code; any other address gets a decoy: the same code row, cooldown
   * and quota, nothing delivered. So the state the request leaves behind (what /v1/otp/send and
   * /v1/password-reset/verify show afterwards) is the same either way.
   */
  private async sendCode(
    email: string,
    verificationId: string,
    meta: RequestMetaData,
  ): Promise<void> {
    const accountId = await this.accounts.findActiveId(email);
    let outcome = accountId ? 'sent' : 'decoy';
    let sentVerificationId: string | undefined;
    try {
      const sent = await this.otp.send(
        { channel: 'email', to: email, purpose: PASSWORD_RESET },
        meta,
        { deliver: accountId !== null },
      );
      sentVerificationId = sent.verificationId;
    } catch (err) {
      // Cooldown, quota, lockout or delivery failure: kept out of the answer, which went already.
      if (!(err instanceof AppError)) throw err;
      outcome = err.code.toLowerCase();
    }
    await this.audit.record({
      ...this.event(email, meta),
      type: 'password_reset.requested',
      details: {
        verificationId,
        outcome,
        activeAccount: accountId !== null,
        ...(accountId ? { accountId } : {}),
        ...(sentVerificationId ? { sentVerificationId } : {}),
      },
    });
  }

  private event(email: string, meta: RequestMetaData) {
    return {
      channel: 'email' as const,
      purpose: PASSWORD_RESET,
      recipient: email,
      ip: meta.ip,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
    };
  }
}
