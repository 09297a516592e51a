import { HttpException } from '@nestjs/common';
import { BODY_TOO_LARGE, invalidBody, type ErrorBody } from './error-body.js';

/**
 * Nest's HttpExceptions (ThrottlerException among them): 404 and 405 are an unknown route, 413 a
 * body too large, 503 a dependency down, any other 4xx a VALIDATION_FAILED with the exception's
 * message. Any other status is not answered here (a 5xx may still be a database outage).
 */
export function httpExceptionBody(err: unknown): ErrorBody | undefined {
  if (!(err instanceof HttpException)) return undefined;
  const status = err.getStatus();
  if (status === 404 || status === 405) {
    return { statusCode: 404, code: 'NOT_FOUND', message: 'Route not found' };
  }
  if (status === 413) return invalidBody(BODY_TOO_LARGE);
  if (status === 503) {
    return {
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'A dependency is unavailable',
      retryAfter: 5,
    };
  }
  if (status >= 400 && status < 500) return invalidBody(err.message);
  return undefined;
}
