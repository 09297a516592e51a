import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock/clock.js';
import { AppError } from '../common/errors/app-error.js';
import type { RequestMetaData } from '../common/http/request-meta.js';
import {
  RecipientNormalizer,
  type Channel,
  type Recipient,
} from '../common/recipient/recipient-normalizer.js';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { SmsGuardService } from '../sms-guard/sms-guard.service.js';
import { OtpFastPath } from './otp-fast-path.js';
import { OtpHasher } from './otp-hasher.js';
import {
  allowedPurpose,
  explainVerifyRefusal,
  otpAuditEvent,
  refusalError,
} from './otp-refusal.js';
import { OtpTokenService } from './otp-token.service.js';
import { OtpVerifyRepository } from './otp-verify.repository.js';
import { OtpRepository, type ClaimedAttempt } from './otp.repository.js';

export interface VerifyInput {
  channel: Channel;
  to: string;
  purpose: string;
  code: string;
}

export interface VerifyResult {
  verified: true;
  verificationToken: string;
  expiresAt: Date;
  recipient: string;
  /** The send the matched code belonged to. */
  verificationId: string;
}

/**
 * Checks codes: a right code works exactly once; failures count per recipient and lock it. HMAC
 * codes are settled in one statement; PBKDF2 codes are claimed, compared off the event loop, then
 * settled. Every rule is enforced in PostgreSQL.
 */
