import { AdminAuthFailureEntity } from '#src/admin/admin-auth-failure.entity.js';
import { AuditAlertMarkEntity } from '#src/audit/alerts/audit-alert-mark.entity.js';
import { AuditEventEntity } from '#src/audit/audit-event.entity.js';
import { HrAccountEntity } from '#src/accounts/hr-account.entity.js';
import { HrRegistrationAttemptEntity } from '#src/accounts/hr-registration-attempt.entity.js';
import { LoginThrottleEntity } from '#src/accounts/login-throttle/login-throttle.entity.js';
import { EmailOtpEntity } from '#src/otp/email-otp.entity.js';
import { PhoneOtpEntity } from '#src/otp/phone-otp.entity.js';
import { UsedTokenEntity } from '#src/otp/used-token.entity.js';
import { IpRateLimitEntity } from '#src/rate-limit/ip-rate-limit.entity.js';
import { SmsBreakerCountEntity } from '#src/sms-guard/sms-breaker-count.entity.js';
import { SmsBreakerEntity } from '#src/sms-guard/sms-breaker.entity.js';

// Every TypeORM entity, listed once for the app and the migration CLI.
export const ALL_ENTITIES: Function[] = [
  AuditEventEntity,
  AuditAlertMarkEntity,
  AdminAuthFailureEntity,
  EmailOtpEntity,
  PhoneOtpEntity,
  UsedTokenEntity,
  IpRateLimitEntity,
  HrAccountEntity,
  SmsBreakerEntity,
  SmsBreakerCountEntity,
  HrRegistrationAttemptEntity,
  LoginThrottleEntity,
];
