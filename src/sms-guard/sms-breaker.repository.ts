import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { execute, queryOne, queryRows } from '#src/common/database/query.js';

export type BreakerState = 'open' | 'half_open' | 'closed';

export interface BreakerRow {
  prefix: string;
  state: BreakerState;
  openedAt: Date;
  openUntil: Date;
  probeUntil: Date | null;
  probeSends: number;
  probeVerified: number;
  sends: number;
  verified: number;
}

export interface PrefixCounts {
  sends: number;
  verified: number;
}

interface RawRow {
  prefix: string;
  state: BreakerState;
  opened_at: Date;
  open_until: Date;
  probe_until: Date | null;
  probe_sends: number;
  probe_verified: number;
  sends: number;
  verified: number;
}

const COLUMNS = `prefix, state, opened_at, open_until, probe_until, probe_sends, probe_verified,
  sends, verified`;

const toRow = (r: RawRow): BreakerRow => ({
  prefix: r.prefix,
  state: r.state,
  openedAt: r.opened_at,
  openUntil: r.open_until,
  probeUntil: r.probe_until,
  probeSends: r.probe_sends,
  probeVerified: r.probe_verified,
  sends: r.sends,
  verified: r.verified,
});

/**
 * `sms_breakers` (the authority on every breaker) and `sms_breaker_counts` (rolling counts when
 * Redis is not configured). Every state change is one conditional statement, so among any number
 * of instances exactly one makes a given transition (and audits it).
 */
