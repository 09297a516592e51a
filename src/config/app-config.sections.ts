import type { TrustProxy } from './env.parsers.js';
import type { SmsNumberTypeToken } from './sms-guard.env.js';

export type SmsProviderName = 'eskiz' | 'twilio' | 'console';
export type EmailProviderName = 'smtp' | 'console';
export type OtpHashAlgorithm = 'hmac-sha256' | 'pbkdf2-sha256';
export type Locale = 'en' | 'ru' | 'uz';

// One type per AppConfig section; app-config.builders.ts fills each from the parsed variables.

export interface HttpConfig {
  port: number;
  host: string;
  trustProxy: TrustProxy;
  corsOrigins: string[];
  shutdownTimeoutMs: number;
  workers: number;
}

export interface DatabaseConfig {
  url?: string;
  dataDir: string;
  poolSize: number;
}

export interface CacheConfig {
  redisUrl?: string;
  timeoutMs: number;
  keyPrefix: string;
}

export interface OtpConfig {
  length: number;
  ttlSeconds: number;
  maxFailedAttempts: number;
  lockoutSeconds: number;
  sendCooldownSeconds: number;
  maxSendsPerHour: number;
  purposes: string[];
  hash: OtpHashAlgorithm;
  pbkdf2Iterations: number;
  hashMaxConcurrency: number;
  hashMaxQueue: number;
}

export interface SecurityConfig {
  otpPepper: string;
  otpPepperPrevious?: string;
  tokenSecret: string;
  verificationTokenTtlSeconds: number;
  accessTokenTtlSeconds: number;
  adminApiKeys: string[];
}

export interface RateLimitConfig {
  verifyPerMinute: number;
  sendPerMinute: number;
  blockSeconds: number;
  adminAuthFailuresPerMinute: number;
  /** Failed admin authentications audited per minute, all clients together. */
  adminAuthAuditPerMinute: number;
  /** IPv6 clients are counted per network of this prefix length. */
  ipV6Prefix: number;
}

export interface PhoneConfig {
  defaultRegion: string;
  allowedCountries: string[];
}

/** SMS fraud defence (src/sms-guard, docs/fraud.md). */
export interface SmsGuardConfig {
  allowedNumberTypes: SmsNumberTypeToken[];
  breaker: boolean;
  prefixDigits: number;
  windowSeconds: number;
  minSends: number;
  minConversion: number;
  openSeconds: number;
  probeSends: number;
  allowPrefixes: string[];
}

export interface SmsConfig {
  providers: SmsProviderName[];
  eskiz: { baseUrl: string; email?: string; password?: string; from: string };
  twilio: { baseUrl: string; accountSid?: string; authToken?: string; from?: string };
}

export interface EmailConfig {
  providers: EmailProviderName[];
  smtpUrl?: string;
  from?: string;
}

export interface NotifyConfig {
  timeoutMs: number;
  defaultLocale: Locale;
  productName: string;
  templatesDir?: string;
}

export interface AuditConfig {
  retentionDays: number;
}

/** Failed logins per email before LOGIN_THROTTLED, and the window (and throttle length). */
export interface LoginConfig {
  maxFailures: number;
  lockoutSeconds: number;
}

export interface AlertsConfig {
  webhookUrl?: string;
  windowSeconds: number;
  ipLockouts: number;
  ipDistinctRecipients: number;
  deliveryFailures: number;
  recipientLockouts: number;
  adminAuthFailures: number;
}

export interface LogConfig {
  level: string;
}
