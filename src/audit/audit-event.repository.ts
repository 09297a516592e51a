import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { execute, queryOne, queryRows } from '#src/common/database/query.js';
import { buildAuditPageQuery, type AuditPageFilter } from './audit-page.query.js';
import { AUDIT_INSERT_COLUMNS, auditRowValues, type NewAuditEventRow } from './audit-sql.js';

export type { NewAuditEventRow } from './audit-sql.js';

export interface StoredAuditEventRow extends NewAuditEventRow {
  id: string;
}

export interface AuditEventListRow {
  id: string;
  occurredAt: Date;
  type: string;
  channel: string | null;
  purpose: string | null;
  recipientMasked: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface ChannelStatsRow {
  channel: 'sms' | 'email';
  sends: number;
  deliveryFailures: number;
  verified: number;
  verifyFailed: number;
  lockouts: number;
  codesAttempted: number;
  firstAttemptVerified: number;
  ipBlocks: number;
}

interface RawStatsRow {
  channel: 'sms' | 'email';
  sends: number;
  delivery_failures: number;
  verified: number;
  verify_failed: number;
  lockouts: number;
  attempted: number;
  first_ok: number;
  ip_blocks: number;
}

interface RawListRow {
  id: string;
  occurred_at: Date;
  type: string;
  channel: string | null;
  purpose: string | null;
  recipient_masked: string | null;
  ip: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

const STATS_SQL = `
WITH w AS (
  SELECT type, channel, details FROM audit_events
  WHERE occurred_at >= $1 AND occurred_at < $2
    AND type IN ('otp.sent','otp.delivery_failed','otp.verified','otp.verify_failed','otp.locked','ip.blocked')
), counts AS (
  SELECT channel,
    count(*) FILTER (WHERE type = 'otp.sent') AS sends,
    count(*) FILTER (WHERE type = 'otp.delivery_failed') AS delivery_failures,
    count(*) FILTER (WHERE type = 'otp.verified') AS verified,
    count(*) FILTER (WHERE type = 'otp.verify_failed') AS verify_failed,
    count(*) FILTER (WHERE type = 'otp.locked') AS lockouts
  FROM w GROUP BY channel
), codes AS (
  SELECT channel, details->>'verificationId' AS vid,
    bool_or(type = 'otp.verified') AS ok,
    bool_or(type <> 'otp.verified') AS failed
  FROM w
  WHERE type IN ('otp.verified','otp.verify_failed','otp.locked') AND details ? 'verificationId'
  GROUP BY channel, details->>'verificationId'
), rates AS (
  SELECT channel, count(*) AS attempted, count(*) FILTER (WHERE ok AND NOT failed) AS first_ok
  FROM codes GROUP BY channel
)
SELECT ch.channel,
  coalesce(c.sends, 0)::int AS sends,
  coalesce(c.delivery_failures, 0)::int AS delivery_failures,
  coalesce(c.verified, 0)::int AS verified,
  coalesce(c.verify_failed, 0)::int AS verify_failed,
  coalesce(c.lockouts, 0)::int AS lockouts,
  coalesce(r.attempted, 0)::int AS attempted,
  coalesce(r.first_ok, 0)::int AS first_ok,
  (SELECT count(*) FROM w WHERE type = 'ip.blocked')::int AS ip_blocks
FROM (VALUES ('sms'), ('email')) AS ch(channel)
LEFT JOIN counts c ON c.channel = ch.channel
LEFT JOIN rates r ON r.channel = ch.channel
ORDER BY ch.channel DESC`;

/** Every statement on audit_events. Rows are inserted and deleted (retention), never updated. */
@Injectable()
export class AuditEventRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async insert(row: NewAuditEventRow): Promise<string> {
    // auditRowValues fills $1 and $3–$9 (every column but type and details).
    const rows = await queryRows<{ id: string }>(
      this.ds,
      `INSERT INTO audit_events (${AUDIT_INSERT_COLUMNS})
       VALUES ($1, $9, $2, $3, $4, $5, $6, $7, $8, $10::jsonb)
       RETURNING id`,
      [...auditRowValues(row), row.type, JSON.stringify(row.details)],
    );
    return String(rows[0].id);
  }

  /** One page, newest first; limit + 1 rows come back so the caller can tell whether more exist. */
  async findPage(filter: AuditPageFilter): Promise<AuditEventListRow[]> {
    const { sql, params } = buildAuditPageQuery(filter);
    const rows = await queryRows<RawListRow>(this.ds, sql, params);
    return rows.map((r) => ({
      id: String(r.id),
      occurredAt: r.occurred_at,
      type: r.type,
      channel: r.channel,
      purpose: r.purpose,
      recipientMasked: r.recipient_masked,
      ip: r.ip,
      requestId: r.request_id,
      details: r.details,
    }));
  }

  /** How many events of one type occurred in [since, until). */
  async countOfType(type: string, since: Date, until: Date): Promise<number> {
    const row = await queryOne<{ n: number }>(
      this.ds,
      `SELECT count(*)::int AS n FROM audit_events
       WHERE type = $1 AND occurred_at >= $2 AND occurred_at < $3`,
      [type, since, until],
    );
    return Number(row?.n ?? 0);
  }

  /** Per-channel aggregates over [since, until). */
  async channelStats(since: Date, until: Date): Promise<ChannelStatsRow[]> {
    const rows = await queryRows<RawStatsRow>(this.ds, STATS_SQL, [since, until]);
    return rows.map((r) => ({
      channel: r.channel,
      sends: Number(r.sends),
      deliveryFailures: Number(r.delivery_failures),
      verified: Number(r.verified),
      verifyFailed: Number(r.verify_failed),
      lockouts: Number(r.lockouts),
      codesAttempted: Number(r.attempted),
      firstAttemptVerified: Number(r.first_ok),
      ipBlocks: Number(r.ip_blocks),
    }));
  }

  /** Deletes up to `batch` of the oldest rows before `cutoff`; returns how many went. */
  async purgeBatch(cutoff: Date, batch: number): Promise<number> {
    return execute(
      this.ds,
      `DELETE FROM audit_events WHERE id IN (
         SELECT id FROM audit_events WHERE occurred_at < $1 ORDER BY occurred_at LIMIT $2
       )`,
      [cutoff, batch],
    );
  }
}
