import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { execute, preparedRows, queryOne } from '#src/common/database/query.js';
import type { Channel } from '#src/common/recipient/recipient-normalizer.js';
import { OTP_TABLES, retireCode } from './otp-tables.js';
import { OtpSendStore, type OtpState, type SendClaim } from './otp.ports.js';

/**
 * Sends and the recipient's state. Every rule is one atomic statement: the row lock PostgreSQL
 * takes for an UPDATE or an `INSERT … ON CONFLICT DO UPDATE` re-evaluates the WHERE clause against
 * the latest committed row, so concurrent requests, on one instance or many, serialise on the
 * recipient.
 */
@Injectable()
export class OtpRepository implements OtpSendStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims a send: stores the new code (replacing any previous one), starts the cooldown and records
   * the send time, only if the recipient is not locked, not cooling down and under the hourly quota.
   * Returns false when any of those refuses. With no cooldown (cooldownUntil = now) none is stored:
   * a concurrent request whose `now` is a millisecond older must not see one.
   */
  async claimSend(c: SendClaim): Promise<boolean> {
    const { table, col } = OTP_TABLES[c.channel];
    const rows = await preparedRows(
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

  async releaseFailedSend(
    channel: Channel,
    recipient: string,
    verificationId: string,
    now: Date,
  ): Promise<void> {
    const { table, col } = OTP_TABLES[channel];
    await execute(
      this.db,
      `UPDATE ${table} SET code_hash = NULL, verification_id = NULL, expires_at = NULL, cooldown_until = NULL, updated_at = $3
       WHERE ${col} = $1 AND verification_id = $2`,
      [recipient, verificationId, now],
    );
  }

  async findState(channel: Channel, recipient: string): Promise<OtpState | null> {
    const { table, col } = OTP_TABLES[channel];
    const r = await queryOne<{
      purpose: string | null;
      has_code: boolean;
      expires_at: Date | null;
      failed_attempts: number;
      last_failed_at: Date | null;
      locked_until: Date | null;
      cooldown_until: Date | null;
      send_times: Date[];
    }>(
      this.db,
      `SELECT purpose, code_hash IS NOT NULL AS has_code, expires_at, failed_attempts, last_failed_at,
              locked_until, cooldown_until, send_times
       FROM ${table} WHERE ${col} = $1`,
      [recipient],
    );
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
}
