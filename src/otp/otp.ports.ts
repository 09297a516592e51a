import type { NewAuditEventRow } from '#src/audit/audit-event.repository.js';
import type { Channel } from '#src/common/recipient/recipient-normalizer.js';

// The OTP services' persistence ports. Each is an abstract class (the DI token) implemented by
// one repository on PostgreSQL (see otp.module.ts) and by in-memory fakes in the unit specs. Every
// method is one atomic statement: the rules are enforced in the database, never read-then-write.

/** A recipient's row, read only to explain a refusal (never to decide one). */
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

export interface ClaimedAttempt {
  id: string;
  codeHash: string;
  verificationId: string;
  /** Failures in the window, this claimed attempt included. */
  failedAttempts: number;
  /** Comparisons against the current code, this one included. */
  codeAttempts: number;
  /** The replaced code, while unexpired: entering it is not a failure. */
  previous: { codeHash: string; purpose: string; verificationId: string | null } | null;
}

/** An audit row a statement wrote, as the statement returned it. */
export interface WrittenAuditEvent {
  id: string;
  type: string;
  details: Record<string, unknown>;
}

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
  /** The audit rows' common part (AuditService.prepare); type and details are set by the statement. */
  audit: NewAuditEventRow;
}

export interface AtomicVerifyResult {
  matched: boolean;
  /** The submitted code is the recipient's replaced one: nothing was counted or changed. */
  stale: boolean;
  /** The current send's id. */
  verificationId: string | null;
  failedAttempts: number;
  codeAttempts: number;
  lockedUntil: Date | null;
  events: WrittenAuditEvent[];
}

/** How a compared (claimed) attempt ends, with its audit rows. */
export interface AttemptSettlement {
  channel: Channel;
  claim: ClaimedAttempt;
  now: Date;
  maxFailures: number;
  /** The audit rows' common part (AuditService.prepare); type and details are set by the statement. */
  audit: NewAuditEventRow;
}

/** The recipient's state, to explain a refused claim. */
export abstract class OtpStateStore {
  abstract findState(channel: Channel, recipient: string): Promise<OtpState | null>;
}

/** Sending: claim a send (code, cooldown, quota) and withdraw it when no provider delivered. */
export abstract class OtpSendStore extends OtpStateStore {
  /** Stores the new code only when the recipient is not locked, cooling down or over quota. */
  abstract claimSend(claim: SendClaim): Promise<boolean>;
  /** The code is withdrawn and the cooldown lifted; the send still counts toward the quota. */
  abstract releaseFailedSend(
    channel: Channel,
    recipient: string,
    verificationId: string,
    now: Date,
  ): Promise<void>;
}

/** HMAC codes: claim, compare, settle and audit in one statement. */
export abstract class OtpHmacVerifyStore {
  /** Null when nothing is claimable and the code is not the replaced one either. */
  abstract verifyHmac(input: AtomicVerifyInput): Promise<AtomicVerifyResult | null>;
}

/** Codes compared outside the database (PBKDF2): claim an attempt, then settle or release it. */
export abstract class OtpAttemptStore {
  /** Counts a failure up front; null when the state allows no claim. */
  abstract claimAttempt(
    channel: Channel,
    recipient: string,
    purpose: string,
    now: Date,
    lockoutSeconds: number,
    maxFailures: number,
  ): Promise<ClaimedAttempt | null>;
  /** Gives back an attempt claimed but never compared. */
  abstract releaseAttempt(channel: Channel, claim: ClaimedAttempt): Promise<void>;
  /** Uses the code and writes `otp.verified`; null when another request used it first. */
  abstract settleRight(s: AttemptSettlement): Promise<WrittenAuditEvent[] | null>;
  /** Writes `otp.verify_failed`; with `lockedUntil`, also locks the recipient, `otp.locked`. */
  abstract settleWrong(
    s: AttemptSettlement,
    lockedUntil: Date | null,
  ): Promise<WrittenAuditEvent[]>;
  /** The replaced code was entered: gives the claimed attempt back, writes `otp.verify_stale`. */
  abstract settleStale(s: AttemptSettlement): Promise<WrittenAuditEvent[]>;
}
