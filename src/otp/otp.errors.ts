import { AppError } from '#src/common/errors/app-error.js';
import { retryAfterUntil } from '#src/common/errors/retry-after.js';
import type { RecipientBlockCode } from './otp-fast-path.js';

// The OTP module's refusals, as the contract (API.md) words them. One factory per answer, so the
// send and both verify paths answer alike.

/** The contract's 429 for a recipient-level refusal, with Retry-After in whole seconds. */
export function refusalError(code: RecipientBlockCode, until: Date, now: Date): AppError {
  const retryAfter = retryAfterUntil(until, now);
  const message = {
    RECIPIENT_LOCKED: `Too many wrong codes; try again in ${retryAfter} s`,
    SEND_COOLDOWN: `Wait ${retryAfter} s before requesting another code`,
    SEND_QUOTA_EXCEEDED: `Hourly limit of codes reached; try again in ${retryAfter} s`,
  }[code];
  return new AppError(code, message, { retryAfter });
}

/** A wrong code, with the failures the recipient has left before the lock. */
export function codeInvalidError(attemptsLeft: number): AppError {
  return new AppError('CODE_INVALID', 'Wrong code', { attemptsLeft });
}

/** Nothing to compare the code with: never sent, other purpose, used, or invalidated. */
export function noActiveCodeError(): AppError {
  return new AppError('CODE_NOT_FOUND', 'No active code for this recipient and purpose');
}

/** The code matched but a concurrent request used it first. */
export function codeUsedError(): AppError {
  return new AppError('CODE_NOT_FOUND', 'This code has already been used');
}

/** The answer to a replaced (or already used) code: no failure is counted. */
export function replacedCodeError(): AppError {
  return new AppError(
    'CODE_NOT_FOUND',
    'This code was replaced by a newer one or already used; enter the latest code',
  );
}

export function codeExpiredError(): AppError {
  return new AppError('CODE_EXPIRED', 'The code has expired; request a new one');
}

/** No provider accepted the message: the code was withdrawn, so a retry may come at once. */
export function deliveryFailedError(): AppError {
  return new AppError('DELIVERY_FAILED', 'No provider accepted the message; you may retry now');
}