@Injectable()
export class OtpVerifyService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly normalizer: RecipientNormalizer,
    private readonly repo: OtpRepository,
    private readonly verifyRepo: OtpVerifyRepository,
    private readonly hasher: OtpHasher,
    private readonly fastPath: OtpFastPath,
    private readonly tokens: OtpTokenService,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly smsGuard: SmsGuardService,
  ) {}

  async verify(input: VerifyInput, meta: RequestMetaData): Promise<VerifyResult> {
    const purpose = allowedPurpose(this.config.otp.purposes, input.purpose);
    const recipient = this.normalizer.normalize(input.channel, input.to);
    const { channel, value: to } = recipient;
    const now = this.clock.now();
    const { maxFailedAttempts: max, lockoutSeconds } = this.config.otp;

    const cached = await this.fastPath.get(channel, to, now);
    if (cached?.code === 'RECIPIENT_LOCKED') {
      throw refusalError(cached.code, new Date(cached.until), now);
    }

    const atomic = await this.verifyHmacAtomically(input.code, recipient, purpose, meta, now);
    if (atomic) return atomic;

    // PBKDF2: claim, compare, then settle. A refused claim (or a refused HMAC statement) is
    // explained from a fresh read; if the state moved on in between, claim again.
    let claim =
      this.config.otp.hash === 'hmac-sha256'
        ? null
        : await this.repo.claimAttempt(channel, to, purpose, now, lockoutSeconds, max);
    for (let retry = 0; !claim && retry < 3; retry++) {
      const refusal = explainVerifyRefusal(
        await this.repo.findState(channel, to),
        purpose,
        now,
        this.config.otp,
      );
      if (refusal) {
        if (refusal.code === 'RECIPIENT_LOCKED') {
          // Only a real lock is remembered: attempts merely in flight may still end in a success,
          // which resets the failures (caching it would lock the recipient out for the window).
          if (!refusal.inFlight) {
            await this.fastPath.remember(channel, to, refusal.code, refusal.until, now);
          }
          throw refusalError(refusal.code, refusal.until, now);
        }
        throw new AppError(refusal.code, refusal.message);
      }
      claim = await this.repo.claimAttempt(channel, to, purpose, now, lockoutSeconds, max);
    }
    if (!claim) {
      throw new AppError('CODE_NOT_FOUND', 'No active code for this recipient and purpose');
    }

    const right = await this.compare(
      input.code,
      `${purpose}:${to}`,
      claim.codeHash,
      claim,
      channel,
    );
    if (
      !right &&
      claim.previous &&
      (await this.compare(
        input.code,
        `${claim.previous.purpose}:${to}`,
        claim.previous.codeHash,
        claim,
        channel,
      ))
    ) {
      // The replaced code: give the claimed attempt back and audit it, in one statement.
      const row = this.audit.prepare(
        otpAuditEvent('otp.verify_stale', recipient, purpose, meta, {
          verificationId: claim.previous.verificationId,
          currentVerificationId: claim.verificationId,
        }),
      );
      const eventId = await this.verifyRepo.releaseStale(
        channel,
        claim.id,
        claim.verificationId,
        row,
      );
      this.audit.stored(row, eventId);
      throw replacedCodeError();
    }
    this.metrics.observeVerify(channel, claim.codeAttempts, right);
    if (right) {
      if (
        !(await this.repo.consumeCode(channel, claim.id, claim.verificationId, this.clock.now()))
      ) {
        throw new AppError('CODE_NOT_FOUND', 'This code has already been used');
      }
      const { token, expiresAt } = await this.tokens.issue({ channel, to, purpose });
      this.metrics.otpEvents.inc({ channel, type: 'verified' });
      this.smsGuard.recordVerified(recipient);
      await this.audit.record(
        otpAuditEvent('otp.verified', recipient, purpose, meta, {
          verificationId: claim.verificationId,
          attempt: claim.codeAttempts,
        }),
      );
      return {
        verified: true,
        verificationToken: token,
        expiresAt,
        recipient: to,
        verificationId: claim.verificationId,
      };
    }

    const details = {
      verificationId: claim.verificationId,
      attempt: claim.codeAttempts,
      failures: claim.failedAttempts,
    };
    if (claim.failedAttempts >= max) {
      const lockedUntil = new Date(now.getTime() + lockoutSeconds * 1000);
      await this.repo.lock(channel, claim.id, this.clock.now(), lockedUntil);
      await this.fastPath.remember(channel, to, 'RECIPIENT_LOCKED', lockedUntil, now);
      this.metrics.otpEvents.inc({ channel, type: 'locked' });
      await this.audit.record(
        otpAuditEvent('otp.verify_failed', recipient, purpose, meta, {
          ...details,
          attemptsLeft: 0,
        }),
      );
      await this.audit.record(
        otpAuditEvent('otp.locked', recipient, purpose, meta, { ...details, lockedUntil }),
      );
      throw refusalError('RECIPIENT_LOCKED', lockedUntil, now);
    }
    const attemptsLeft = max - claim.failedAttempts;
    this.metrics.otpEvents.inc({ channel, type: 'verify_failed' });
    await this.audit.record(
      otpAuditEvent('otp.verify_failed', recipient, purpose, meta, { ...details, attemptsLeft }),
    );
    throw new AppError('CODE_INVALID', 'Wrong code', { attemptsLeft });
  }

  /**
   * HMAC codes: claim, compare, settle and audit in one statement. Null when the statement found
   * nothing to claim (the two-phase path then explains why) or codes are hashed with PBKDF2.
   */
  private async verifyHmacAtomically(
    code: string,
    recipient: Recipient,
    purpose: string,
    meta: RequestMetaData,
    now: Date,
  ): Promise<VerifyResult | null> {
    const { channel, value: to } = recipient;
    const candidates = this.hasher.hmacCandidates(code, `${purpose}:${to}`);
    if (!candidates) return null;
    const staleCandidates = this.config.otp.purposes.flatMap((p) =>
      p === purpose ? candidates : (this.hasher.hmacCandidates(code, `${p}:${to}`) ?? []),
    );
    const { maxFailedAttempts: max, lockoutSeconds } = this.config.otp;
    const audit = this.audit.prepare(
      otpAuditEvent('otp.verify_failed', recipient, purpose, meta, {}),
    );
    const r = await this.verifyRepo.verifyHmac({
      channel,
      recipient: to,
      purpose,
      candidates,
      staleCandidates,
      now,
      lockoutSeconds,
      maxFailures: max,
      audit,
    });
    if (!r) return null;
    for (const e of r.events) {
      this.audit.stored({ ...audit, type: e.type, details: e.details }, e.id);
    }
    if (r.stale) throw replacedCodeError();
    this.metrics.observeVerify(channel, r.codeAttempts, r.matched);
    if (r.matched) {
      this.metrics.otpEvents.inc({ channel, type: 'verified' });
      this.smsGuard.recordVerified(recipient);
      const { token, expiresAt } = await this.tokens.issue({ channel, to, purpose });
      return {
        verified: true,
        verificationToken: token,
        expiresAt,
        recipient: to,
        // Set whenever the code matched (only a stale outcome has none).
        verificationId: r.verificationId ?? '',
      };
    }
    if (r.lockedUntil && r.failedAttempts >= max) {
      await this.fastPath.remember(channel, to, 'RECIPIENT_LOCKED', r.lockedUntil, now);
      this.metrics.otpEvents.inc({ channel, type: 'locked' });
      throw refusalError('RECIPIENT_LOCKED', r.lockedUntil, now);
    }
    this.metrics.otpEvents.inc({ channel, type: 'verify_failed' });
    throw new AppError('CODE_INVALID', 'Wrong code', { attemptsLeft: max - r.failedAttempts });
  }

  /** Compares; when the hashing pool sheds the request (503), the claimed attempt is handed back. */
  private async compare(
    code: string,
    context: string,
    stored: string,
    claim: ClaimedAttempt,
    channel: Channel,
  ): Promise<boolean> {
    try {
      return await this.hasher.verify(code, context, stored);
    } catch (err) {
      await this.repo.releaseAttempt(channel, claim.id, claim.verificationId);
      throw err;
    }
  }
}

/** The answer to a replaced (or already used) code: no failure is counted. */
function replacedCodeError(): AppError {
  return new AppError(
    'CODE_NOT_FOUND',
    'This code was replaced by a newer one or already used; enter the latest code',
  );
}
