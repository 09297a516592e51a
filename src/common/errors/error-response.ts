import { HttpException } from '@nestjs/common';
import { AppError, type ErrorCode } from './app-error.js';
import { statusOf } from './error-status.js';

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  retryAfter?: number;
  attemptsLeft?: number;
  details?: { field: string; problem: string }[];
  requestId?: string;
}

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

const FASTIFY_BODY_ERRORS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'Body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Body is empty',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Body is larger than 16 KiB',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_CTP_INVALID_TYPE: 'Content-Type header is invalid',
  FST_ERR_CTP_EMPTY_TYPE: 'Content-Type header is empty',
  CW_ERR_BODY_UNDECODABLE: 'Body could not be decoded with its Content-Encoding',
};

/** Turns anything thrown while serving a request into the contract's status and body. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) {
    return { statusCode: statusOf(err.code), code: err.code, message: err.message, ...err.meta };
  }
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown; name?: unknown };
  if (typeof e.code === 'string' && e.code in FASTIFY_BODY_ERRORS) {
    const message = FASTIFY_BODY_ERRORS[e.code];
    return {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message,
      details: [{ field: 'body', problem: message }],
    };
  }
  if (
    err instanceof SyntaxError ||
    (e.statusCode === 400 && typeof e.code === 'string' && e.code.startsWith('FST_'))
  ) {
    const message = 'Request could not be parsed';
    return {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message,
      details: [{ field: 'body', problem: message }],
    };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 404) return { statusCode: 404, code: 'NOT_FOUND', message: 'Route not found' };
    if (status === 405) return { statusCode: 404, code: 'NOT_FOUND', message: 'Route not found' };
    if (status === 413) {
      const message = 'Body is larger than 16 KiB';
      return {
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message,
        details: [{ field: 'body', problem: message }],
      };
    }
    if (status === 503) {
      return {
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'A dependency is unavailable',
        retryAfter: 5,
      };
    }
    if (status >= 400 && status < 500) {
      return {
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: err.message,
        details: [{ field: 'body', problem: err.message }],
      };
    }
  }
  if (isDatabaseUnavailable(err)) {
    return {
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'Database unavailable; retry shortly',
      retryAfter: 5,
    };
  }
  return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal error' };
}
