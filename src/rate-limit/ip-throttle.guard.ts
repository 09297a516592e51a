import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { retryAfterSeconds } from '#src/common/errors/retry-after.js';
import { clientKeyOf } from '#src/common/http/client-key.js';
import { ipRateLimited } from './rate-limit.errors.js';
import { routeClientKey } from './route-client-key.js';

/**
 * Per-IP, per-endpoint throttling on @nestjs/throttler with our RateLimitStore. The client is the
 * request's client key (see client-key.ts): Fastify's address under TRUST_PROXY, an IPv6 client
 * counted per network, never a forwarded value that is not an IP address.
 */
@Injectable()
export class IpThrottleGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(clientKeyOf(req as unknown as FastifyRequest));
  }

  protected override generateKey(context: ExecutionContext, tracker: string): string {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    return routeClientKey(req.routeOptions.url ?? req.url, tracker);
  }

  protected override throwThrottlingException(
    _: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    // timeToBlockExpire is already whole seconds (RateLimitStore); the contract's floor is 1 s.
    const retryAfter = retryAfterSeconds(detail.timeToBlockExpire * 1000);
    return Promise.reject(ipRateLimited(retryAfter));
  }
}
