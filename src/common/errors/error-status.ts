import type { ErrorCode } from './app-error.js';

/** The one map from error code to HTTP status. */
export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'INVALID_RECIPIENT':
      return 400;
    case 'TOKEN_INVALID':
    case 'INVALID_CREDENTIALS':
    case 'UNAUTHORIZED':
      return 401;
    case 'COUNTRY_NOT_ALLOWED':
    case 'NUMBER_TYPE_NOT_ALLOWED':
    case 'DESTINATION_SUSPENDED':
      return 403;
    case 'CODE_NOT_FOUND':
    case 'NOT_FOUND':
      return 404;
    case 'CODE_EXPIRED':
      return 410;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'CODE_INVALID':
      return 422;
    case 'SEND_COOLDOWN':
    case 'SEND_QUOTA_EXCEEDED':
    case 'RECIPIENT_LOCKED':
    case 'LOGIN_THROTTLED':
    case 'IP_RATE_LIMITED':
      return 429;
    case 'INTERNAL_ERROR':
      return 500;
    case 'DELIVERY_FAILED':
      return 502;
    case 'SERVICE_UNAVAILABLE':
      return 503;
  }
}
