import { validationError } from '#src/common/errors/app-error.js';
import type { AppConfig } from '#src/config/app-config.js';
import type { RecipientBlockCode } from './otp-fast-path.js';
import type { OtpState } from './otp.ports.js';

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
  | { code: 'RECIPIENT_LOCKED'; until: Date; inFlight?: true }
  | { code: 'CODE_NOT_FOUND' | 'CODE_EXPIRED' };

/** Why an attempt claim was refused; null when the state allows a claim now (retry it). */
export function explainVerifyRefusal(
  state: OtpState | null,
  purpose: string,
  now: Date,
  rules: OtpRules,
): VerifyRefusal | null {
  const t = now.getTime();
  const notFound = { code: 'CODE_NOT_FOUND' } as const;
  if (!state) return notFound;
  if (state.lockedUntil && state.lockedUntil.getTime() > t) {
    return { code: 'RECIPIENT_LOCKED', until: state.lockedUntil };
  }
  const windowEnd = state.lastFailedAt
    ? state.lastFailedAt.getTime() + rules.lockoutSeconds * 1000
    : 0;
  if (windowEnd > t && state.failedAttempts >= rules.maxFailedAttempts) {
    // Every allowed attempt is already claimed by requests still in flight.
    return { code: 'RECIPIENT_LOCKED', until: new Date(windowEnd), inFlight: true };
  }
  if (!state.hasCode || state.purpose !== purpose) return notFound;
  if (state.expiresAt && state.expiresAt.getTime() <= t) {
    return { code: 'CODE_EXPIRED' };
  }
  return null;
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
