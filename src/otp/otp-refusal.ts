import type { AuditEventInput } from '../audit/audit.types.js';
import { AppError, validationError } from '../common/errors/app-error.js';
import { retryAfterUntil } from '../common/errors/retry-after.js';
import type { RequestMetaData } from '../common/http/request-meta.js';
import type { Recipient } from '../common/recipient/recipient-normalizer.js';
import type { AppConfig } from '../config/app-config.js';
import type { RecipientBlockCode } from './otp-fast-path.js';
import type { OtpState } from './otp.repository.js';

type OtpRules = AppConfig['otp'];
const HOUR_MS = 3_600_000;

/** Why a send claim was refused, in the contract's order: lockout, cooldown, hourly quota. */
export function explainSendRefusal(
  state: OtpState | null,
  now: Date,
  rules: OtpRules,
): { code: RecipientBlockCode; until: Date } {
  const t = now.getTime();
  if (state?.lockedUntil && state.lockedUntil.getTime() > t) {
    return { code: 'RECIPIENT_LOCKED', until: state.lockedUntil };
  }
  if (state?.cooldownUntil && state.cooldownUntil.getTime() > t) {
    return { code: 'SEND_COOLDOWN', until: state.cooldownUntil };
  }
  const recent = (state?.sendTimes ?? [])
    .map((d) => new Date(d).getTime())
    .filter((s) => s > t - HOUR_MS);
  if (recent.length >= rules.maxSendsPerHour) {
    return { code: 'SEND_QUOTA_EXCEEDED', until: new Date(Math.min(...recent) + HOUR_MS) };
  }
  // The state moved on between the claim and this read (a concurrent send won): a cooldown.
  return {
    code: 'SEND_COOLDOWN',
    until: new Date(t + Math.max(1, rules.sendCooldownSeconds) * 1000),
  };
}

export type VerifyRefusal =
  // `inFlight`: not locked (yet); every allowed attempt is claimed by requests still running.
  | { code: 'RECIPIENT_LOCKED'; until: Date; message: string; inFlight?: true }
  | { code: 'CODE_NOT_FOUND' | 'CODE_EXPIRED'; message: string };

/** Why an attempt claim was refused; null when the state allows a claim now (retry it). */
export function explainVerifyRefusal(
  state: OtpState | null,
  purpose: string,
  now: Date,
  rules: OtpRules,
): VerifyRefusal | null {
  const t = now.getTime();
  const notFound = {
    code: 'CODE_NOT_FOUND',
    message: 'No active code for this recipient and purpose',
  } as const;
  if (!state) return notFound;
  if (state.lockedUntil && state.lockedUntil.getTime() > t) {
    return { code: 'RECIPIENT_LOCKED', until: state.lockedUntil, message: 'Recipient locked' };
  }
  const windowEnd = state.lastFailedAt
    ? state.lastFailedAt.getTime() + rules.lockoutSeconds * 1000
    : 0;
  if (windowEnd > t && state.failedAttempts >= rules.maxFailedAttempts) {
    // Every allowed attempt is already claimed by requests still in flight.
    return {
      code: 'RECIPIENT_LOCKED',
      until: new Date(windowEnd),
      message: 'Recipient locked',
      inFlight: true,
    };
  }
  if (!state.hasCode || state.purpose !== purpose) return notFound;
  if (state.expiresAt && state.expiresAt.getTime() <= t) {
    return { code: 'CODE_EXPIRED', message: 'The code has expired; request a new one' };
  }
  return null;
}

/** The contract's 429 for a recipient-level refusal, with Retry-After in whole seconds. */
export function refusalError(code: RecipientBlockCode, until: Date, now: Date): AppError {
  const retryAfter = retryAfterUntil(until, now);
  const message = {
    RECIPIENT_LOCKED: `Too many wrong codes; try again in ${retryAfter} s`,
    SEND_COOLDOWN: `Wait ${retryAfter} s before requesting another code`,
    SEND_QUOTA_EXCEEDED: `Hourly limit of codes reached; try again in ${retryAfter} s`,
  }[code];
  return new AppError(code, message, { retryAfter });
}

/** An OTP audit event for a recipient, with the request's ip, user agent and id. */
export function otpAuditEvent(
  type:
    | 'otp.sent'
    | 'otp.delivery_failed'
    | 'otp.verified'
    | 'otp.verify_failed'
    | 'otp.verify_stale'
    | 'otp.locked',
  recipient: Recipient,
  purpose: string,
  meta: RequestMetaData,
  details: Record<string, unknown>,
): AuditEventInput {
  return {
    type,
    channel: recipient.channel,
    purpose,
    recipient: recipient.value,
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
    details,
  };
}

/** The purpose, when it is one of OTP_PURPOSES; VALIDATION_FAILED otherwise. */
export function allowedPurpose(purposes: string[], purpose: string): string {
  if (!purposes.includes(purpose)) {
    throw validationError([
      { field: 'purpose', problem: `purpose must be one of ${purposes.join(', ')}` },
    ]);
  }
  return purpose;
}
