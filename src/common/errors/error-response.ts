import { appErrorBody } from './app-error.mapper.js';
import { databaseErrorBody } from './database-error.mapper.js';
import type { ErrorBody } from './error-body.js';
import { frameworkErrorBody } from './framework-error.mapper.js';
import { httpExceptionBody } from './http-exception.mapper.js';

/**
 * Turns anything thrown while serving a request into the contract's status and body. The first
 * mapper that knows the error answers, in this order: the service's AppError, the framework's
 * refusal of the request, a Nest HttpException, an unreachable database; anything else is 500.
 */
export function toErrorBody(err: unknown): ErrorBody {
  return (
    appErrorBody(err) ??
    frameworkErrorBody(err) ??
    httpExceptionBody(err) ??
    databaseErrorBody(err) ??
    internalErrorBody()
  );
}

/** Anything else: 500 with no details (the filter logs the error itself, redacted). */
function internalErrorBody(): ErrorBody {
  return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal error' };
}
