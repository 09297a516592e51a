import type {
  AlertsConfig,
  AuditConfig,
  CacheConfig,
  DatabaseConfig,
  EmailConfig,
  HttpConfig,
  LogConfig,
  LoginConfig,
  NotifyConfig,
  OtpConfig,
  PhoneConfig,
  RateLimitConfig,
  SecurityConfig,
  SmsConfig,
  SmsGuardConfig,
} from './app-config.sections.js';
import type { DevSecrets } from './dev-secrets.js';
import type { Env } from './env.schema.js';

// One builder per AppConfig section: each maps already-validated variables, nothing more.

export const httpSection = (e: Env): HttpConfig => ({
  port: e.PORT,
  host: e.HOST,
  trustProxy: e.TRUST_PROXY,
  corsOrigins: e.CORS_ORIGINS,
  shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  workers: e.WEB_CONCURRENCY,
});

export const databaseSection = (e: Env, dataDir: string): DatabaseConfig => ({
  url: e.DATABASE_URL,
  dataDir,
  poolSize: e.DATABASE_POOL_SIZE,
});

export const cacheSection = (e: Env): CacheConfig => ({
  redisUrl: e.REDIS_URL,
  timeoutMs: e.CACHE_TIMEOUT_MS,
  keyPrefix: e.CACHE_KEY_PREFIX,
});

export const otpSection = (e: Env): OtpConfig => ({
  length: e.OTP_LENGTH,
  ttlSeconds: e.OTP_TTL_SECONDS,
  maxFailedAttempts: e.OTP_MAX_FAILED_ATTEMPTS,
  lockoutSeconds: e.OTP_LOCKOUT_SECONDS,
  sendCooldownSeconds: e.OTP_SEND_COOLDOWN_SECONDS,
  maxSendsPerHour: e.OTP_MAX_SENDS_PER_HOUR,
  purposes: e.OTP_PURPOSES,
  hash: e.OTP_HASH,
  pbkdf2Iterations: e.PBKDF2_ITERATIONS,
  hashMaxConcurrency: e.HASH_MAX_CONCURRENCY,
  hashMaxQueue: e.HASH_MAX_QUEUE,
});

/** `dev` is set whenever a secret is unset (buildAppConfig loads it; production requires all). */
export const securitySection = (e: Env, dev: DevSecrets | undefined): SecurityConfig => ({
  otpPepper: e.OTP_PEPPER ?? dev!.otpPepper,
  otpPepperPrevious: e.OTP_PEPPER_PREVIOUS,
  tokenSecret: e.TOKEN_SECRET ?? dev!.tokenSecret,
  verificationTokenTtlSeconds: e.VERIFICATION_TOKEN_TTL_SECONDS,
  accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
  adminApiKeys: e.ADMIN_API_KEYS?.length ? e.ADMIN_API_KEYS : [dev!.adminApiKey],
});

export const rateLimitSection = (e: Env): RateLimitConfig => ({
  verifyPerMinute: e.IP_VERIFY_MAX_PER_MINUTE,
  sendPerMinute: e.IP_SEND_MAX_PER_MINUTE,
  blockSeconds: e.IP_BLOCK_SECONDS,
  adminAuthFailuresPerMinute: e.ADMIN_AUTH_MAX_FAILURES_PER_MINUTE,
  adminAuthAuditPerMinute: e.ADMIN_AUTH_AUDIT_MAX_PER_MINUTE,
  ipV6Prefix: e.IP_V6_PREFIX,
});

export const phoneSection = (e: Env): PhoneConfig => ({
  defaultRegion: e.DEFAULT_PHONE_REGION,
  allowedCountries: e.SMS_ALLOWED_COUNTRIES,
});

export const smsGuardSection = (e: Env): SmsGuardConfig => ({
  allowedNumberTypes: e.SMS_ALLOWED_NUMBER_TYPES,
  breaker: e.SMS_BREAKER,
  prefixDigits: e.SMS_BREAKER_PREFIX_DIGITS,
  windowSeconds: e.SMS_BREAKER_WINDOW_SECONDS,
  minSends: e.SMS_BREAKER_MIN_SENDS,
  minConversion: e.SMS_BREAKER_MIN_CONVERSION,
  openSeconds: e.SMS_BREAKER_OPEN_SECONDS,
  probeSends: e.SMS_BREAKER_PROBE_SENDS,
  allowPrefixes: e.SMS_BREAKER_ALLOW_PREFIXES,
});

export const smsSection = (e: Env): SmsConfig => ({
  providers: e.SMS_PROVIDERS,
  eskiz: {
    baseUrl: e.ESKIZ_BASE_URL,
    email: e.ESKIZ_EMAIL,
    password: e.ESKIZ_PASSWORD,
    from: e.ESKIZ_FROM,
  },
  twilio: {
    baseUrl: e.TWILIO_BASE_URL,
    accountSid: e.TWILIO_ACCOUNT_SID,
    authToken: e.TWILIO_AUTH_TOKEN,
    from: e.TWILIO_FROM,
  },
});

export const emailSection = (e: Env): EmailConfig => ({
  providers: e.EMAIL_PROVIDERS,
  smtpUrl: e.SMTP_URL,
  from: e.EMAIL_FROM,
});

export const notifySection = (e: Env): NotifyConfig => ({
  timeoutMs: e.NOTIFY_TIMEOUT_MS,
  defaultLocale: e.DEFAULT_LOCALE,
  productName: e.PRODUCT_NAME,
  templatesDir: e.TEMPLATES_DIR,
});

export const auditSection = (e: Env): AuditConfig => ({ retentionDays: e.AUDIT_RETENTION_DAYS });

export const loginSection = (e: Env): LoginConfig => ({
  maxFailures: e.LOGIN_MAX_FAILURES,
  lockoutSeconds: e.LOGIN_LOCKOUT_SECONDS,
});

export const alertsSection = (e: Env): AlertsConfig => ({
  webhookUrl: e.ALERT_WEBHOOK_URL,
  windowSeconds: e.ALERT_WINDOW_SECONDS,
  ipLockouts: e.ALERT_IP_LOCKOUTS,
  ipDistinctRecipients: e.ALERT_IP_DISTINCT_RECIPIENTS,
  deliveryFailures: e.ALERT_DELIVERY_FAILURES,
  recipientLockouts: e.ALERT_RECIPIENT_LOCKOUTS,
  adminAuthFailures: e.ALERT_ADMIN_AUTH_FAILURES,
});

export const logSection = (e: Env): LogConfig => ({ level: e.LOG_LEVEL });
