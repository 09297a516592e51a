import { EnvError, type EnvVarSpec } from './env.parsers.js';
import { NOTIFICATION_ENV_SCHEMA } from './notification.env.js';
import { OPERATIONS_ENV_SCHEMA } from './operations.env.js';
import { OTP_ENV_SCHEMA } from './otp.env.js';
import { RATE_LIMIT_ENV_SCHEMA } from './rate-limit.env.js';
import { SERVER_ENV_SCHEMA } from './server.env.js';

export { EnvError, type EnvVarSpec, type Guidance, type TrustProxy } from './env.parsers.js';

/**
 * Every environment variable Codeward reads, declared once, area by area (`*.env.ts`): default,
 * parser and whether it is a secret. `.env.example` lists the same names; a unit test keeps the
 * two in step. The order of the areas is the order of boot errors and of docs/api.md's table.
 */
export const ENV_SCHEMA = {
  ...SERVER_ENV_SCHEMA,
  ...OTP_ENV_SCHEMA,
  ...RATE_LIMIT_ENV_SCHEMA,
  ...NOTIFICATION_ENV_SCHEMA,
  ...OPERATIONS_ENV_SCHEMA,
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
