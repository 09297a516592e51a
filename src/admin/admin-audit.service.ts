import { Injectable } from '@nestjs/common';
import { AuditQueryService } from '#src/audit/audit-query.service.js';
import { AuditService } from '#src/audit/audit.service.js';
import type { ChannelStatsRow } from '#src/audit/audit-event.repository.js';
import { AppError, validationError } from '#src/common/errors/app-error.js';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { clientKeyFromInput } from '#src/common/http/client-key.js';
import type { AdminStatsDto, AdminStatsQueryDto, ChannelStatsDto } from './dto/admin-stats.dto.js';
import type { AuditEventPageDto } from './dto/audit-event-page.dto.js';
import { AUDIT_PAGE_DEFAULT_LIMIT, type AuditEventQueryDto } from './dto/audit-event-query.dto.js';

/** Admin reads of the audit trail: recipient filters become hashes, rows become DTOs. */
@Injectable()
export class AdminAuditService {
  constructor(
    private readonly query: AuditQueryService,
    private readonly audit: AuditService,
    private readonly normalizer: RecipientNormalizer,
    private readonly config: AppConfig,
  ) {}

  async list(q: AuditEventQueryDto): Promise<AuditEventPageDto> {
    const { since, until } = this.range(q.since, q.until);
    const page = await this.query.list({
      type: q.type,
      channel: q.channel,
      purpose: q.purpose,
      // Audit rows hold the client key (an IPv6 client is its network): any spelling finds them.
      ip: q.ip === undefined ? undefined : this.clientKey(q.ip),
      recipientHash: q.recipient === undefined ? undefined : this.recipientHash(q),
      since,
      until,
      limit: q.limit ?? AUDIT_PAGE_DEFAULT_LIMIT,
      cursor: q.cursor,
    });
    return {
      items: page.items.map((r) => ({
        id: r.id,
        occurredAt: r.occurredAt.toISOString(),
        type: r.type,
        channel: r.channel,
        purpose: r.purpose,
        recipient: r.recipientMasked,
        ip: r.ip,
        requestId: r.requestId,
        details: r.details,
      })),
      nextCursor: page.nextCursor,
    };
  }

  async stats(q: AdminStatsQueryDto): Promise<AdminStatsDto> {
    const range = this.range(q.since, q.until);
    const s = await this.query.stats(range.since, range.until);
    const of = (channel: 'sms' | 'email') =>
      toChannelStats(s.channels.find((c) => c.channel === channel));
    return {
      since: s.since.toISOString(),
      until: s.until.toISOString(),
      channels: { sms: of('sms'), email: of('email') },
      ipBlocks: s.channels[0]?.ipBlocks ?? 0,
      loginThrottles: await this.query.countOfType('login.throttled', s.since, s.until),
    };
  }

  private clientKey(ip: string): string {
    const key = clientKeyFromInput(ip, this.config.rateLimit.ipV6Prefix);
    if (key === null) {
      throw validationError(
        [{ field: 'ip', problem: 'ip must be an IP address or its client network' }],
        'ip names no client',
      );
    }
    return key;
  }

  private recipientHash(q: AuditEventQueryDto): string {
    const raw = q.recipient ?? '';
    const channel = q.channel ?? (raw.includes('@') ? 'email' : 'sms');
    try {
      return this.audit.hashRecipient(this.normalizer.canonical(channel, raw));
    } catch (err) {
      if (err instanceof AppError && err.code === 'INVALID_RECIPIENT') {
        throw validationError([
          { field: 'recipient', problem: err.message.replace(/^to/, 'recipient') },
        ]);
      }
      throw err;
    }
  }

  private range(since?: string, until?: string): { since?: Date; until?: Date } {
    const s = since === undefined ? undefined : new Date(since);
    const u = until === undefined ? undefined : new Date(until);
    if (s && u && s.getTime() >= u.getTime()) {
      throw validationError([{ field: 'until', problem: 'until must be later than since' }]);
    }
    return { since: s, until: u };
  }
}

function toChannelStats(row: ChannelStatsRow | undefined): ChannelStatsDto {
  const attempted = row?.codesAttempted ?? 0;
  const first = row?.firstAttemptVerified ?? 0;
  return {
    sends: row?.sends ?? 0,
    deliveryFailures: row?.deliveryFailures ?? 0,
    verificationsSucceeded: row?.verified ?? 0,
    verificationsFailed: row?.verifyFailed ?? 0,
    lockouts: row?.lockouts ?? 0,
    codesAttempted: attempted,
    firstAttemptVerified: first,
    firstAttemptSuccessRate: attempted === 0 ? null : first / attempted,
  };
}
