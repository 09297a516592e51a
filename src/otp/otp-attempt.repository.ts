import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { auditRowValues } from '#src/audit/audit-sql.js';
import { execute, queryOne } from '#src/common/database/query.js';
import type { Channel } from '#src/common/recipient/recipient-normalizer.js';
import { failuresInWindow, OTP_TABLES, retireCode } from './otp-tables.js';
import { settledSelect, verifyEventsCtes, WRITTEN_EVENTS_JSON } from './otp-verify-events.js';
import {
  OtpAttemptStore,
  type AttemptSettlement,
  type ClaimedAttempt,
  type WrittenAuditEvent,
} from './otp.ports.js';

type SettleKind = 'right' | 'wrong' | 'lock' | 'stale';

/** What each way of settling a claimed attempt changes on the row (`c`: the claim); none for a plain failure. */
function settleChange(table: string, kind: SettleKind): string | null {
  const sameSend = 't.id = c.id AND t.verification_id = c.verification_id';
  switch (kind) {
    case 'right': // use the code; the failures it claimed are forgotten
      return `UPDATE ${table} AS t SET code_hash = NULL, verification_id = NULL, expires_at = NULL,
           failed_attempts = 0, last_failed_at = NULL, ${retireCode('t.expires_at > c.now', 'c.now')}
         FROM claim c WHERE ${sameSend} AND t.code_hash IS NOT NULL RETURNING t.id`;
    case 'lock': // the Nth failure: lock the recipient and invalidate its code
      return `UPDATE ${table} AS t SET locked_until = c.locked_until, code_hash = NULL,
           verification_id = NULL, expires_at = NULL,
           ${retireCode('t.code_hash IS NOT NULL AND t.expires_at > c.now', 'c.now')}, updated_at = c.now
         FROM claim c WHERE t.id = c.id RETURNING t.id`;
    case 'stale': // the replaced code: give the claimed attempt back
      return `UPDATE ${table} AS t SET failed_attempts = GREATEST(t.failed_attempts - 1, 0),
           code_attempts = GREATEST(t.code_attempts - 1, 0)
         FROM claim c WHERE ${sameSend} AND t.failed_attempts > 0 RETURNING t.id`;
    case 'wrong': // the claim already counted the failure
      return null;
  }
}

/**
 * A settling statement: the claim's values as a one-row relation, the change, then the verify
 * events of the settled verification. Parameters: $1 row id, $2 verification id, $3 the replaced
 * send's id, $4 code attempts, $5 failures, $6 locked until, $7 now, $8 max failures, $9–$16 the
 * audit row's common part. A right code writes its event only when it used the code.
 */
function settleSql(table: string, kind: SettleKind): string {
  const change = settleChange(table, kind);
  const settled = settledSelect(
    {
      matched: String(kind === 'right'),
      locks: String(kind === 'lock'),
      stale: String(kind === 'stale'),
      verification_id: 'c.verification_id',
      previous_verification_id: 'c.previous_verification_id',
      code_attempts: 'c.code_attempts',
      failed_attempts: 'c.failed_attempts',
      locked_until: 'c.locked_until',
    },
    kind === 'right' ? 'claim c, change' : 'claim c',
  );
  return `WITH claim AS (
         SELECT $1::uuid AS id, $2::uuid AS verification_id, $3::uuid AS previous_verification_id,
                $4::int AS code_attempts, $5::int AS failed_attempts,
                $6::timestamptz AS locked_until, $7::timestamptz AS now
       ),
       ${change ? `change AS (${change}),` : ''}
       settled AS (${settled}),
       ${verifyEventsCtes('settled', '$8::int', 9)}
       SELECT ${change ? '(SELECT count(*) FROM change)::int' : '0'} AS changed,
              ${WRITTEN_EVENTS_JSON} AS events`;
}

const KINDS: SettleKind[] = ['right', 'wrong', 'lock', 'stale'];
const SETTLE_SQL = Object.fromEntries(
  Object.entries(OTP_TABLES).map(([channel, { table }]) => [
    channel,
    Object.fromEntries(KINDS.map((k) => [k, settleSql(table, k)])),
  ]),
) as Record<Channel, Record<SettleKind, string>>;

/**
 * Codes compared outside the database (PBKDF2, or an HMAC code the one-statement path could not
 * claim): claim an attempt before comparing, then settle it. Each settle statement applies the
 * outcome and writes its audit rows (the same events as the HMAC statement, from the same
 * definition), so they commit together.
 */
@Injectable()
export class OtpAttemptRepository implements OtpAttemptStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Counts the comparison as a failure up front, so N parallel guesses never get more than
   * `maxFailures` comparisons. A right code then resets it.
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
    const r = await queryOne<{
      id: string;
      code_hash: string;
      verification_id: string;
      failed_attempts: number;
      code_attempts: number;
      previous_code_hash: string | null;
      previous_purpose: string | null;
      previous_verification_id: string | null;
    }>(
      this.db,
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
    );
    if (!r) return null;
    const previous =
      r.previous_code_hash && r.previous_purpose
        ? {
            codeHash: r.previous_code_hash,
            purpose: r.previous_purpose,
            verificationId: r.previous_verification_id,
          }
        : null;
    return {
      id: r.id,
      codeHash: r.code_hash,
      verificationId: r.verification_id,
      failedAttempts: r.failed_attempts,
      codeAttempts: r.code_attempts,
      previous,
    };
  }

  async releaseAttempt(channel: Channel, claim: ClaimedAttempt): Promise<void> {
    await execute(
      this.db,
      `UPDATE ${OTP_TABLES[channel].table} SET failed_attempts = GREATEST(failed_attempts - 1, 0),
              code_attempts = GREATEST(code_attempts - 1, 0)
       WHERE id = $1 AND verification_id = $2 AND failed_attempts > 0`,
      [claim.id, claim.verificationId],
    );
  }

  async settleRight(s: AttemptSettlement): Promise<WrittenAuditEvent[] | null> {
    const r = await this.settle('right', s, null);
    return r.changed === 1 ? r.events : null;
  }

  async settleWrong(s: AttemptSettlement, lockedUntil: Date | null): Promise<WrittenAuditEvent[]> {
    return (await this.settle(lockedUntil ? 'lock' : 'wrong', s, lockedUntil)).events;
  }

  async settleStale(s: AttemptSettlement): Promise<WrittenAuditEvent[]> {
    return (await this.settle('stale', s, null)).events;
  }

  private async settle(
    kind: SettleKind,
    s: AttemptSettlement,
    lockedUntil: Date | null,
  ): Promise<{ changed: number; events: WrittenAuditEvent[] }> {
    const { claim } = s;
    const r = await queryOne<{ changed: number; events: WrittenAuditEvent[] | null }>(
      this.db,
      SETTLE_SQL[s.channel][kind],
      [
        claim.id,
        claim.verificationId,
        claim.previous?.verificationId ?? null,
        claim.codeAttempts,
        claim.failedAttempts,
        lockedUntil,
        s.now,
        s.maxFailures,
        ...auditRowValues(s.audit),
      ],
    );
    return { changed: r?.changed ?? 0, events: r?.events ?? [] };
  }
}
