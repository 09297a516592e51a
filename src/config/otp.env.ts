import { int, list, oneOf, seconds, secret, type EnvVarSpec } from './env.parsers.js';

/**
 * Codes (length, lifetime, attempts, cooldown, purposes), how they are hashed, and the secrets and
 * lifetimes of the tokens issued once a code is verified. Spread into ENV_SCHEMA.
 */
export const OTP_ENV_SCHEMA = {
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
} satisfies Record<string, EnvVarSpec<unknown>>;
