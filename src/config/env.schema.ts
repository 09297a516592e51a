import { isIP } from 'node:net';
import { SMS_GUARD_ENV_SCHEMA } from './sms-guard.env.js';

/**
 * Every environment variable Codeward reads, declared once: default, parser and whether it is a
 * secret (secrets are never printed). `.env.example` lists the same names; a unit test keeps the
 * two in step.
 */
export interface EnvVarSpec<T> {
  readonly default?: string;
  readonly sensitive?: boolean;
  readonly parse: (raw: string) => T;
  /** The usual range: a value outside it is accepted, with one warning line at boot. */
  readonly guidance?: Guidance;
}

export interface Guidance {
  readonly min?: number;
  readonly max?: number;
  readonly why: string;
}

// Durations accept any whole number of seconds from 1 up (a deployment's own tests need short
// expiries); the guidance says what a production value usually is.
const seconds = (max: number) => int(1, max);

export class EnvError extends Error {}

const int =
  (min: number, max: number) =>
  (raw: string): number => {
    if (!/^\d+$/.test(raw.trim())) throw new EnvError(`must be a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new EnvError(`must be between ${min} and ${max}, got ${n}`);
    return n;
  };

const str = (raw: string): string => raw.trim();

const list = (raw: string): string[] =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const oneOf =
  <T extends string>(...allowed: T[]) =>
  (raw: string): T => {
    const v = raw.trim() as T;
    if (!allowed.includes(v)) {
      throw new EnvError(`must be one of ${allowed.join(', ')}, got "${raw}"`);
    }
    return v;
  };

const listOf =
  <T extends string>(...allowed: T[]) =>
  (raw: string): T[] => {
    const items = list(raw);
    for (const item of items) {
      if (!allowed.includes(item as T)) {
        throw new EnvError(`entries must be among ${allowed.join(', ')}, got "${item}"`);
      }
    }
    if (new Set(items).size !== items.length) throw new EnvError('lists a provider twice');
    return items as T[];
  };

const url =
  (...protocols: string[]) =>
  (raw: string): string => {
    let parsed: URL;
    try {
      parsed = new URL(raw.trim());
    } catch {
      throw new EnvError('is not a valid URL');
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new EnvError(`must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
    }
    return raw.trim();
  };

/** Express/Fastify `trust proxy`: false | true | hop count | list of addresses, CIDRs or names. */
export type TrustProxy = boolean | number | string[];
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxy = (raw: string): TrustProxy => {
  const v = raw.trim().toLowerCase();
  if (v === 'false' || v === '') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const items = list(v);
  for (const item of items) {
    const [addr, bits, ...rest] = item.split('/');
    const okAddr = PROXY_NAMES.has(item) || isIP(addr) !== 0;
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= 128);
    if (!okAddr || !okBits || rest.length > 0) {
      throw new EnvError(
        `"${item}" is not an address, CIDR or one of ${[...PROXY_NAMES].join(', ')}`,
      );
    }
  }
  return items;
};

const countries = (raw: string): string[] => {
  const items = list(raw).map((c) => c.toUpperCase());
  for (const c of items) {
    if (!/^[A-Z]{2}$/.test(c)) throw new EnvError(`"${c}" is not an ISO country code`);
  }
  return items;
};

const secret = (raw: string): string => {
  const v = raw.trim();
  if (v.length < 32) throw new EnvError('must be at least 32 characters');
  return v;
};

const secretList = (raw: string): string[] => {
  const keys = list(raw);
  for (const k of keys) {
    if (k.length < 24) throw new EnvError('each key must be at least 24 characters');
  }
  return keys;
};

