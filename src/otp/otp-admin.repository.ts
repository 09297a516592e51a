import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { execute, queryRows } from '#src/common/database/query.js';
import type { Channel } from '#src/common/recipient/recipient-normalizer.js';
import { OTP_TABLES } from './otp-tables.js';

export interface RecipientLockRow {
  channel: Channel;
  recipient: string;
  lockedUntil: Date;
}

/** The admin side and housekeeping of email_otps and phone_otps: locks, unlock, idle rows. */
@Injectable()
export class OtpAdminRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async listLocks(now: Date): Promise<RecipientLockRow[]> {
    const rows = await queryRows<{ channel: Channel; recipient: string; locked_until: Date }>(
      this.db,
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
    const rows = await queryRows(
      this.db,
      `UPDATE ${table} SET locked_until = NULL, failed_attempts = 0, last_failed_at = NULL, updated_at = $2
       WHERE ${col} = $1 AND (locked_until > $2 OR failed_attempts > 0)
       RETURNING id`,
      [recipient, now],
    );
    return rows.length === 1;
  }

  /** Deletes rows with nothing left to remember: no live code, lock, cooldown, quota or failures. */
  async purgeIdle(now: Date, lockoutSeconds: number): Promise<number> {
    let total = 0;
    for (const { table } of Object.values(OTP_TABLES)) {
      total += await execute(
        this.db,
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
    }
    return total;
  }
}
