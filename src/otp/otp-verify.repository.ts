import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NewAuditEventRow } from '../audit/audit-event.repository.js';
import type { Channel } from '../common/recipient/recipient-normalizer.js';
import { failuresInWindow, OTP_TABLES, retireCode } from './otp-tables.js';
import { preparedQuery } from './prepared-query.js';

export interface AtomicVerifyInput {
  channel: Channel;
  recipient: string;
  purpose: string;
  /** The HMAC stored forms of the submitted code, one per known pepper. */
  candidates: string[];
  /** The same under every allowed purpose: a replaced code may have been sent for another one. */
  staleCandidates: string[];
  now: Date;
  lockoutSeconds: number;
  maxFailures: number;
  /** The audit row's common part (recipient hash and mask, ip, request id…); type and details are set here. */
  audit: NewAuditEventRow;
}

export interface AtomicVerifyResult {
  matched: boolean;
  /** The submitted code is the recipient's replaced one: nothing was counted or changed. */
  stale: boolean;
  verificationId: string | null;
  failedAttempts: number;
  codeAttempts: number;
  lockedUntil: Date | null;
  events: { id: string; type: string; details: Record<string, unknown> }[];
}

/**
 * One statement per HMAC verification: lock the recipient's row, compare the submitted code's
 * HMAC with the stored one, apply the outcome (reset and consume, count a failure, or lock and
 * invalidate; or, for the replaced code, nothing) and write its audit rows. The outcome and its audit trail commit together, and
 * concurrent verifications serialise on the row lock (the lock re-reads the latest row).
 */
@Injectable()
export class OtpVerifyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Null when there is no claimable HMAC code (none, other purpose, expired, locked, or exhausted)
   * and the submitted code is not the recipient's replaced one either.
   */
  async verifyHmac(v: AtomicVerifyInput): Promise<AtomicVerifyResult | null> {
    const { table, col } = OTP_TABLES[v.channel];
    const inWindow = failuresInWindow('$3', '$4');
    const a = v.audit;
    const claimable = `t.purpose = $2 AND t.code_hash LIKE 'hmac-sha256$%' AND t.expires_at > $3
           AND ${inWindow} < $5`;
    const stale = `t.previous_code_hash = ANY($15::text[]) AND t.previous_expires_at > $3`;
    const rows: {
      matched: boolean;
      stale: boolean;
      verification_id: string | null;
      failed_attempts: number | null;
      code_attempts: number | null;
      locked_until: Date | null;
      events: { id: string; type: string; details: Record<string, unknown> }[] | null;
    }[] = await preparedQuery(
      this.db,
      `otp_verify_hmac_${v.channel}`,
      // target: the recipient's row, locked, when it has a claimable code or the submitted code is
      // its replaced one (never while locked). The lock re-evaluates every column on the latest row.
      // A right current code wins; then a replaced code answers without counting; else a failure.
      `WITH target AS (
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
         RETURNING o.matched, o.locks, o.verification_id, t.failed_attempts, t.code_attempts, t.locked_until
       ),
       kinds AS (
         SELECT 'otp.verified' AS type, jsonb_build_object('verificationId', upd.verification_id,
                  'attempt', upd.code_attempts) AS details, 1 AS ord
         FROM upd WHERE upd.matched
         UNION ALL
         SELECT 'otp.verify_failed', jsonb_build_object('verificationId', upd.verification_id,
                  'attempt', upd.code_attempts, 'failures', upd.failed_attempts,
                  'attemptsLeft', GREATEST($5 - upd.failed_attempts, 0)), 2
         FROM upd WHERE NOT upd.matched
         UNION ALL
         SELECT 'otp.locked', jsonb_build_object('verificationId', upd.verification_id,
                  'attempt', upd.code_attempts, 'failures', upd.failed_attempts,
                  'lockedUntil', to_char(upd.locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), 3
         FROM upd WHERE upd.locks
         UNION ALL
         SELECT 'otp.verify_stale', jsonb_build_object('verificationId', o.previous_verification_id,
                  'currentVerificationId', o.verification_id), 4
         FROM outcome o WHERE o.stale
       ),
       ev AS (
         INSERT INTO audit_events (occurred_at, type, channel, purpose, ip, user_agent, request_id,
                                   recipient_hash, recipient_masked, details)
         SELECT $7, kinds.type, $8, $9, $10, $11, $12, $13, $14, kinds.details FROM kinds ORDER BY kinds.ord
         RETURNING id, type, details
       )
       SELECT o.stale, COALESCE(upd.matched, false) AS matched, upd.verification_id,
              upd.failed_attempts, upd.code_attempts, upd.locked_until,
              (SELECT json_agg(json_build_object('id', ev.id::text, 'type', ev.type, 'details', ev.details)
                               ORDER BY ev.id) FROM ev) AS events
       FROM outcome o LEFT JOIN upd ON true`,
      [
        v.recipient,
        v.purpose,
        v.now,
        v.lockoutSeconds,
        v.maxFailures,
        v.candidates,
        a.occurredAt,
        a.channel,
        a.purpose,
        a.ip,
        a.userAgent,
        a.requestId,
        a.recipientHash,
        a.recipientMasked,
        v.staleCandidates,
      ],
    );
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

  /**
   * PBKDF2 path, when the submitted code was the replaced one: gives back the attempt claimed for
   * it and writes its `otp.verify_stale` row, in one statement. Returns the audit row's id.
   */
  async releaseStale(
    channel: Channel,
    id: string,
    verificationId: string,
    audit: NewAuditEventRow,
  ): Promise<string> {
    const { table } = OTP_TABLES[channel];
    const rows: { id: string }[] = await this.db.query(
      `WITH rel AS (
         UPDATE ${table} SET failed_attempts = GREATEST(failed_attempts - 1, 0),
                code_attempts = GREATEST(code_attempts - 1, 0)
         WHERE id = $1 AND verification_id = $2 AND failed_attempts > 0
         RETURNING id
       )
       INSERT INTO audit_events (occurred_at, type, channel, purpose, ip, user_agent, request_id,
                                 recipient_hash, recipient_masked, details)
       SELECT $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb
       FROM (SELECT count(*) FROM rel) AS released
       RETURNING id::text`,
      [
        id,
        verificationId,
        audit.occurredAt,
        audit.type,
        audit.channel,
        audit.purpose,
        audit.ip,
        audit.userAgent,
        audit.requestId,
        audit.recipientHash,
        audit.recipientMasked,
        JSON.stringify(audit.details),
      ],
    );
    return rows[0].id;
  }
}
