import { int, oneOf, seconds, secretList, url, type EnvVarSpec } from './env.parsers.js';

/**
 * Running the service: admin keys and the login throttle, audit retention, alert thresholds,
 * shutdown, workers and logging. Spread into ENV_SCHEMA.
 */
export const OPERATIONS_ENV_SCHEMA = {
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
