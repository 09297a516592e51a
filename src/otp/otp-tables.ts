import type { Channel } from '../common/recipient/recipient-normalizer.js';

/** The table and recipient column of each channel (fixed names, never user input). */
export const OTP_TABLES: Record<Channel, { table: string; col: string }> = {
  email: { table: 'email_otps', col: 'email' },
  sms: { table: 'phone_otps', col: 'phone' },
};

/**
 * SQL for the recipient's failures that still count: only those within OTP_LOCKOUT_SECONDS of the
 * last one. `now` and `lockout` are parameter placeholders; the row is aliased `t`.
 */
export const failuresInWindow = (now: string, lockout: string) =>
  `(CASE WHEN t.last_failed_at > ${now}::timestamptz - make_interval(secs => ${lockout}) THEN t.failed_attempts ELSE 0 END)`;
