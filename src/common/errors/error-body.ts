import type { ErrorCode } from './app-error.js';

/** The contract's one error body (API.md "Errors"); the reply adds `requestId`. */
export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  retryAfter?: number;
  attemptsLeft?: number;
  details?: { field: string; problem: string }[];
  requestId?: string;
}

export const BODY_TOO_LARGE = 'Body is larger than 16 KiB';

/** 400 VALIDATION_FAILED about the request body as a whole: the message is its one problem. */
export function invalidBody(message: string): ErrorBody {
  return {
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    message,
    details: [{ field: 'body', problem: message }],
  };
}
