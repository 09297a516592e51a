// Over 200 lines on purpose: every statement on email_otps and phone_otps is here, one method per
// atomic statement, so the tables' invariants read in one place. A split by use (send, verify,
// admin) belongs to the OTP module's own refactor (issue 13, after this wave's merge).
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Channel } from '../common/recipient/recipient-normalizer.js';
import { affectedOf, rowsOf } from '../common/database/sql.js';
import { failuresInWindow, OTP_TABLES, retireCode } from './otp-tables.js';
import { preparedQuery } from './prepared-query.js';

export interface OtpState {
  purpose: string | null;
  hasCode: boolean;
  expiresAt: Date | null;
  failedAttempts: number;
  lastFailedAt: Date | null;
  lockedUntil: Date | null;
  cooldownUntil: Date | null;
  sendTimes: Date[];
}

export interface ClaimedAttempt {
  id: string;
  codeHash: string;
  verificationId: string;
  failedAttempts: number;
  codeAttempts: number;
  /** The replaced code, while unexpired: entering it is not a failure. */
  previous: { codeHash: string; purpose: string; verificationId: string | null } | null;
}

export interface SendClaim {
  channel: Channel;
  recipient: string;
  purpose: string;
  codeHash: string;
  verificationId: string;
  now: Date;
  expiresAt: Date;
  cooldownUntil: Date;
  maxSendsPerHour: number;
}

export interface RecipientLockRow {
  channel: Channel;
  recipient: string;
  lockedUntil: Date;
}

/**
 * Every OTP rule as one atomic statement: the row lock PostgreSQL takes for an UPDATE or an
 * `INSERT … ON CONFLICT DO UPDATE` re-evaluates the WHERE clause against the latest committed row,
 * so concurrent requests, on one instance or many, serialise on the recipient.
 */
