/** Machine-readable error codes of the HTTP contract (API.md), plus NOT_FOUND for unknown routes. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_RECIPIENT'
  | 'COUNTRY_NOT_ALLOWED'
  | 'NUMBER_TYPE_NOT_ALLOWED'
  | 'DESTINATION_SUSPENDED'
  | 'CODE_NOT_FOUND'
  | 'CODE_EXPIRED'
  | 'CODE_INVALID'
  | 'SEND_COOLDOWN'
  | 'SEND_QUOTA_EXCEEDED'
  | 'RECIPIENT_LOCKED'
  | 'LOGIN_THROTTLED'
  | 'IP_RATE_LIMITED'
  | 'DELIVERY_FAILED'
  | 'TOKEN_INVALID'
  | 'INVALID_CREDENTIALS'
  | 'UNAUTHORIZED'
  | 'SERVICE_UNAVAILABLE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_FOUND'
  | 'INTERNAL_ERROR';

export interface ValidationProblem {
  field: string;
  problem: string;
}

export interface AppErrorMeta {
  retryAfter?: number;
  attemptsLeft?: number;
  details?: ValidationProblem[];
}

/**
 * A domain failure with a stable code. Services throw these; only the HTTP filter maps them.
 *
 * An AppError is an answer (a wrong code, a lock, a limit), not a fault: it carries no stack trace.
 * Capturing one walked the whole async stack on every refusal (7 % of the server's CPU in a
 * locked-recipient flood, BENCHMARKS.md), and the filter never logs it.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly meta: AppErrorMeta = {},
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'AppError';
  }
}

export const validationError = (
  details: ValidationProblem[],
  message = 'Request does not match the schema',
) => new AppError('VALIDATION_FAILED', message, { details });
