import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { validationError } from '../common/errors/app-error.js';
import type { RequestMetaData } from '../common/http/request-meta.js';
import { maskRecipient } from '../common/logging/mask.js';
import { RecipientNormalizer } from '../common/recipient/recipient-normalizer.js';
import { OtpLockService } from '../otp/otp-lock.service.js';
import { RateLimitService } from '../rate-limit/rate-limit.service.js';
import type {
  AdminBlocksDto,
  AdminUnlockDto,
  AdminUnlockResponseDto,
} from './dto/admin-blocks.dto.js';

/** What is blocked right now (IPs, recipients), and lifting one block, audited. */
@Injectable()
export class AdminBlocksService {
  constructor(
    private readonly rateLimits: RateLimitService,
    private readonly locks: OtpLockService,
    private readonly normalizer: RecipientNormalizer,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<AdminBlocksDto> {
    const [ips, recipients] = await Promise.all([
      this.rateLimits.listBlocks(),
      this.locks.listLocks(),
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
    };
  }

  async unlock(dto: AdminUnlockDto, meta: RequestMetaData): Promise<AdminUnlockResponseDto> {
    const who = { ip: meta.ip, userAgent: meta.userAgent, requestId: meta.requestId };
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
      [{ field: 'body', problem: 'send exactly one of { ip } or { channel, to }' }],
      'Send exactly one of { ip } or { channel, to }',
    );
  }
}