@Injectable()
export class SmsBreakerRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private async one(sql: string, params: unknown[]): Promise<BreakerRow | null> {
    const row = await queryOne<RawRow>(this.db, sql, params);
    return row ? toRow(row) : null;
  }

  /** Breakers not closed (open, or half-open), for the per-instance view and the admin. */
  async listActive(): Promise<BreakerRow[]> {
    const rows = await queryRows<RawRow>(
      this.db,
      `SELECT ${COLUMNS} FROM sms_breakers WHERE state <> 'closed' ORDER BY opened_at DESC LIMIT 10000`,
    );
    return rows.map(toRow);
  }

  find(prefix: string): Promise<BreakerRow | null> {
    return this.one(`SELECT ${COLUMNS} FROM sms_breakers WHERE prefix = $1`, [prefix]);
  }

  /** Opens a closed (or never seen) prefix; null when it is already open or half-open. */
  open(prefix: string, now: Date, openUntil: Date, counts: PrefixCounts) {
    return this.one(
      `INSERT INTO sms_breakers AS b (prefix, state, opened_at, open_until, probe_until,
         probe_sends, probe_verified, sends, verified, updated_at)
       VALUES ($1, 'open', $2, $3, NULL, 0, 0, $4, $5, $2)
       ON CONFLICT (prefix) DO UPDATE SET state = 'open', opened_at = $2, open_until = $3,
         probe_until = NULL, probe_sends = 0, probe_verified = 0, sends = $4, verified = $5,
         updated_at = $2
       WHERE b.state = 'closed'
       RETURNING ${COLUMNS}`,
      [prefix, now, openUntil, counts.sends, counts.verified],
    );
  }

  /**
   * Claims one probe send: the first one after the open period half-opens the breaker and starts
   * the probe period (until `probeUntil`); at most `maxProbes` in it. Null when refused.
   */
  claimProbe(prefix: string, now: Date, probeUntil: Date, maxProbes: number) {
    return this.one(
      `UPDATE sms_breakers SET
         probe_sends = CASE WHEN state = 'open' THEN 1 ELSE probe_sends + 1 END,
         probe_verified = CASE WHEN state = 'open' THEN 0 ELSE probe_verified END,
         probe_until = CASE WHEN state = 'open' THEN $3 ELSE probe_until END,
         state = 'half_open', updated_at = $2
       WHERE prefix = $1 AND ((state = 'open' AND open_until <= $2)
         OR (state = 'half_open' AND probe_sends < $4 AND probe_until > $2))
       RETURNING ${COLUMNS}`,
      [prefix, now, probeUntil, maxProbes],
    );
  }

  /** Re-opens a half-open breaker whose probe period ended without converting. */
  reopen(prefix: string, now: Date, openUntil: Date) {
    return this.one(
      `UPDATE sms_breakers SET state = 'open', opened_at = $2, open_until = $3, probe_until = NULL,
         updated_at = $2
       WHERE prefix = $1 AND state = 'half_open' AND probe_until <= $2
       RETURNING ${COLUMNS}`,
      [prefix, now, openUntil],
    );
  }

  /**
   * Counts a verified probe; closes the breaker when the probes converted (verified / probe sends
   * at least `minConversion`). The row comes back `closed` only to the caller that closed it.
   */
  probeVerified(prefix: string, now: Date, minConversion: number) {
    return this.one(
      `UPDATE sms_breakers SET probe_verified = probe_verified + 1,
         state = CASE WHEN probe_verified + 1 >= $3::float8 * GREATEST(probe_sends, 1) THEN 'closed'
                      ELSE state END,
         updated_at = $2
       WHERE prefix = $1 AND state = 'half_open'
       RETURNING ${COLUMNS}`,
      [prefix, now, minConversion],
    );
  }

  /** Closes an open or half-open breaker (admin); null when it was not. */
  close(prefix: string, now: Date) {
    return this.one(
      `UPDATE sms_breakers SET state = 'closed', updated_at = $2
       WHERE prefix = $1 AND state <> 'closed' RETURNING ${COLUMNS}`,
      [prefix, now],
    );
  }

  /**
   * Adds to the current bucket and returns the prefix's totals over the buckets after
   * `oldestExcluded`, in one statement.
   */
  async count(
    prefix: string,
    bucket: number,
    oldestExcluded: number,
    add: PrefixCounts,
  ): Promise<PrefixCounts> {
    // An aggregate without GROUP BY: always exactly one row.
    const row = await queryOne<{ sends: string; verified: string }>(
      this.db,
      `WITH up AS (
         INSERT INTO sms_breaker_counts AS c (prefix, bucket, sends, verified)
         VALUES ($1, $2::bigint, $3, $4)
         ON CONFLICT (prefix, bucket) DO UPDATE
           SET sends = c.sends + EXCLUDED.sends, verified = c.verified + EXCLUDED.verified
         RETURNING sends, verified)
       SELECT (SELECT sends FROM up) + COALESCE(SUM(o.sends), 0) AS sends,
              (SELECT verified FROM up) + COALESCE(SUM(o.verified), 0) AS verified
       FROM sms_breaker_counts o
       WHERE o.prefix = $1 AND o.bucket > $5::bigint AND o.bucket <> $2::bigint`,
      [prefix, bucket, add.sends, add.verified, oldestExcluded],
    );
    if (!row) throw new Error('sms breaker count returned no row');
    return { sends: Number(row.sends), verified: Number(row.verified) };
  }

  /** Adds buffered verifications of several prefixes to one bucket, in one statement. */
  async addVerified(bucket: number, entries: [string, number][]): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO sms_breaker_counts AS c (prefix, bucket, sends, verified)
       SELECT p, $1::bigint, 0, v FROM unnest($2::text[], $3::int[]) AS t(p, v)
       ON CONFLICT (prefix, bucket) DO UPDATE SET verified = c.verified + EXCLUDED.verified`,
      [bucket, entries.map((e) => e[0]), entries.map((e) => e[1])],
    );
  }

  /** Forgets a prefix's counts (when its breaker opens or closes, a new window starts). */
  async resetCounts(prefix: string): Promise<void> {
    await execute(this.db, `DELETE FROM sms_breaker_counts WHERE prefix = $1`, [prefix]);
  }

  async purgeCounts(beforeBucket: number): Promise<void> {
    await execute(this.db, `DELETE FROM sms_breaker_counts WHERE bucket < $1::bigint`, [
      beforeBucket,
    ]);
  }
}
