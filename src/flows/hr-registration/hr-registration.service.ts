import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import type { AuditEventInput } from '../../audit/audit.types.js';
import { Clock } from '../../common/clock/clock.js';
import { RandomSource } from '../../common/crypto/random-source.js';
import { AppError } from '../../common/errors/app-error.js';
import type { RequestMetaData } from '../../common/http/request-meta.js';
import { RecipientNormalizer } from '../../common/recipient/recipient-normalizer.js';
import { AppConfig } from '../../config/app-config.js';
import { OtpTokenService } from '../../otp/otp-token.service.js';
import { OtpService } from '../../otp/otp.service.js';
import { OtpVerifyService } from '../../otp/otp-verify.service.js';
import { PasswordHasher } from '../common/password-hasher.js';
import { WorkTimeMimic } from '../common/work-time-mimic.js';
import type { HrCodeDto, HrRegisterDto } from './dto/hr-request.dto.js';
import type { HrActivationResponseDto, HrRegisterResponseDto } from './dto/hr-response.dto.js';
import { HrAccountRepository } from './hr-account.repository.js';

export const HR_REGISTRATION = 'hr_registration';

/**
 * Registration: a pending account plus an emailed code; the code activates it. For an address
 * that already has an active account the answer looks the same and takes about as long, but
 * nothing changes and nothing is sent.
 */
@Injectable()
export class HrRegistrationService {
  // What the pending path does beyond the shared work (send, store, audit), imitated for the other.
  private readonly pendingWork = new WorkTimeMimic(20);

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly normalizer: RecipientNormalizer,
    private readonly accounts: HrAccountRepository,
    private readonly hasher: PasswordHasher,
    private readonly otp: OtpService,
    private readonly verifier: OtpVerifyService,
    private readonly tokens: OtpTokenService,
    private readonly audit: AuditService,
  ) {}

  async register(dto: HrRegisterDto, meta: RequestMetaData): Promise<HrRegisterResponseDto> {
    const email = this.normalizer.normalize('email', dto.email).value;
    // The slowest step runs on both paths, before anything depends on the account.
    const passwordHash = await this.hasher.hash(dto.password);
    const existing = await this.accounts.findByEmail(email);
    if (existing?.status === 'active') {
      await this.pendingWork.imitate();
      const expiresAt = new Date(this.clock.now().getTime() + this.config.otp.ttlSeconds * 1000);
      return { verificationId: this.random.uuid(), expiresAt: expiresAt.toISOString() };
    }
    return this.pendingWork.measure(async () => {
      // Send first, store after: a refused send (cooldown, quota, lockout, delivery) changes
      // nothing, so the live code always belongs to the last stored password.
      const sent = await this.otp.send(
        { channel: 'email', to: email, purpose: HR_REGISTRATION },
        meta,
      );
      const { fullName, companyName } = dto;
      const now = this.clock.now();
      const account = await this.accounts.upsertPending({
        email,
        passwordHash,
        fullName: fullName.trim(),
        companyName: companyName.trim(),
        now,
      });
      if (account) {
        await this.audit.record(
          this.event('account.registered', email, meta, {
            accountId: account.id,
            created: account.created,
            verificationId: sent.verificationId,
          }),
        );
      }
      return { verificationId: sent.verificationId, expiresAt: sent.expiresAt.toISOString() };
    });
  }

  /** Checks the code (its errors pass through unchanged), then activates the pending account. */
  async verify(dto: HrCodeDto, meta: RequestMetaData): Promise<HrActivationResponseDto> {
    const verified = await this.verifier.verify(
      { channel: 'email', to: dto.email, purpose: HR_REGISTRATION, code: dto.code },
      meta,
    );
    const { to } = await this.tokens.consume(verified.verificationToken, HR_REGISTRATION);
    const account = await this.accounts.activate(to, this.clock.now());
    // A code sent through the generic OTP API for an address with no pending registration.
    if (!account) throw new AppError('CODE_NOT_FOUND', 'No pending registration for this email');
    await this.audit.record(this.event('account.activated', to, meta, { accountId: account.id }));
    return { accountId: account.id, email: account.email, status: 'active' };
  }

  private event(
    type: 'account.registered' | 'account.activated',
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
