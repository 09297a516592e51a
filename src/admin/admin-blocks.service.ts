import { Injectable } from '@nestjs/common';
import { AuditService } from '#src/audit/audit.service.js';
import { validationError } from '#src/common/errors/app-error.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { maskRecipient } from '#src/common/logging/mask.js';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { LoginThrottleService } from '#src/accounts/login-throttle/login-throttle.service.js';
import { OtpLockService } from '#src/otp/otp-lock.service.js';
import { RateLimitService } from '#src/rate-limit/rate-limit.service.js';
import { SmsGuardService } from '#src/sms-guard/sms-guard.service.js';
import type {
  AdminBlocksDto,
  AdminUnlockDto,
  AdminUnlockResponseDto,
} from './dto/admin-blocks.dto.js';

const UNLOCK_FORMS = 'Send exactly one of { ip }, { channel, to }, { destination } or { login }';

/** What is blocked right now (IPs, recipients), and lifting one block, audited. */
@Injectable()
export class AdminBlocksService {
  constructor(
    private readonly rateLimits: RateLimitService,
    private readonly locks: OtpLockService,
    private readonly normalizer: RecipientNormalizer,
    private readonly audit: AuditService,
    private readonly smsGuard: SmsGuardService,
    private readonly logins: LoginThrottleService,
  ) {}

  async list(): Promise<AdminBlocksDto> {
    const [ips, recipients, destinations, logins] = await Promise.all([
      this.rateLimits.listBlocks(),
      this.locks.listLocks(),
      this.smsGuard.listBreakers(),
      this.logins.list(),
    ]);
    return {
      ips: ips.map((b) => ({
        ip: b.ip,
        endpoint: b.endpoint,
        blockedUntil: b.blockedUntil.toISOString(),
      })),
      recipients: recipients.map((l) => ({
        channel: l.channel,
        recipient: maskRecipient(l.channel, l.recipient),
        lockedUntil: l.lockedUntil.toISOString(),
      })),
      destinations: destinations.map((d) => ({
        prefix: d.prefix,
        state: d.state,
        openUntil: d.openUntil.toISOString(),
        probeUntil: d.probeUntil?.toISOString() ?? null,
      })),
      logins: logins.map((l) => ({
        email: maskRecipient('email', l.email),
        lockedUntil: l.lockedUntil.toISOString(),
      })),
    };
  }

  async unlock(dto: AdminUnlockDto, meta: RequestMetaData): Promise<AdminUnlockResponseDto> {
    const who = { ip: meta.ip, userAgent: meta.userAgent, requestId: meta.requestId };
    if (dto.destination !== undefined && dto.login !== undefined) {
      throw validationError(
        [{ field: 'body', problem: 'send one of { destination } or { login }' }],
        UNLOCK_FORMS,
      );
    }
    if (dto.destination !== undefined) return this.unlockDestination(dto, meta);
    if (dto.login !== undefined) return this.unlockLogin(dto, who);
    if (dto.ip !== undefined && dto.channel === undefined && dto.to === undefined) {
      const client = this.rateLimits.clientOf(dto.ip);
      const endpoints = await this.rateLimits.unblockIp(client);
      await this.audit.record({
        type: 'admin.unlock',
        ...who,
        details: { target: 'ip', unblockedIp: client, endpoints },
      });
      return { unlocked: true };
    }
    if (dto.ip === undefined && dto.channel !== undefined && dto.to !== undefined) {
      const recipient = this.normalizer.canonical(dto.channel, dto.to);
      const wasLocked = await this.locks.unlock(dto.channel, dto.to);
      await this.audit.record({
        type: 'admin.unlock',
        channel: dto.channel,
        recipient,
        ...who,
        details: { target: 'recipient', wasLocked },
      });
      return { unlocked: true };
    }
    throw validationError(
      [
        {
          field: 'body',
          problem: 'send exactly one of { ip }, { channel, to }, { destination } or { login }',
        },
      ],
      UNLOCK_FORMS,
    );
  }

  /** `{ destination }`: closes the SMS-pumping breaker of that prefix at once. */
  private async unlockDestination(
    dto: AdminUnlockDto,
    meta: RequestMetaData,
  ): Promise<AdminUnlockResponseDto> {
    if (dto.ip !== undefined || dto.channel !== undefined || dto.to !== undefined) {
      throw validationError(
        [{ field: 'body', problem: 'send { destination } alone' }],
        UNLOCK_FORMS,
      );
    }
    const { prefix, wasOpen } = await this.smsGuard.closeBreaker(dto.destination!, meta);
    await this.audit.record({
      type: 'admin.unlock',
      channel: 'sms',
      ip: meta.ip,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
      details: { target: 'destination', prefix, wasOpen },
    });
    return { unlocked: true };
  }

  private async unlockLogin(
    dto: AdminUnlockDto,
    who: { ip: string; userAgent?: string; requestId: string },
  ): Promise<AdminUnlockResponseDto> {
    if (dto.ip !== undefined || dto.channel !== undefined || dto.to !== undefined) {
      throw validationError([{ field: 'login', problem: 'send { login } alone' }], UNLOCK_FORMS);
    }
    const wasLocked = await this.logins.unlock(dto.login!);
    await this.audit.record({
      type: 'admin.unlock',
      channel: 'email',
      recipient: this.logins.keyOf(dto.login!),
      ...who,
      details: { target: 'login', wasLocked },
    });
    return { unlocked: true };
  }
}
