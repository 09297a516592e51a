import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvError, envWarnings, parseEnv, type Env, type TrustProxy } from './env.schema.js';
import type { SmsNumberTypeToken } from './sms-guard.env.js';

export type SmsProviderName = 'eskiz' | 'twilio' | 'console';
export type EmailProviderName = 'smtp' | 'console';
export type OtpHashAlgorithm = 'hmac-sha256' | 'pbkdf2-sha256';
export type Locale = 'en' | 'ru' | 'uz';

/**
 * The one typed, grouped, frozen view of the configuration. Feature code injects this class and
 * never reads `process.env`.
 */
export class AppConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly http!: {
    port: number;
    host: string;
    trustProxy: TrustProxy;
    corsOrigins: string[];
    shutdownTimeoutMs: number;
    workers: number;
  };
  readonly database!: { url?: string; dataDir: string; poolSize: number };
  readonly cache!: { redisUrl?: string; timeoutMs: number; keyPrefix: string };
  readonly otp!: {
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
  };
  readonly security!: {
    otpPepper: string;
    otpPepperPrevious?: string;
    tokenSecret: string;
    verificationTokenTtlSeconds: number;
    accessTokenTtlSeconds: number;
    adminApiKeys: string[];
  };
  readonly rateLimit!: {
    verifyPerMinute: number;
    sendPerMinute: number;
    blockSeconds: number;
    adminAuthFailuresPerMinute: number;
    /** Failed admin authentications audited per minute, all clients together. */
    adminAuthAuditPerMinute: number;
    /** IPv6 clients are counted per network of this prefix length. */
    ipV6Prefix: number;
  };
  readonly phone!: { defaultRegion: string; allowedCountries: string[] };
  /** SMS fraud defence (src/sms-guard, docs/fraud.md). */
  readonly smsGuard!: {
    allowedNumberTypes: SmsNumberTypeToken[];
    breaker: boolean;
    prefixDigits: number;
    windowSeconds: number;
    minSends: number;
    minConversion: number;
    openSeconds: number;
    probeSends: number;
    allowPrefixes: string[];
  };
  readonly sms!: {
    providers: SmsProviderName[];
    eskiz: { baseUrl: string; email?: string; password?: string; from: string };
    twilio: { baseUrl: string; accountSid?: string; authToken?: string; from?: string };
  };
  readonly email!: { providers: EmailProviderName[]; smtpUrl?: string; from?: string };
  readonly notify!: {
    timeoutMs: number;
    defaultLocale: Locale;
    productName: string;
    templatesDir?: string;
  };
  readonly audit!: { retentionDays: number };
  /** Failed logins per email before LOGIN_THROTTLED, and the window (and throttle length). */
  readonly login!: { maxFailures: number; lockoutSeconds: number };
  readonly alerts!: {
    webhookUrl?: string;
    windowSeconds: number;
    ipLockouts: number;
    ipDistinctRecipients: number;
    deliveryFailures: number;
    recipientLockouts: number;
    adminAuthFailures: number;
  };
  readonly log!: { level: string };
  /** Accepted but unusual settings, logged once at boot (see envWarnings). */
  readonly warnings!: string[];
}

interface DevSecrets {
  otpPepper: string;
  tokenSecret: string;
  adminApiKey: string;
}

/** Development secrets are generated once and kept under DATA_DIR so restarts keep codes valid. */
function loadDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  const secrets: DevSecrets = {
    otpPepper: randomBytes(32).toString('base64url'),
    tokenSecret: randomBytes(32).toString('base64url'),
    adminApiKey: randomBytes(24).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

// Admin keys are bearer secrets checked without a failure throttle: long enough not to be guessed.
const MIN_PRODUCTION_ADMIN_KEY_LENGTH = 32;

function requireFor(problems: string[], when: string, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === '') problems.push(`${name} is required when ${when}`);
  }
}

