import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { ErrorResponseDto } from '#src/common/errors/error-response.dto.js';
import { IpThrottleGuard } from './ip-throttle.guard.js';

/** The two IP policies of the contract: code-checking routes (`verify`) and code-sending ones (`send`). */
export type IpPolicy = 'send' | 'verify';
export const IP_POLICIES: IpPolicy[] = ['send', 'verify'];

/**
 * Puts a route under one IP policy: the guard, the other policy skipped, and the documented 429.
 * Each route keeps its own counter.
 */
export function IpLimit(policy: IpPolicy): MethodDecorator & ClassDecorator {
  const skip = Object.fromEntries(IP_POLICIES.filter((p) => p !== policy).map((p) => [p, true]));
  return applyDecorators(
    UseGuards(IpThrottleGuard),
    SkipThrottle(skip),
    ApiResponse({
      status: 429,
      type: ErrorResponseDto,
      description: `IP_RATE_LIMITED (the ${policy} limit per client IP), or a per-recipient limit`,
    }),
  );
}
