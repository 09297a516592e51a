import type { AppConfig } from '#src/config/app-config.js';
import type { StoredAuditEventRow } from '#src/audit/audit-event.repository.js';

export type AlertRuleName =
  | 'ip_lockouts'
  | 'ip_distinct_recipients'
  | 'delivery_failures'
  | 'recipient_lockouts'
  | 'sms_breaker_opened'
  | 'sms_breaker_closed'
  | 'admin_auth_failures';

/** One rule to count for one subject, because of one recorded event. */
export interface AlertCheck {
  rule: AlertRuleName;
  /** The dedupe key: an IP, a recipient hash, or `all`. */
  subject: string;
  threshold: number;
}

/** Which rules an event can push over their threshold. Pure: the evaluator does the counting. */
export function alertChecksFor(
  event: StoredAuditEventRow,
  thresholds: AppConfig['alerts'],
): AlertCheck[] {
  const checks: AlertCheck[] = [];
  switch (event.type) {
    case 'otp.locked':
      if (event.ip) {
        checks.push({ rule: 'ip_lockouts', subject: event.ip, threshold: thresholds.ipLockouts });
      }
      if (event.recipientHash) {
        checks.push({
          rule: 'recipient_lockouts',
          subject: event.recipientHash,
          threshold: thresholds.recipientLockouts,
        });
      }
      break;
    case 'otp.sent':
    case 'otp.verify_failed':
      if (event.ip && event.recipientHash) {
        checks.push({
          rule: 'ip_distinct_recipients',
          subject: event.ip,
          threshold: thresholds.ipDistinctRecipients,
        });
      }
      break;
    case 'otp.delivery_failed':
      checks.push({
        rule: 'delivery_failures',
        subject: 'all',
        threshold: thresholds.deliveryFailures,
      });
      break;
    case 'sms.breaker_opened':
    case 'sms.breaker_closed': {
      // Every transition of a destination's breaker is worth an alert (deduped per window).
      const prefix = event.details.prefix;
      if (typeof prefix === 'string') {
        checks.push({
          rule: event.type === 'sms.breaker_opened' ? 'sms_breaker_opened' : 'sms_breaker_closed',
          subject: prefix,
          threshold: 1,
        });
      }
      break;
    }
    case 'admin.auth_failed':
      // A spike of failed admin authentications from anywhere (audited ones: see AdminAuthService).
      checks.push({
        rule: 'admin_auth_failures',
        subject: 'all',
        threshold: thresholds.adminAuthFailures,
      });
      break;
    default:
      break;
  }
  return checks;
}
