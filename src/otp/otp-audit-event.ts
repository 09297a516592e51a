import type { AuditEventInput } from '#src/audit/audit.types.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import type { Recipient } from '#src/common/recipient/recipient-normalizer.js';

export type OtpAuditEventType =
  | 'otp.sent'
  | 'otp.decoy_sent'
  | 'otp.delivery_failed'
  | 'otp.verified'
  | 'otp.verify_failed'
  | 'otp.verify_stale'
  | 'otp.locked';

/** An OTP audit event for a recipient, with the request's ip, user agent and id. */
export function otpAuditEvent(
  type: OtpAuditEventType,
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
