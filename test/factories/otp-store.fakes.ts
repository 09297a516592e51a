import type { NewAuditEventRow } from '#src/audit/audit-event.repository.js';
import type { AuditEventInput } from '#src/audit/audit.types.js';
import { RandomSource } from '#src/common/crypto/random-source.js';
import type { Channel, Recipient } from '#src/common/recipient/recipient-normalizer.js';
import type { DeliveryResult, OtpMessageRequest } from '#src/notification/notification.types.js';
import {
  OtpAttemptStore,
  OtpHmacVerifyStore,
  OtpSendStore,
  type AtomicVerifyInput,
  type AtomicVerifyResult,
  type AttemptSettlement,
  type ClaimedAttempt,
  type OtpState,
  type SendClaim,
  type WrittenAuditEvent,
} from '#src/otp/otp.ports.js';

// In-memory fakes of the OTP persistence ports (src/otp/otp.ports.ts) and of the services the
// OTP services call, for unit specs. The real repositories are tested on real databases
// (test/integration/repositories).

const HOUR_MS = 3_600_000;

interface Row {
  purpose: string;
  codeHash: string | null;
  verificationId: string | null;
  expiresAt: Date | null;
  cooldownUntil: Date | null;
  lockedUntil: Date | null;
  sendTimes: Date[];
}

/** OtpSendStore: one row per recipient with OtpRepository.claimSend's rules, calls recorded. */
export class InMemoryOtpSendStore extends OtpSendStore {
  readonly rows = new Map<string, Row>();
  readonly claims: SendClaim[] = [];
  readonly releases: { recipient: string; verificationId: string; now: Date }[] = [];

  claimSend(c: SendClaim): Promise<boolean> {
    this.claims.push(c);
    const key = `${c.channel}:${c.recipient}`;
    const row = this.rows.get(key);
    const t = c.now.getTime();
    const recent = (row?.sendTimes ?? []).filter((s) => s.getTime() > t - HOUR_MS);
    if (
      (row?.lockedUntil && row.lockedUntil.getTime() > t) ||
      (row?.cooldownUntil && row.cooldownUntil.getTime() > t) ||
      recent.length >= c.maxSendsPerHour
    ) {
      return Promise.resolve(false);
    }
    this.rows.set(key, {
      purpose: c.purpose,
      codeHash: c.codeHash,
      verificationId: c.verificationId,
      expiresAt: c.expiresAt,
      cooldownUntil: c.cooldownUntil.getTime() > t ? c.cooldownUntil : null,
      lockedUntil: row?.lockedUntil ?? null,
      sendTimes: [...recent, c.now],
    });
    return Promise.resolve(true);
  }

  releaseFailedSend(
    channel: Channel,
    recipient: string,
    verificationId: string,
    now: Date,
  ): Promise<void> {
    this.releases.push({ recipient, verificationId, now });
    const row = this.rows.get(`${channel}:${recipient}`);
    if (row?.verificationId === verificationId) {
      Object.assign(row, { codeHash: null, verificationId: null, expiresAt: null });
      row.cooldownUntil = null;
    }
    return Promise.resolve();
  }

  findState(channel: Channel, recipient: string): Promise<OtpState | null> {
    const row = this.rows.get(`${channel}:${recipient}`);
    return Promise.resolve(
      row
        ? {
            purpose: row.purpose,
            hasCode: row.codeHash !== null,
            expiresAt: row.expiresAt,
            failedAttempts: 0,
            lastFailedAt: null,
            lockedUntil: row.lockedUntil,
            cooldownUntil: row.cooldownUntil,
            sendTimes: row.sendTimes,
          }
        : null,
    );
  }
}

/** OtpHmacVerifyStore: answers what a case scripts, records every statement's input. */
export class ScriptedHmacVerifyStore extends OtpHmacVerifyStore {
  readonly inputs: AtomicVerifyInput[] = [];
  answers: (AtomicVerifyResult | null)[] = [];

  verifyHmac(input: AtomicVerifyInput): Promise<AtomicVerifyResult | null> {
    this.inputs.push(input);
    if (this.answers.length === 0) throw new Error('unexpected verifyHmac');
    return Promise.resolve(this.answers.shift()!);
  }
}

/**
 * OtpAttemptStore and OtpStateStore's findState: claims answer what a case scripts (null once
 * the script is used up); every settlement is recorded and answered with the events it would
 * write; `used` makes settleRight lose the race.
 */
export class ScriptedAttemptStore extends OtpAttemptStore {
  claimAnswers: (ClaimedAttempt | null)[] = [];
  state: OtpState | null = null;
  used = false;
  claimCalls = 0;
  stateReads = 0;
  readonly released: ClaimedAttempt[] = [];
  readonly settled: { kind: string; s: AttemptSettlement; lockedUntil?: Date | null }[] = [];

