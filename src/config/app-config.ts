import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  alertsSection,
  auditSection,
  cacheSection,
  databaseSection,
  emailSection,
  httpSection,
  logSection,
  loginSection,
  notifySection,
  otpSection,
  phoneSection,
  rateLimitSection,
  securitySection,
  smsGuardSection,
  smsSection,
} from './app-config.builders.js';
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
import { loadDevSecrets } from './dev-secrets.js';
import { crossVariableProblems } from './env.rules.js';
import { EnvError, envWarnings, parseEnv, type Env } from './env.schema.js';

export type {
  EmailProviderName,
  Locale,
  OtpHashAlgorithm,
  SmsProviderName,
} from './app-config.sections.js';

/**
 * The one typed, grouped, frozen view of the configuration. Feature code injects this class and
 * never reads `process.env`. The section types live in app-config.sections.ts.
 */
export class AppConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly http!: HttpConfig;
  readonly database!: DatabaseConfig;
  readonly cache!: CacheConfig;
  readonly otp!: OtpConfig;
  readonly security!: SecurityConfig;
  readonly rateLimit!: RateLimitConfig;
  readonly phone!: PhoneConfig;
  readonly smsGuard!: SmsGuardConfig;
  readonly sms!: SmsConfig;
  readonly email!: EmailConfig;
  readonly notify!: NotifyConfig;
  readonly audit!: AuditConfig;
  readonly login!: LoginConfig;
  readonly alerts!: AlertsConfig;
  readonly log!: LogConfig;
  /** Accepted but unusual settings, logged once at boot (see envWarnings). */
  readonly warnings!: string[];
}

/** Validates cross-variable rules and builds the frozen AppConfig. Throws EnvError naming each problem. */
export function buildAppConfig(raw: Record<string, string | undefined>): AppConfig {
  const e: Env = parseEnv(raw);
  const problems = crossVariableProblems(e);
  if (problems.length > 0) {
    throw new EnvError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  const dataDir = e.DATA_DIR.startsWith('memory://') ? e.DATA_DIR : resolve(e.DATA_DIR);
  const dev =
    e.NODE_ENV === 'production' || (e.OTP_PEPPER && e.TOKEN_SECRET && e.ADMIN_API_KEYS?.length)
      ? undefined
      : loadDevSecrets(dataDir);

  const config: AppConfig = {
    env: e.NODE_ENV,
    http: httpSection(e),
    database: databaseSection(e, dataDir),
    cache: cacheSection(e),
    otp: otpSection(e),
    security: securitySection(e, dev),
    rateLimit: rateLimitSection(e),
    phone: phoneSection(e),
    smsGuard: smsGuardSection(e),
    sms: smsSection(e),
    email: emailSection(e),
    notify: notifySection(e),
    audit: auditSection(e),
    login: loginSection(e),
    alerts: alertsSection(e),
    log: logSection(e),
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
