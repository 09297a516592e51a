import type { ErrorBody } from './error-body.js';

// Errors from node-postgres / the network that mean "the database is not reachable right now".
const DB_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
  '53300', // too_many_connections
]);
const DB_DOWN_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|connection is closed|Cannot use a pool after calling end|terminating connection/i;

/** The error, or one of the three it wraps (TypeORM's driverError first, else cause), says so. */
export function isDatabaseUnavailable(err: unknown): boolean {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 4; depth++) {
    const e = cur as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && DB_DOWN_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && DB_DOWN_MESSAGE.test(e.message)) return true;
    cur = e.driverError ?? e.cause;
  }
  return false;
}

/** A database (or connection) that cannot be reached: 503, worth a retry in 5 s. */
export function databaseErrorBody(err: unknown): ErrorBody | undefined {
  if (!isDatabaseUnavailable(err)) return undefined;
  return {
    statusCode: 503,
    code: 'SERVICE_UNAVAILABLE',
    message: 'Database unavailable; retry shortly',
    retryAfter: 5,
  };
}
