import { AdminAuthFailureEntity } from '../admin/admin-auth-failure.entity.js';
import { AuditAlertMarkEntity } from '../audit/alerts/audit-alert-mark.entity.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { HrAccountEntity } from '../accounts/hr-account.entity.js';
import { HrRegistrationAttemptEntity } from '../accounts/hr-registration-attempt.entity.js';
import { LoginThrottleEntity } from '../accounts/login-throttle/login-throttle.entity.js';
import { EmailOtpEntity } from '../otp/email-otp.entity.js';
import { PhoneOtpEntity } from '../otp/phone-otp.entity.js';
import { UsedTokenEntity } from '../otp/used-token.entity.js';
import { IpRateLimitEntity } from '../rate-limit/ip-rate-limit.entity.js';
import { SmsBreakerCountEntity } from '../sms-guard/sms-breaker-count.entity.js';
import { SmsBreakerEntity } from '../sms-guard/sms-breaker.entity.js';

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
