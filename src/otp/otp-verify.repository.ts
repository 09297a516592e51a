import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { auditRowValues } from '#src/audit/audit-sql.js';
import { preparedRows } from '#src/common/database/query.js';
import type { Channel } from '#src/common/recipient/recipient-normalizer.js';
import { failuresInWindow, OTP_TABLES, retireCode } from './otp-tables.js';
import { settledSelect, verifyEventsCtes, WRITTEN_EVENTS_JSON } from './otp-verify-events.js';
import {
  OtpHmacVerifyStore,
  type AtomicVerifyInput,
  type AtomicVerifyResult,
  type WrittenAuditEvent,
} from './otp.ports.js';

/**
 * The HMAC verify statement of a channel. Built once, so each prepared-statement name always
 * names one text. Parameters: $1 recipient, $2 purpose, $3 now, $4 lockout seconds, $5 max
 * failures, $6 candidates, $7–$14 the audit row's common part, $15 stale candidates.
 */
function verifyHmacSql(channel: Channel): string {
  const { table, col } = OTP_TABLES[channel];
  const inWindow = failuresInWindow('$3', '$4');
  const claimable = `t.purpose = $2 AND t.code_hash LIKE 'hmac-sha256$%' AND t.expires_at > $3
           AND ${inWindow} < $5`;
  const stale = `t.previous_code_hash = ANY($15::text[]) AND t.previous_expires_at > $3`;
  // target: the recipient's row, locked, when it has a claimable code or the submitted code is
  // its replaced one (never while locked). The lock re-evaluates every column on the latest row.
  // A right current code wins; then a replaced code answers without counting; else a failure.
  return `WITH target AS (
         SELECT t.id, t.verification_id, t.previous_verification_id,
                ${inWindow} AS failures,
                COALESCE(${claimable}, false) AS claimable,
                COALESCE(t.code_hash = ANY($6::text[]), false) AS matched,
                COALESCE(${stale}, false) AS stale
         FROM ${table} t
         WHERE t.${col} = $1 AND (t.locked_until IS NULL OR t.locked_until <= $3)
           AND ((${claimable}) OR (${stale}))
         FOR UPDATE
       ),
       outcome AS (
         SELECT target.id, target.verification_id, target.previous_verification_id, target.failures,
                target.claimable AND target.matched AS matched,
                target.stale AND NOT (target.claimable AND target.matched) AS stale,
                target.claimable AND NOT target.matched AND NOT target.stale
                  AND target.failures + 1 >= $5 AS locks
         FROM target
       ),
       upd AS (
         UPDATE ${table} t SET
           failed_attempts = CASE WHEN o.matched THEN 0 ELSE o.failures + 1 END,
           last_failed_at = CASE WHEN o.matched THEN NULL ELSE $3 END,
           code_attempts = t.code_attempts + 1,
           locked_until = CASE WHEN o.locks THEN $3::timestamptz + make_interval(secs => $4) ELSE t.locked_until END,
           ${retireCode('o.matched OR o.locks', '$3')},
           code_hash = CASE WHEN o.matched OR o.locks THEN NULL ELSE t.code_hash END,
           verification_id = CASE WHEN o.matched OR o.locks THEN NULL ELSE t.verification_id END,
           expires_at = CASE WHEN o.matched OR o.locks THEN NULL ELSE t.expires_at END
         FROM outcome o WHERE t.id = o.id AND NOT o.stale
         RETURNING t.failed_attempts, t.code_attempts, t.locked_until
       ),
       settled AS (
         ${settledSelect(
           {
             matched: 'o.matched',
             locks: 'o.locks',
             stale: 'o.stale',
             verification_id: 'o.verification_id',
             previous_verification_id: 'o.previous_verification_id',
             code_attempts: 'upd.code_attempts',
             failed_attempts: 'upd.failed_attempts',
             locked_until: 'upd.locked_until',
           },
           'outcome o LEFT JOIN upd ON true',
         )}
       ),
       ${verifyEventsCtes('settled', '$5', 7)}
       SELECT s.stale, s.matched, s.verification_id, s.failed_attempts, s.code_attempts,
              s.locked_until, ${WRITTEN_EVENTS_JSON} AS events
       FROM settled s`;
}

const VERIFY_HMAC_SQL: Record<Channel, string> = {
  email: verifyHmacSql('email'),
  sms: verifyHmacSql('sms'),
};

/**
 * One statement per HMAC verification: lock the recipient's row, compare the submitted code's
 * HMAC with the stored one, apply the outcome (reset and consume, count a failure, or lock and
 * invalidate; or, for the replaced code, nothing) and write its audit rows. The outcome and its
 * audit trail commit together, and concurrent verifications serialise on the row lock (the lock
 * re-reads the latest row).
 */
@Injectable()
export class OtpVerifyRepository implements OtpHmacVerifyStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async verifyHmac(v: AtomicVerifyInput): Promise<AtomicVerifyResult | null> {
    const rows = await preparedRows<{
      matched: boolean;
      stale: boolean;
      verification_id: string | null;
      failed_attempts: number | null;
      code_attempts: number | null;
      locked_until: Date | null;
      events: WrittenAuditEvent[] | null;
    }>(this.db, `otp_verify_hmac_${v.channel}`, VERIFY_HMAC_SQL[v.channel], [
      v.recipient,
      v.purpose,
      v.now,
      v.lockoutSeconds,
      v.maxFailures,
      v.candidates,
      ...auditRowValues(v.audit),
      v.staleCandidates,
    ]);
    const r = rows[0];
    if (!r) return null;
    return {
      matched: r.matched,
      stale: r.stale,
      verificationId: r.verification_id,
      failedAttempts: r.failed_attempts ?? 0,
      codeAttempts: r.code_attempts ?? 0,
      lockedUntil: r.locked_until ? new Date(r.locked_until) : null,
      events: r.events ?? [],
    };
  }
}
