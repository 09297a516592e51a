import { Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock/clock.js';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';
import {
  AuditEventRepository,
  type AuditEventListRow,
  type ChannelStatsRow,
} from './audit-event.repository.js';

export interface AuditListQuery {
  type?: string;
  channel?: string;
  purpose?: string;
  /** Already hashed with AuditService.hashRecipient. */
  recipientHash?: string;
  ip?: string;
  since?: Date;
  until?: Date;
  limit: number;
  cursor?: string;
}

export interface AuditPage {
  items: AuditEventListRow[];
  nextCursor: string | null;
}

export interface AuditStats {
  since: Date;
  until: Date;
  channels: ChannelStatsRow[];
}

/** Read side of the audit trail for the admin API. */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly repo: AuditEventRepository,
    private readonly clock: Clock,
  ) {}

  async list(q: AuditListQuery): Promise<AuditPage> {
    const after = q.cursor ? decodeAuditCursor(q.cursor) : undefined;
    const rows = await this.repo.findPage({ ...q, after, limit: q.limit });
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > q.limit && last
        ? encodeAuditCursor({ occurredAt: last.occurredAt, id: last.id })
        : null;
    return { items, nextCursor };
  }

  /** How many events of one type occurred in [since, until). */
  countOfType(type: string, since: Date, until: Date): Promise<number> {
    return this.repo.countOfType(type, since, until);
  }

  /** Aggregates over [since, until); by default the 24 hours up to and including now. */
  async stats(since?: Date, until?: Date): Promise<AuditStats> {
    // The bound is exclusive: 1 ms past now keeps events recorded at this very instant.
    const end = until ?? new Date(this.clock.now().getTime() + 1);
    const start = since ?? new Date(end.getTime() - 86_400_000);
    return { since: start, until: end, channels: await this.repo.channelStats(start, end) };
  }
}
