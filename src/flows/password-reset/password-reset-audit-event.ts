import type { AuditEventInput, AuditEventType } from '#src/audit/audit.types.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';

export const PASSWORD_RESET = 'password_reset';

type PasswordResetEventType = Extract<AuditEventType, `password_reset.${string}`>;

/** A password-reset audit event for a normalised email, with the request's ip, user agent and id. */
export function passwordResetAuditEvent(
  type: PasswordResetEventType,
  email: string,
  meta: RequestMetaData,
  details: Record<string, unknown>,
): AuditEventInput {
  return {
    channel: 'email',
    purpose: PASSWORD_RESET,
    recipient: email,
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
    type,
    details,
  };
}
