import { Injectable } from '@nestjs/common';
import { HrAccountService } from '#src/accounts/hr-account.service.js';
import { AuditService } from '#src/audit/audit.service.js';
import { AppError } from '#src/common/errors/app-error.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { OtpService } from '#src/otp/otp.service.js';
import { PASSWORD_RESET, passwordResetAuditEvent } from './password-reset-audit-event.js';

/**
 * The code of a reset request, sent after the answer went. An active account gets its code; any
 * other address gets a decoy: the same code row, cooldown and quota, nothing delivered. So the
 * state the request leaves behind (what /v1/otp/send and /v1/password-reset/verify show
 * afterwards) is the same either way.
 */
@Injectable()
export class PasswordResetCodeService {
  constructor(
    private readonly accounts: HrAccountService,
    private readonly otp: OtpService,
    private readonly audit: AuditService,
  ) {}

  /** Sends (or decoys) the code and audits `password_reset.requested` with how it went. */
  async send(email: string, verificationId: string, meta: RequestMetaData): Promise<void> {
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
    await this.audit.record(
      passwordResetAuditEvent('password_reset.requested', email, meta, {
        verificationId,
        outcome,
        activeAccount: accountId !== null,
        ...(accountId ? { accountId } : {}),
        ...(sentVerificationId ? { sentVerificationId } : {}),
      }),
    );
  }
}
