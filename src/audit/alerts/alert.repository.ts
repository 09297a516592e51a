import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { execute, queryOne, queryRows } from '#src/common/database/query.js';
import type { AlertRuleName } from './alert-rules.js';

const COUNT_SQL: Record<AlertRuleName, string> = {
  ip_lockouts: `SELECT count(*)::int AS n FROM audit_events
    WHERE ip = $1 AND type = 'otp.locked' AND occurred_at > $2 AND occurred_at <= $3`,
  ip_distinct_recipients: `SELECT count(DISTINCT recipient_hash)::int AS n FROM audit_events
    WHERE ip = $1 AND type IN ('otp.sent', 'otp.verify_failed') AND occurred_at > $2
      AND occurred_at <= $3`,
  delivery_failures: `SELECT count(*)::int AS n FROM audit_events
    WHERE $1::text = 'all' AND type = 'otp.delivery_failed' AND occurred_at > $2
      AND occurred_at <= $3`,
  admin_auth_failures: `SELECT count(*)::int AS n FROM audit_events
    WHERE $1::text = 'all' AND type = 'admin.auth_failed' AND occurred_at > $2
      AND occurred_at <= $3`,
  recipient_lockouts: `SELECT count(*)::int AS n FROM audit_events
    WHERE recipient_hash = $1 AND type = 'otp.locked' AND occurred_at > $2 AND occurred_at <= $3`,
  sms_breaker_opened: `SELECT count(*)::int AS n FROM audit_events
    WHERE type = 'sms.breaker_opened' AND details->>'prefix' = $1 AND occurred_at > $2
      AND occurred_at <= $3`,
  sms_breaker_closed: `SELECT count(*)::int AS n FROM audit_events
    WHERE type = 'sms.breaker_closed' AND details->>'prefix' = $1 AND occurred_at > $2
      AND occurred_at <= $3`,
};

/** The counting and dedupe statements behind the alert rules. */
@Injectable()
export class AlertRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Events matching a rule for a subject in the window (from, to]. */
  async count(rule: AlertRuleName, subject: string, from: Date, to: Date): Promise<number> {
    const row = await queryOne<{ n: number }>(this.ds, COUNT_SQL[rule], [subject, from, to]);
    return Number(row?.n ?? 0);
  }

  /**
   * Atomically claims the right to raise `rule` for `subject` at `now`: true for exactly one
   * caller per window, on any number of instances.
   */
  async claim(
    rule: AlertRuleName,
    subject: string,
    now: Date,
    windowSeconds: number,
  ): Promise<boolean> {
    const rows = await queryRows<{ rule: AlertRuleName }>(
      this.ds,
      `INSERT INTO audit_alert_marks (rule, subject, raised_at) VALUES ($1, $2, $3)
       ON CONFLICT (rule, subject) DO UPDATE SET raised_at = EXCLUDED.raised_at
       WHERE audit_alert_marks.raised_at <= $3::timestamptz - make_interval(secs => $4)
       RETURNING rule`,
      [rule, subject, now, windowSeconds],
    );
    return rows.length === 1;
  }

  /** Drops marks too old to dedupe anything. */
  async purgeMarks(before: Date): Promise<number> {
    return execute(this.ds, 'DELETE FROM audit_alert_marks WHERE raised_at < $1', [before]);
  }
}