@Injectable()
export class OtpRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims a send: stores the new code (replacing any previous one), starts the cooldown and records
   * the send time, only if the recipient is not locked, not cooling down and under the hourly quota.
   * Returns false when any of those refuses. With no cooldown (cooldownUntil = now) none is stored:
   * a concurrent request whose `now` is a millisecond older must not see one.
   */
  async claimSend(c: SendClaim): Promise<boolean> {
    const { table, col } = OTP_TABLES[c.channel];
    const rows: unknown[] = await preparedQuery(
      this.db,
      `otp_claim_send_${c.channel}`,
      `INSERT INTO ${table} AS t (${col}, purpose, code_hash, verification_id, code_created_at, expires_at,
                                  send_times, last_sent_at, cooldown_until, code_attempts, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, ARRAY[$5::timestamptz], $5, NULLIF($7::timestamptz, $5::timestamptz), 0, $5, $5)
       ON CONFLICT (${col}) DO UPDATE SET
         purpose = EXCLUDED.purpose,
         code_hash = EXCLUDED.code_hash,
         verification_id = EXCLUDED.verification_id,
         code_created_at = EXCLUDED.code_created_at,
         expires_at = EXCLUDED.expires_at,
         code_attempts = 0,
         send_times = array_append(
           ARRAY(SELECT s FROM unnest(t.send_times) s WHERE s > $5::timestamptz - interval '1 hour'), $5::timestamptz),
         last_sent_at = $5,
         cooldown_until = NULLIF($7::timestamptz, $5::timestamptz),
         ${retireCode('t.code_hash IS NOT NULL AND t.expires_at > $5', '$5')},
         updated_at = $5
       WHERE (t.locked_until IS NULL OR t.locked_until <= $5)
         AND (t.cooldown_until IS NULL OR t.cooldown_until <= $5)
         AND (SELECT count(*) FROM unnest(t.send_times) s WHERE s > $5::timestamptz - interval '1 hour') < $8
       RETURNING t.id`,
      [
        c.recipient,
        c.purpose,
        c.codeHash,
        c.verificationId,
        c.now,
        c.expiresAt,
        c.cooldownUntil,
        c.maxSendsPerHour,
      ],
    );
    return rows.length === 1;
  }

  /** After every provider failed: the code is withdrawn and the cooldown lifted; the send still counts. */
  async releaseFailedSend(
    channel: Channel,
    recipient: string,
    verificationId: string,
    now: Date,
  ): Promise<void> {
    const { table, col } = OTP_TABLES[channel];
    await this.db.query(
      `UPDATE ${table} SET code_hash = NULL, verification_id = NULL, expires_at = NULL, cooldown_until = NULL, updated_at = $3
       WHERE ${col} = $1 AND verification_id = $2`,
      [recipient, verificationId, now],
    );
  }

  /**
   * Claims one comparison before the code is compared: counts it as a failure up front, so N
   * parallel guesses never get more than `maxFailures` comparisons. A right code then resets it.
   */
  async claimAttempt(
    channel: Channel,
    recipient: string,
    purpose: string,
    now: Date,
    lockoutSeconds: number,
    maxFailures: number,
  ): Promise<ClaimedAttempt | null> {
    const { table, col } = OTP_TABLES[channel];
    const inWindow = failuresInWindow('$3', '$4');
    const rows: {
      id: string;
      code_hash: string;
      verification_id: string;
      failed_attempts: number;
      code_attempts: number;
      previous_code_hash: string | null;
      previous_purpose: string | null;
      previous_verification_id: string | null;
    }[] = rowsOf(
      await this.db.query(
        `UPDATE ${table} AS t SET
           failed_attempts = ${inWindow} + 1,
           code_attempts = t.code_attempts + 1,
           last_failed_at = $3
         WHERE t.${col} = $1 AND t.purpose = $2 AND t.code_hash IS NOT NULL AND t.expires_at > $3
           AND (t.locked_until IS NULL OR t.locked_until <= $3)
           AND ${inWindow} < $5
         RETURNING t.id, t.code_hash, t.verification_id, t.failed_attempts, t.code_attempts,
           CASE WHEN t.previous_expires_at > $3 THEN t.previous_code_hash END AS previous_code_hash,
           t.previous_purpose, t.previous_verification_id`,
        [recipient, purpose, now, lockoutSeconds, maxFailures],
      ),
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          codeHash: r.code_hash,
          verificationId: r.verification_id,
          failedAttempts: r.failed_attempts,
          codeAttempts: r.code_attempts,
          previous:
            r.previous_code_hash && r.previous_purpose
              ? {
                  codeHash: r.previous_code_hash,
                  purpose: r.previous_purpose,
                  verificationId: r.previous_verification_id,
                }
              : null,
        }
      : null;
  }

  /** Gives back an attempt claimed but never compared (the comparison could not run). */
  async releaseAttempt(channel: Channel, id: string, verificationId: string): Promise<void> {
    const { table } = OTP_TABLES[channel];
    await this.db.query(
      `UPDATE ${table} SET failed_attempts = GREATEST(failed_attempts - 1, 0),
              code_attempts = GREATEST(code_attempts - 1, 0)
       WHERE id = $1 AND verification_id = $2 AND failed_attempts > 0`,
      [id, verificationId],
    );
  }

  /** Uses the code: exactly one caller gets true for a given send. Resets the failure count. */
  async consumeCode(
    channel: Channel,
    id: string,
    verificationId: string,
    now: Date,
  ): Promise<boolean> {
    const { table } = OTP_TABLES[channel];
    const rows: unknown[] = rowsOf(
      await this.db.query(
        `UPDATE ${table} AS t SET code_hash = NULL, verification_id = NULL, expires_at = NULL,
              failed_attempts = 0, last_failed_at = NULL,
              ${retireCode('t.expires_at > $3', '$3')}
       WHERE id = $1 AND verification_id = $2 AND code_hash IS NOT NULL
       RETURNING id`,
        [id, verificationId, now],
      ),
    );
    return rows.length === 1;
  }

  /** The Nth failure: lock the recipient and invalidate its code. */
  async lock(channel: Channel, id: string, now: Date, lockedUntil: Date): Promise<void> {
    const { table } = OTP_TABLES[channel];
    await this.db.query(
      `UPDATE ${table} AS t SET locked_until = $3, code_hash = NULL, verification_id = NULL, expires_at = NULL,
              ${retireCode('t.code_hash IS NOT NULL AND t.expires_at > $2', '$2')},
              updated_at = $2
       WHERE id = $1`,
      [id, now, lockedUntil],
    );
  }

  /** The recipient's current state, read only to explain a refusal (never to decide one). */
  async findState(channel: Channel, recipient: string): Promise<OtpState | null> {
    const { table, col } = OTP_TABLES[channel];
    const rows: {
      purpose: string | null;
      has_code: boolean;
      expires_at: Date | null;
      failed_attempts: number;
      last_failed_at: Date | null;
      locked_until: Date | null;
      cooldown_until: Date | null;
      send_times: Date[];
    }[] = await this.db.query(
      `SELECT purpose, code_hash IS NOT NULL AS has_code, expires_at, failed_attempts, last_failed_at,
              locked_until, cooldown_until, send_times
       FROM ${table} WHERE ${col} = $1`,
      [recipient],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      purpose: r.purpose,
      hasCode: r.has_code,
      expiresAt: r.expires_at,
      failedAttempts: r.failed_attempts,
      lastFailedAt: r.last_failed_at,
      lockedUntil: r.locked_until,
      cooldownUntil: r.cooldown_until,
      sendTimes: r.send_times ?? [],
    };
  }

  async listLocks(now: Date): Promise<RecipientLockRow[]> {
    const rows: { channel: Channel; recipient: string; locked_until: Date }[] = await this.db.query(
      `SELECT 'email' AS channel, email AS recipient, locked_until FROM email_otps WHERE locked_until > $1
       UNION ALL
       SELECT 'sms', phone, locked_until FROM phone_otps WHERE locked_until > $1
       ORDER BY locked_until DESC LIMIT 1000`,
      [now],
    );
    return rows.map((r) => ({
      channel: r.channel,
      recipient: r.recipient,
      lockedUntil: r.locked_until,
    }));
  }

  /** Lifts a lock and forgets the failures; returns whether the recipient was locked. */
  async unlock(channel: Channel, recipient: string, now: Date): Promise<boolean> {
    const { table, col } = OTP_TABLES[channel];
    const rows: unknown[] = rowsOf(
      await this.db.query(
        `UPDATE ${table} SET locked_until = NULL, failed_attempts = 0, last_failed_at = NULL, updated_at = $2
       WHERE ${col} = $1 AND (locked_until > $2 OR failed_attempts > 0)
       RETURNING id`,
        [recipient, now],
      ),
    );
    return rows.length === 1;
  }

  /** Deletes rows with nothing left to remember: no live code, lock, cooldown, quota or failures. */
  async purgeIdle(now: Date, lockoutSeconds: number): Promise<number> {
    let total = 0;
    for (const { table } of Object.values(OTP_TABLES)) {
      const res: unknown = await this.db.query(
        `DELETE FROM ${table} WHERE id IN (
           SELECT id FROM ${table}
           WHERE (expires_at IS NULL OR expires_at <= $1)
             AND (locked_until IS NULL OR locked_until <= $1)
             AND (cooldown_until IS NULL OR cooldown_until <= $1)
             AND (last_failed_at IS NULL OR last_failed_at <= $1::timestamptz - make_interval(secs => $2))
             AND (previous_expires_at IS NULL OR previous_expires_at <= $1)
             AND updated_at <= $1::timestamptz - interval '1 hour'
           LIMIT 5000)`,
        [now, lockoutSeconds],
      );
      total += affectedOf(res);
    }
    return total;
  }
}