export const ENV_SCHEMA = {
  NODE_ENV: { default: 'development', parse: oneOf('development', 'production', 'test') },
  PORT: { default: '3000', parse: int(0, 65535) },
  HOST: { default: '0.0.0.0', parse: str },
  DATABASE_URL: { sensitive: true, parse: url('postgres:', 'postgresql:') },
  DATABASE_POOL_SIZE: { default: '10', parse: int(1, 200) },
  DATA_DIR: { default: './data', parse: str },
  REDIS_URL: { sensitive: true, parse: url('redis:', 'rediss:') },
  CACHE_TIMEOUT_MS: { default: '150', parse: int(10, 10000) },
  CACHE_KEY_PREFIX: { default: 'cw:', parse: str },
  OTP_LENGTH: { default: '6', parse: int(4, 10) },
  OTP_TTL_SECONDS: {
    default: '600',
    parse: seconds(86400),
    guidance: {
      min: 30,
      max: 600,
      why: 'OWASP ASVS: codes expire within 10 minutes; under 30 s few users can type one',
    },
  },
  OTP_MAX_FAILED_ATTEMPTS: { default: '5', parse: int(1, 100) },
  OTP_LOCKOUT_SECONDS: {
    default: '1800',
    parse: seconds(604800),
    guidance: {
      min: 300,
      max: 86400,
      why: 'shorter lockouts let guessing resume quickly; longer ones lock users out for days',
    },
  },
  OTP_SEND_COOLDOWN_SECONDS: {
    default: '60',
    parse: int(0, 86400),
    guidance: {
      min: 30,
      max: 600,
      why: 'a short cooldown invites SMS pumping; a long one strands users whose code was lost',
    },
  },
  OTP_MAX_SENDS_PER_HOUR: { default: '5', parse: int(1, 1000) },
  OTP_PURPOSES: { default: 'hr_registration,password_reset,login', parse: list },
  OTP_HASH: { default: 'hmac-sha256', parse: oneOf('hmac-sha256', 'pbkdf2-sha256') },
  PBKDF2_ITERATIONS: { default: '720000', parse: int(1000, 10_000_000) },
  HASH_MAX_CONCURRENCY: { default: '2', parse: int(1, 64) },
  HASH_MAX_QUEUE: { default: '64', parse: int(0, 100_000) },
  OTP_PEPPER: { sensitive: true, parse: secret },
  OTP_PEPPER_PREVIOUS: { sensitive: true, parse: secret },
  TOKEN_SECRET: { sensitive: true, parse: secret },
  VERIFICATION_TOKEN_TTL_SECONDS: {
    default: '600',
    parse: seconds(86400),
    guidance: {
      min: 30,
      max: 900,
      why: 'a verification or reset token is used within minutes (OWASP Forgot Password)',
    },
  },
  ACCESS_TOKEN_TTL_SECONDS: {
    default: '3600',
    parse: seconds(604800),
    guidance: { min: 60, max: 43200, why: 'OWASP ASVS: sessions end within 12 hours' },
  },
  IP_VERIFY_MAX_PER_MINUTE: { default: '3', parse: int(1, 1_000_000) },
  IP_SEND_MAX_PER_MINUTE: { default: '10', parse: int(1, 1_000_000) },
  IP_BLOCK_SECONDS: {
    default: '900',
    parse: seconds(604800),
    guidance: {
      min: 60,
      max: 86400,
      why: 'shorter blocks barely slow a flood; longer ones punish shared addresses',
    },
  },
  ADMIN_AUTH_MAX_FAILURES_PER_MINUTE: { default: '10', parse: int(1, 1_000_000) },
  ADMIN_AUTH_AUDIT_MAX_PER_MINUTE: { default: '100', parse: int(1, 1_000_000) },
  IP_V6_PREFIX: { default: '64', parse: int(1, 128) },
  TRUST_PROXY: { default: 'false', parse: trustProxy },
  CORS_ORIGINS: { default: '', parse: list },
  DEFAULT_PHONE_REGION: { default: 'UZ', parse: (r: string) => countries(r)[0] ?? 'UZ' },
  SMS_ALLOWED_COUNTRIES: { default: '', parse: countries },
  ...SMS_GUARD_ENV_SCHEMA,
  SMS_PROVIDERS: { default: 'console', parse: listOf('eskiz', 'twilio', 'console') },
  EMAIL_PROVIDERS: { default: 'console', parse: listOf('smtp', 'console') },
  ESKIZ_BASE_URL: { default: 'https://notify.eskiz.uz', parse: url('http:', 'https:') },
  ESKIZ_EMAIL: { parse: str },
  ESKIZ_PASSWORD: { sensitive: true, parse: str },
  ESKIZ_FROM: { default: '4546', parse: str },
  TWILIO_BASE_URL: { default: 'https://api.twilio.com', parse: url('http:', 'https:') },
  TWILIO_ACCOUNT_SID: { parse: str },
  TWILIO_AUTH_TOKEN: { sensitive: true, parse: str },
  TWILIO_FROM: { parse: str },
  SMTP_URL: { sensitive: true, parse: url('smtp:', 'smtps:') },
  EMAIL_FROM: { parse: str },
  NOTIFY_TIMEOUT_MS: { default: '5000', parse: int(100, 120_000) },
  DEFAULT_LOCALE: { default: 'en', parse: oneOf('en', 'ru', 'uz') },
  PRODUCT_NAME: { default: 'Codeward', parse: str },
  TEMPLATES_DIR: { parse: str },
  ADMIN_API_KEYS: { sensitive: true, parse: secretList },
  LOGIN_MAX_FAILURES: { default: '10', parse: int(1, 1_000_000) },
  LOGIN_LOCKOUT_SECONDS: { default: '900', parse: int(1, 604800) },
  AUDIT_RETENTION_DAYS: { default: '365', parse: int(1, 36500) },
  ALERT_WEBHOOK_URL: { sensitive: true, parse: url('http:', 'https:') },
  ALERT_WINDOW_SECONDS: {
    default: '600',
    parse: seconds(86400),
    guidance: { min: 60, max: 86400, why: 'thresholds are counted per window' },
  },
  ALERT_IP_LOCKOUTS: { default: '3', parse: int(1, 100_000) },
  ALERT_IP_DISTINCT_RECIPIENTS: { default: '10', parse: int(1, 100_000) },
  ALERT_DELIVERY_FAILURES: { default: '20', parse: int(1, 100_000) },
  ALERT_RECIPIENT_LOCKOUTS: { default: '3', parse: int(1, 100_000) },
  ALERT_ADMIN_AUTH_FAILURES: { default: '20', parse: int(1, 100_000) },
  SHUTDOWN_TIMEOUT_MS: { default: '10000', parse: int(0, 600_000) },
  WEB_CONCURRENCY: { default: '1', parse: int(1, 64) },
  LOG_LEVEL: {
    default: 'info',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  },
} satisfies Record<string, EnvVarSpec<unknown>>;

