import { int, list, seconds, trustProxy, type EnvVarSpec } from './env.parsers.js';

/**
 * Per-IP limits, and which clients the HTTP edge believes and answers: TRUST_PROXY decides the
 * client address the limits count by, CORS_ORIGINS the browsers allowed to call. Spread into
 * ENV_SCHEMA.
 */
export const RATE_LIMIT_ENV_SCHEMA = {
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
} satisfies Record<string, EnvVarSpec<unknown>>;
