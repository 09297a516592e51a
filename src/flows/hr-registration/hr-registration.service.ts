import { Injectable } from '@nestjs/common';
import { HrAccountService } from '#src/accounts/hr-account.service.js';
import { AuditService } from '#src/audit/audit.service.js';
import type { AuditEventInput } from '#src/audit/audit.types.js';
import { AppError } from '#src/common/errors/app-error.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { OtpService } from '#src/otp/otp.service.js';
import { OtpVerifyService } from '#src/otp/otp-verify.service.js';
import { WorkTimeMimic } from '#src/flows/common/work-time-mimic.js';
import type { HrActivationDto, HrRegisterDto } from './dto/hr-request.dto.js';
import type { HrActivationResponseDto, HrRegisterResponseDto } from './dto/hr-response.dto.js';

export const HR_REGISTRATION = 'hr_registration';

/**
 * Registration: each request stores its own attempt (password hash and names, keyed by the
 * verificationId of the code sent for it) and emails a code; that code activates that attempt.
 * An address that already has an active account gets the same answer, the same code state (a decoy
 * code, never delivered) and the same timing, and nothing else changes.
 */
@Injectable()
export class HrRegistrationService {
  constructor(
    private readonly normalizer: RecipientNormalizer,
    private readonly accounts: HrAccountService,
    private readonly otp: OtpService,
    private readonly verifier: OtpVerifyService,
    private readonly mimic: WorkTimeMimic,
    private readonly audit: AuditService,
  ) {}

  async register(dto: HrRegisterDto, meta: RequestMetaData): Promise<HrRegisterResponseDto> {
    const email = this.normalizer.normalize('email', dto.email).value;
    const passwordHash = await this.accounts.hashPassword(dto.password);
    const active = (await this.accounts.findActiveId(email)) !== null;
    // Both paths answer at this instant: a decoy skips only the delivery.
    const deadline = this.mimic.deadline();
    const input = { channel: 'email', to: email, purpose: HR_REGISTRATION } as const;
    // A refused send (cooldown, quota, lockout, delivery) stores nothing.
    const sent = active
      ? await this.otp.send(input, meta, { deliver: false })
      : await this.mimic.measure(() => this.otp.send(input, meta));
    await this.mimic.until(deadline);
    await this.accounts.storeRegistration({
      verificationId: sent.verificationId,
      email,
      passwordHash,
      fullName: dto.fullName.trim(),
      companyName: dto.companyName.trim(),
      expiresAt: sent.expiresAt,
    });
    await this.audit.record(
      this.event('account.registered', email, meta, {
        verificationId: sent.verificationId,
        activeAccount: active,
      }),
    );
    return { verificationId: sent.verificationId, expiresAt: sent.expiresAt.toISOString() };
  }

  /**
   * Checks the code (its errors pass through unchanged), then activates the account with the
   * credentials of the registration `verificationId`, only if the code was the one sent for it.
   */
  async verify(dto: HrActivationDto, meta: RequestMetaData): Promise<HrActivationResponseDto> {
    const verified = await this.verifier.verify(
      { channel: 'email', to: dto.email, purpose: HR_REGISTRATION, code: dto.code },
      meta,
    );
    const email = verified.recipient;
    const account =
      verified.verificationId === dto.verificationId.toLowerCase()
        ? await this.accounts.activateRegistration(dto.verificationId, email)
        : null;
    if (!account) {
      // A code sent for another registration (a newer one replaced this one's code), through the
      // generic OTP API, or for an address whose account is already active.
      await this.audit.record(
        this.event('account.activation_refused', email, meta, {
          verificationId: dto.verificationId,
          codeVerificationId: verified.verificationId,
        }),
      );
      throw new AppError(
        'CODE_NOT_FOUND',
        'No active code for this registration; register again for a new code',
      );
    }
    await this.audit.record(
      this.event('account.activated', email, meta, {
        accountId: account.id,
        verificationId: dto.verificationId,
      }),
    );
    return { accountId: account.id, email: account.email, status: 'active' };
  }

  private event(
    type: 'account.registered' | 'account.activated' | 'account.activation_refused',
    email: string,
    meta: RequestMetaData,
    details: Record<string, unknown>,
  ): AuditEventInput {
    return {
      type,
      channel: 'email',
      purpose: HR_REGISTRATION,
      recipient: email,
      ip: meta.ip,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
      details,
    };
  }
}
