import type { Channel } from '#src/common/recipient/recipient-normalizer.js';

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

/**
 * SET clauses that move the row's current code into the `previous_*` columns when `retire` holds
 * (the code is replaced, used or invalidated while unexpired at `now`), and otherwise keep the
 * previous code only while it is unexpired. The row is aliased `t`; values are the pre-update ones.
 */
export const retireCode = (retire: string, now: string) => {
  const pick = (current: string, previous: string) =>
    `CASE WHEN ${retire} THEN t.${current} WHEN t.previous_expires_at > ${now} THEN t.${previous} END`;
  return [
    `previous_code_hash = ${pick('code_hash', 'previous_code_hash')}`,
    `previous_purpose = ${pick('purpose', 'previous_purpose')}`,
    `previous_verification_id = ${pick('verification_id', 'previous_verification_id')}`,
    `previous_expires_at = ${pick('expires_at', 'previous_expires_at')}`,
  ].join(',\n         ');
};
