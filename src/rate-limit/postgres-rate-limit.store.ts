import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { execute, queryOne, queryRows } from '#src/common/database/query.js';
import { DurableRateLimitCounter, type ActiveBlock } from './rate-limit-counter.js';
import type { HitResult } from './rate-limit.types.js';

interface RawHitRow {
  count: number;
  window_start: Date;
  blocked_until: Date | null;
  new_block: boolean;
}

/** IP counters in `ip_rate_limits`, one atomic upsert per hit. */
@Injectable()
export class PostgresRateLimitStore implements DurableRateLimitCounter {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async hit(
    ip: string,
    endpoint: string,
    now: Date,
    ttlMs: number,
    limit: number,
    blockMs: number,
  ): Promise<HitResult> {
    const rows = await queryRows<RawHitRow>(
      this.db,
      `INSERT INTO ip_rate_limits AS r (ip, endpoint, count, window_start, last_attempt_at, blocked_until)
         VALUES ($1, $2, 1, $3, $3, CASE WHEN 1 > $5 THEN $3::timestamptz + make_interval(secs => $6 / 1000.0) END)
         ON CONFLICT (ip, endpoint) DO UPDATE SET
           count = CASE WHEN r.blocked_until > $3 THEN r.count + 1
                        WHEN r.blocked_until IS NOT NULL OR r.window_start + make_interval(secs => $4 / 1000.0) <= $3 THEN 1
                        ELSE r.count + 1 END,
           window_start = CASE WHEN r.blocked_until > $3 THEN r.window_start
                               WHEN r.blocked_until IS NOT NULL OR r.window_start + make_interval(secs => $4 / 1000.0) <= $3 THEN $3
                               ELSE r.window_start END,
           last_attempt_at = $3,
           blocked_until = CASE WHEN r.blocked_until > $3 THEN r.blocked_until
                                WHEN (CASE WHEN r.blocked_until IS NOT NULL OR r.window_start + make_interval(secs => $4 / 1000.0) <= $3 THEN 1
                                           ELSE r.count + 1 END) > $5
                                  THEN $3::timestamptz + make_interval(secs => $6 / 1000.0)
                                ELSE NULL END
         RETURNING r.count, r.window_start, r.blocked_until,
                   -- Hits keep counting while blocked, so only the hit that crossed the limit
                   -- (count = limit + 1) reports the block as new, even when others share its ms.
                   (r.blocked_until IS NOT NULL AND r.count = $5 + 1
                    AND r.blocked_until = $3::timestamptz + make_interval(secs => $6 / 1000.0)) AS new_block`,
      [ip, endpoint, now, ttlMs, limit, blockMs],
    );
    const r = rows[0];
    const blockedUntil =
      r.blocked_until && r.blocked_until.getTime() > now.getTime() ? r.blocked_until : null;
    return {
      count: r.count,
      resetMs: Math.max(0, r.window_start.getTime() + ttlMs - now.getTime()),
      blockedMs: blockedUntil ? blockedUntil.getTime() - now.getTime() : 0,
      newBlock: r.new_block,
    };
  }

  /** Persists a block decided elsewhere (Redis), so admins see it and it survives a Redis flush. */
  async recordBlock(
    ip: string,
    endpoint: string,
    now: Date,
    blockedUntil: Date,
    count: number,
  ): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO ip_rate_limits AS r (ip, endpoint, count, window_start, last_attempt_at, blocked_until)
       VALUES ($1, $2, $5, $3, $3, $4)
       ON CONFLICT (ip, endpoint) DO UPDATE SET blocked_until = GREATEST(r.blocked_until, $4), last_attempt_at = $3, count = $5`,
      [ip, endpoint, now, blockedUntil, count],
    );
  }

  async findBlock(ip: string, endpoint: string, now: Date): Promise<Date | null> {
    const row = await queryOne<{ blocked_until: Date }>(
      this.db,
      `SELECT blocked_until FROM ip_rate_limits WHERE ip = $1 AND endpoint = $2 AND blocked_until > $3`,
      [ip, endpoint, now],
    );
    return row?.blocked_until ?? null;
  }

  async activeBlocks(
    now: Date,
    after: { ip: string; endpoint: string } | null,
    limit: number,
  ): Promise<ActiveBlock[]> {
    const rows = await queryRows<{
      ip: string;
      endpoint: string;
      blocked_until: Date;
      count: number;
    }>(
      this.db,
      `SELECT ip, endpoint, blocked_until, count FROM ip_rate_limits
       WHERE blocked_until > $1 AND ($2::text IS NULL OR (ip, endpoint) > ($2, $3))
       ORDER BY ip, endpoint LIMIT $4`,
      [now, after?.ip ?? null, after?.endpoint ?? null, limit],
    );
    return rows.map((r) => ({
      ip: r.ip,
      endpoint: r.endpoint,
      blockedUntil: r.blocked_until,
      count: r.count,
    }));
  }

  async listBlocks(now: Date): Promise<{ ip: string; endpoint: string; blockedUntil: Date }[]> {
    const rows = await queryRows<{ ip: string; endpoint: string; blocked_until: Date }>(
      this.db,
      `SELECT ip, endpoint, blocked_until FROM ip_rate_limits WHERE blocked_until > $1
       ORDER BY blocked_until DESC LIMIT 1000`,
      [now],
    );
    return rows.map((r) => ({ ip: r.ip, endpoint: r.endpoint, blockedUntil: r.blocked_until }));
  }

  /** Clears the IP's counters and blocks on every endpoint; returns the endpoints it had. */
  async unblock(ip: string, now: Date): Promise<string[]> {
    const rows = await queryRows<{ endpoint: string }>(
      this.db,
      `UPDATE ip_rate_limits SET blocked_until = NULL, count = 0, window_start = $2 WHERE ip = $1 RETURNING endpoint`,
      [ip, now],
    );
    return rows.map((r) => r.endpoint);
  }

  async purgeStale(now: Date): Promise<void> {
    await execute(
      this.db,
      `DELETE FROM ip_rate_limits WHERE (ip, endpoint) IN (
         SELECT ip, endpoint FROM ip_rate_limits
         WHERE last_attempt_at < $1::timestamptz - interval '1 day' AND (blocked_until IS NULL OR blocked_until <= $1)
         LIMIT 5000)`,
      [now],
    );
  }
}