export type EnvName = keyof typeof ENV_SCHEMA;
type Parsed<S> = S extends EnvVarSpec<infer T> ? T : never;
export type Env = {
  [K in EnvName]: (typeof ENV_SCHEMA)[K] extends { default: string }
    ? Parsed<(typeof ENV_SCHEMA)[K]>
    : Parsed<(typeof ENV_SCHEMA)[K]> | undefined;
};

/**
 * One line per variable set outside its usual range, and one when NODE_ENV is unset (development
 * mode: console providers print codes, secrets are generated). The service still starts.
 */
export function envWarnings(raw: Record<string, string | undefined>, env: Env): string[] {
  const warnings: string[] = [];
  if (raw.NODE_ENV === undefined || raw.NODE_ENV.trim() === '') {
    warnings.push(
      'NODE_ENV is not set: running in development mode (console providers print codes to the ' +
        'log, secrets are generated under DATA_DIR); set NODE_ENV=production to deploy',
    );
  }
  for (const [name, spec] of Object.entries(ENV_SCHEMA) as [EnvName, EnvVarSpec<unknown>][]) {
    const g = spec.guidance;
    const value = env[name];
    if (!g || typeof value !== 'number') continue;
    if ((g.min !== undefined && value < g.min) || (g.max !== undefined && value > g.max)) {
      warnings.push(
        `${name}=${value} is outside the usual range ${g.min ?? 0}-${g.max ?? 'any'} (${g.why})`,
      );
    }
  }
  return warnings;
}

/** Parses every variable; throws one EnvError naming every bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(ENV_SCHEMA) as [string, EnvVarSpec<unknown>][]) {
    const given = raw[name];
    const value = given !== undefined && given.trim() !== '' ? given : spec.default;
    if (value === undefined) {
      out[name] = undefined;
      continue;
    }
    try {
      out[name] = spec.parse(value);
    } catch (err) {
      const shown = spec.sensitive ? '' : ` (value "${value}")`;
      problems.push(`${name} ${(err as Error).message}${shown}`);
    }
  }
  if (problems.length > 0) {
    throw new EnvError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return out as Env;
}