/** Validates cross-variable rules and builds the frozen AppConfig. Throws EnvError naming each problem. */
export function buildAppConfig(raw: Record<string, string | undefined>): AppConfig {
  const e: Env = parseEnv(raw);
  const problems: string[] = [];
  const production = e.NODE_ENV === 'production';
  const dataDir = e.DATA_DIR.startsWith('memory://') ? e.DATA_DIR : resolve(e.DATA_DIR);

  if (production) {
    requireFor(problems, 'NODE_ENV=production', {
      OTP_PEPPER: e.OTP_PEPPER,
      TOKEN_SECRET: e.TOKEN_SECRET,
      ADMIN_API_KEYS: e.ADMIN_API_KEYS?.length ? e.ADMIN_API_KEYS : undefined,
    });
    if (e.SMS_PROVIDERS.includes('console')) {
      problems.push('SMS_PROVIDERS may not include console in production');
    }
    if (e.EMAIL_PROVIDERS.includes('console')) {
      problems.push('EMAIL_PROVIDERS may not include console in production');
    }
    if (e.ADMIN_API_KEYS?.some((k) => k.length < MIN_PRODUCTION_ADMIN_KEY_LENGTH)) {
      problems.push(
        `ADMIN_API_KEYS: each key must be at least ${MIN_PRODUCTION_ADMIN_KEY_LENGTH} characters in production`,
      );
    }
  }
  if (e.SMS_PROVIDERS.includes('eskiz')) {
    requireFor(problems, 'SMS_PROVIDERS names eskiz', {
      ESKIZ_EMAIL: e.ESKIZ_EMAIL,
      ESKIZ_PASSWORD: e.ESKIZ_PASSWORD,
    });
  }
  if (e.SMS_PROVIDERS.includes('twilio')) {
    requireFor(problems, 'SMS_PROVIDERS names twilio', {
      TWILIO_ACCOUNT_SID: e.TWILIO_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: e.TWILIO_AUTH_TOKEN,
      TWILIO_FROM: e.TWILIO_FROM,
    });
  }
  if (e.EMAIL_PROVIDERS.includes('smtp')) {
    requireFor(problems, 'EMAIL_PROVIDERS names smtp', {
      SMTP_URL: e.SMTP_URL,
      EMAIL_FROM: e.EMAIL_FROM,
    });
  }
  if (e.SMS_PROVIDERS.length === 0) problems.push('SMS_PROVIDERS must name at least one provider');
  if (e.EMAIL_PROVIDERS.length === 0) {
    problems.push('EMAIL_PROVIDERS must name at least one provider');
  }
  if (e.OTP_PURPOSES.length === 0) problems.push('OTP_PURPOSES must name at least one purpose');
  for (const p of e.OTP_PURPOSES) {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(p)) {
      problems.push(`OTP_PURPOSES entry "${p}" must be snake_case`);
    }
  }
  if (problems.length > 0) {
    throw new EnvError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }

  const dev =
    production || (e.OTP_PEPPER && e.TOKEN_SECRET && e.ADMIN_API_KEYS)
      ? undefined
      : loadDevSecrets(dataDir);

  const config: AppConfig = {
    env: e.NODE_ENV,
    http: {
      port: e.PORT,
      host: e.HOST,
      trustProxy: e.TRUST_PROXY,
      corsOrigins: e.CORS_ORIGINS,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      workers: e.WEB_CONCURRENCY,
    },
    database: { url: e.DATABASE_URL, dataDir, poolSize: e.DATABASE_POOL_SIZE },
    cache: { redisUrl: e.REDIS_URL, timeoutMs: e.CACHE_TIMEOUT_MS, keyPrefix: e.CACHE_KEY_PREFIX },
    otp: {
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
    },
    security: {
      otpPepper: e.OTP_PEPPER ?? dev!.otpPepper,
      otpPepperPrevious: e.OTP_PEPPER_PREVIOUS,
      tokenSecret: e.TOKEN_SECRET ?? dev!.tokenSecret,
      verificationTokenTtlSeconds: e.VERIFICATION_TOKEN_TTL_SECONDS,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      adminApiKeys: e.ADMIN_API_KEYS?.length ? e.ADMIN_API_KEYS : [dev!.adminApiKey],
    },
    rateLimit: {
      verifyPerMinute: e.IP_VERIFY_MAX_PER_MINUTE,
      sendPerMinute: e.IP_SEND_MAX_PER_MINUTE,
      blockSeconds: e.IP_BLOCK_SECONDS,
      adminAuthFailuresPerMinute: e.ADMIN_AUTH_MAX_FAILURES_PER_MINUTE,
      adminAuthAuditPerMinute: e.ADMIN_AUTH_AUDIT_MAX_PER_MINUTE,
      ipV6Prefix: e.IP_V6_PREFIX,
    },
    phone: { defaultRegion: e.DEFAULT_PHONE_REGION, allowedCountries: e.SMS_ALLOWED_COUNTRIES },
    smsGuard: {
      allowedNumberTypes: e.SMS_ALLOWED_NUMBER_TYPES,
      breaker: e.SMS_BREAKER,
      prefixDigits: e.SMS_BREAKER_PREFIX_DIGITS,
      windowSeconds: e.SMS_BREAKER_WINDOW_SECONDS,
      minSends: e.SMS_BREAKER_MIN_SENDS,
      minConversion: e.SMS_BREAKER_MIN_CONVERSION,
      openSeconds: e.SMS_BREAKER_OPEN_SECONDS,
      probeSends: e.SMS_BREAKER_PROBE_SENDS,
      allowPrefixes: e.SMS_BREAKER_ALLOW_PREFIXES,
    },
    sms: {
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
    },
    email: { providers: e.EMAIL_PROVIDERS, smtpUrl: e.SMTP_URL, from: e.EMAIL_FROM },
    notify: {
      timeoutMs: e.NOTIFY_TIMEOUT_MS,
      defaultLocale: e.DEFAULT_LOCALE,
      productName: e.PRODUCT_NAME,
      templatesDir: e.TEMPLATES_DIR,
    },
    audit: { retentionDays: e.AUDIT_RETENTION_DAYS },
    login: { maxFailures: e.LOGIN_MAX_FAILURES, lockoutSeconds: e.LOGIN_LOCKOUT_SECONDS },
    alerts: {
      webhookUrl: e.ALERT_WEBHOOK_URL,
      windowSeconds: e.ALERT_WINDOW_SECONDS,
      ipLockouts: e.ALERT_IP_LOCKOUTS,
      ipDistinctRecipients: e.ALERT_IP_DISTINCT_RECIPIENTS,
      deliveryFailures: e.ALERT_DELIVERY_FAILURES,
      recipientLockouts: e.ALERT_RECIPIENT_LOCKOUTS,
      adminAuthFailures: e.ALERT_ADMIN_AUTH_FAILURES,
    },
    log: { level: e.LOG_LEVEL },
    warnings: envWarnings(raw, e),
  };
  return deepFreeze(Object.assign(new AppConfig(), config));
}

function deepFreeze<T>(obj: T): T {
  for (const value of Object.values(obj as object)) {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) deepFreeze(value);
  }
  return Object.freeze(obj);
}

/** Reads the process environment (filled from `.env` where unset). The only reader of process.env. */
export function loadAppConfigFromProcess(
  overrides: Record<string, string | undefined> = {},
): AppConfig {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return buildAppConfig({ ...process.env, ...overrides });
}
