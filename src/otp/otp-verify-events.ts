import { auditInsertSql } from '#src/audit/audit-sql.js';

// The audit events of a verification, defined once: the HMAC statement and the PBKDF2 settle
// statements both write them through verifyEventsCtes, from a relation describing how the
// verification was settled. Only the statements differ in where that relation comes from.

/**
 * The columns of a settled verification (one row): `matched`, `locks`, `stale` (booleans),
 * `verification_id` (the current send), `previous_verification_id` (the replaced send),
 * `code_attempts`, `failed_attempts` (int) and `locked_until` (timestamptz).
 */
export interface SettledColumns {
  matched: string;
  locks: string;
  stale: string;
  verification_id: string;
  previous_verification_id: string;
  code_attempts: string;
  failed_attempts: string;
  locked_until: string;
}

/** `SELECT <expr> AS <column>, …` of a settled verification, from `from` (empty: one row). */
export function settledSelect(c: SettledColumns, from: string): string {
  const cols = Object.entries(c).map(([name, expr]) => `${expr} AS ${name}`);
  return `SELECT ${cols.join(', ')}${from ? ` FROM ${from}` : ''}`;
}

/**
 * `kinds AS (…), ev AS (INSERT … RETURNING id, type, details)`: the events of the settled
 * verification in relation `settled`, in this order: otp.verified, otp.verify_failed, otp.locked,
 * otp.verify_stale. `max` is the maximum failures' placeholder; the audit row's common part
 * takes AUDIT_ROW_PARAMS parameters from `$first` on.
 */
export function verifyEventsCtes(settled: string, max: string, first: number): string {
  const s = settled;
  const utc = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
  return `kinds AS (
         SELECT 'otp.verified' AS type, jsonb_build_object('verificationId', ${s}.verification_id,
                  'attempt', ${s}.code_attempts) AS details, 1 AS ord
         FROM ${s} WHERE ${s}.matched
         UNION ALL
         SELECT 'otp.verify_failed', jsonb_build_object('verificationId', ${s}.verification_id,
                  'attempt', ${s}.code_attempts, 'failures', ${s}.failed_attempts,
                  'attemptsLeft', GREATEST(${max} - ${s}.failed_attempts, 0)), 2
         FROM ${s} WHERE NOT ${s}.matched AND NOT ${s}.stale
         UNION ALL
         SELECT 'otp.locked', jsonb_build_object('verificationId', ${s}.verification_id,
                  'attempt', ${s}.code_attempts, 'failures', ${s}.failed_attempts,
                  'lockedUntil', to_char(${s}.locked_until AT TIME ZONE 'UTC', ${utc})), 3
         FROM ${s} WHERE ${s}.locks
         UNION ALL
         SELECT 'otp.verify_stale', jsonb_build_object('verificationId', ${s}.previous_verification_id,
                  'currentVerificationId', ${s}.verification_id), 4
         FROM ${s} WHERE ${s}.stale
       ),
       ev AS (
         ${auditInsertSql({ first, from: 'kinds', type: 'kinds.type', details: 'kinds.details', orderBy: 'kinds.ord' })}
       )`;
}

/** A select-list expression: the rows `ev` wrote, as JSON, oldest first. */
export const WRITTEN_EVENTS_JSON = `(SELECT json_agg(json_build_object('id', ev.id::text, 'type', ev.type, 'details', ev.details)
                               ORDER BY ev.id) FROM ev)`;