  claimAttempt(): Promise<ClaimedAttempt | null> {
    this.claimCalls++;
    return Promise.resolve(this.claimAnswers.shift() ?? null);
  }

  findState(): Promise<OtpState | null> {
    this.stateReads++;
    return Promise.resolve(this.state);
  }

  releaseAttempt(_channel: Channel, claim: ClaimedAttempt): Promise<void> {
    this.released.push(claim);
    return Promise.resolve();
  }

  settleRight(s: AttemptSettlement): Promise<WrittenAuditEvent[] | null> {
    this.settled.push({ kind: 'right', s });
    return Promise.resolve(this.used ? null : [this.event(s, 'otp.verified')]);
  }

  settleWrong(s: AttemptSettlement, lockedUntil: Date | null): Promise<WrittenAuditEvent[]> {
    this.settled.push({ kind: 'wrong', s, lockedUntil });
    const events = [this.event(s, 'otp.verify_failed')];
    if (lockedUntil) events.push(this.event(s, 'otp.locked'));
    return Promise.resolve(events);
  }

  settleStale(s: AttemptSettlement): Promise<WrittenAuditEvent[]> {
    this.settled.push({ kind: 'stale', s });
    return Promise.resolve([this.event(s, 'otp.verify_stale')]);
  }

  private event(s: AttemptSettlement, type: string): WrittenAuditEvent {
    return {
      id: String(this.settled.length),
      type,
      details: { verificationId: s.claim.verificationId },
    };
  }
}

/** AuditService: recorded events, prepared rows, and rows reported as written by a statement. */
export class RecordingAudit {
  readonly recorded: AuditEventInput[] = [];
  /** Rows a statement wrote (reported through `stored`). */
  readonly written: { row: NewAuditEventRow; id: string }[] = [];

  record(event: AuditEventInput): Promise<void> {
    this.recorded.push(event);
    return Promise.resolve();
  }

  prepare(event: AuditEventInput): NewAuditEventRow {
    return {
      occurredAt: new Date(0),
      type: event.type,
      channel: event.channel ?? null,
      purpose: event.purpose ?? null,
      ip: event.ip ?? null,
      userAgent: event.userAgent ?? null,
      requestId: event.requestId ?? null,
      recipientHash: event.recipient ? `hash:${event.recipient}` : null,
      recipientMasked: null,
      details: event.details ?? {},
    };
  }

  stored(row: NewAuditEventRow, id: string): void {
    this.written.push({ row, id });
  }
}

/** SmsGuardService: lets every send through, records what it was told. */
export class RecordingSmsGuard {
  readonly checked: Recipient[] = [];
  readonly sends: Recipient[] = [];
  readonly verified: Recipient[] = [];

  check(recipient: Recipient): Promise<void> {
    this.checked.push(recipient);
    return Promise.resolve();
  }

  recordSend(recipient: Recipient): Promise<void> {
    this.sends.push(recipient);
    return Promise.resolve();
  }

  recordVerified(recipient: Recipient): void {
    this.verified.push(recipient);
  }
}

/**
 * NotificationService: records each message; `failing` makes every provider fail; `during` runs
 * while a message is being delivered (a spec moves its clock there, as a slow provider would).
 */
export class RecordingNotifications {
  readonly sent: OtpMessageRequest[] = [];
  failing = false;
  during: () => void = () => {};

  sendOtp(req: OtpMessageRequest): Promise<DeliveryResult> {
    this.sent.push(req);
    this.during();
    if (this.failing) {
      return Promise.resolve({
        delivered: false,
        outcomes: [
          { provider: 'fake-sms', ok: false, status: 'failed', error: 'down', durationMs: 1.4 },
        ],
      });
    }
    return Promise.resolve({
      delivered: true,
      provider: 'fake-sms',
      providerMessageId: `m-${this.sent.length}`,
      outcomes: [{ provider: 'fake-sms', ok: true, status: 'accepted', durationMs: 2 }],
    });
  }
}

/** RandomSource with pinned codes and numbered ids. */
export class FixedRandom extends RandomSource {
  private n = 0;
  constructor(public code = '482913') {
    super();
  }

  digits(length: number): string {
    return this.code.slice(0, length).padStart(length, '0');
  }

  uuid(): string {
    this.n++;
    return `00000000-0000-4000-8000-${String(this.n).padStart(12, '0')}`;
  }

  token(bytes: number): string {
    return 'x'.repeat(bytes);
  }
}
