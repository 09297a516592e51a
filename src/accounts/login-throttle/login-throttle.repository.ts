import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { execute, queryOne, queryRows } from '#src/common/database/query.js';

export interface LoginThrottleRow {
  email: string;
  lockedUntil: Date;
}

// Failures still counting: the last one is less than the window old.
const IN_WINDOW = `t.last_failed_at > $2::timestamptz - make_interval(secs => $3)`;

/** Every login_throttles statement; each decision is one conditional statement. */
@Injectable()
export class LoginThrottleRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims one password check for an email before it runs, counting it as a failure up front (a
   * right password gives it back): N parallel guesses never get more than `maxFailures` checks,
   * on one instance or many. Null when the email is throttled.
   */
  async claim(
    email: string,
    now: Date,
    windowSeconds: number,
    maxFailures: number,
  ): Promise<{ failures: number } | null> {
    const row = await queryOne<{ failures: number }>(
      this.db,
      `INSERT INTO login_throttles AS t (email, failures, last_failed_at) VALUES ($1, 1, $2)
       ON CONFLICT (email) DO UPDATE SET
         failures = CASE WHEN ${IN_WINDOW} THEN t.failures + 1 ELSE 1 END,
         last_failed_at = $2
       WHERE NOT (${IN_WINDOW} AND t.failures >= $4)
       RETURNING t.failures`,
      [email, now, windowSeconds, maxFailures],
    );
    return row ?? null;
  }

  /** A right password: the failures are forgotten. */
  async reset(email: string): Promise<void> {
    await execute(this.db, `DELETE FROM login_throttles WHERE email = $1`, [email]);
  }

  /** Until when the email is throttled (null when it is not), read only to explain a refusal. */
  async lockedUntil(
    email: string,
    now: Date,
    windowSeconds: number,
    maxFailures: number,
  ): Promise<Date | null> {
    const row = await queryOne<{ until: Date }>(
      this.db,
      `SELECT t.last_failed_at + make_interval(secs => $3) AS until FROM login_throttles t
       WHERE t.email = $1 AND ${IN_WINDOW} AND t.failures >= $4`,
      [email, now, windowSeconds, maxFailures],
    );
    return row?.until ?? null;
  }

  async list(now: Date, windowSeconds: number, maxFailures: number): Promise<LoginThrottleRow[]> {
    const rows = await queryRows<{ email: string; until: Date }>(
      this.db,
      `SELECT t.email, t.last_failed_at + make_interval(secs => $2) AS until FROM login_throttles t
       WHERE t.last_failed_at > $1::timestamptz - make_interval(secs => $2) AND t.failures >= $3
       ORDER BY t.last_failed_at DESC LIMIT 1000`,
      [now, windowSeconds, maxFailures],
    );
    return rows.map((r) => ({ email: r.email, lockedUntil: new Date(r.until) }));
  }

  /** Lifts a throttle and forgets the failures; whether the email was throttled. */
  async unlock(
    email: string,
    now: Date,
    windowSeconds: number,
    maxFailures: number,
  ): Promise<boolean> {
    const row = await queryOne<{ locked: boolean }>(
      this.db,
      `DELETE FROM login_throttles t WHERE t.email = $1
       RETURNING (${IN_WINDOW} AND t.failures >= $4) AS locked`,
      [email, now, windowSeconds, maxFailures],
    );
    return row?.locked ?? false;
  }

  /** Deletes rows whose failures no longer count. */
  async purgeIdle(now: Date, windowSeconds: number): Promise<number> {
    return execute(
      this.db,
      `DELETE FROM login_throttles WHERE email IN (
         SELECT email FROM login_throttles
         WHERE last_failed_at <= $1::timestamptz - make_interval(secs => $2) LIMIT 5000)`,
      [now, windowSeconds],
    );
  }
}
