import { AuditEvents1795248735936 } from './1795248735936-audit-events.js';
import { OtpAndRateLimits1795248792418 } from './1795248792418-otp-and-rate-limits.js';
import { HrAccounts1795249155030 } from './1795249155030-hr-accounts.js';
import { OtpPreviousCode1795300000000 } from './1795300000000-otp-previous-code.js';
import { RegistrationAttemptsAndLoginThrottles1796034990072 } from './1796034990072-registration-attempts-and-login-throttles.js';
import { SmsBreakers1796035012005 } from './1796035012005-sms-breakers.js';

// Every migration, in order. Listed explicitly so the app, tests and the CLI load the same set.
export const ALL_MIGRATIONS: Function[] = [
  AuditEvents1795248735936,
  OtpAndRateLimits1795248792418,
  HrAccounts1795249155030,
  OtpPreviousCode1795300000000,
  RegistrationAttemptsAndLoginThrottles1796034990072,
  SmsBreakers1796035012005,
];
