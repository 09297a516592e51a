import { AppError } from './app-error.js';
import type { ErrorBody } from './error-body.js';
import { statusOf } from './error-status.js';

/** The service's own refusals: the code's status, the message, then the meta as thrown. */
export function appErrorBody(err: unknown): ErrorBody | undefined {
  if (!(err instanceof AppError)) return undefined;
  return { statusCode: statusOf(err.code), code: err.code, message: err.message, ...err.meta };
}
