/** The closed list of audit event types (API.md lists the contract's minimum). */
export const AUDIT_EVENT_TYPES = [
  'otp.sent',
  'otp.decoy_sent',
  'otp.delivery_failed',
  'otp.verified',
  'otp.verify_failed',
  'otp.verify_stale',
  'otp.locked',
  'ip.blocked',
  'admin.unlock',
  'admin.auth_failed',
  'token.consumed',
  'account.registered',
  'account.activated',
  'account.activation_refused',
  'password_reset.requested',
  'password_reset.completed',
  'alert.raised',
  'sms.number_refused',
  'sms.breaker_opened',
  'sms.breaker_closed',
  'login.throttled',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export type AuditChannel = 'sms' | 'email';

export interface AuditEventInput {
  type: AuditEventType;
  channel?: AuditChannel;
  purpose?: string;
  /** Normalised E.164 or lower-case email; the service hashes and masks it, never stores it. */
  recipient?: string;
  ip?: string;
  userAgent?: string;
  requestId?: string;
  /**
   * Masked, non-secret context. Keys matching SECRET_DETAIL_KEY (code, otp, password, token,
   * secret, hash) are dropped with a warning. Put the verification id under `verificationId` on
   * otp.* events: the admin stats' first-attempt success rate groups attempts by it.
   */
  details?: Record<string, unknown>;
}

/** Detail keys that are never written, at any depth. */
export const SECRET_DETAIL_KEY = /code|otp|password|token|secret|hash/i;
