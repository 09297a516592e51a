import type { INestApplication } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '#src/common/clock/clock.js';
import { sendErrorReply } from '#src/common/errors/error-reply.js';
import { toErrorBody } from '#src/common/errors/error-response.js';
import { retryAfterUntil } from '#src/common/errors/retry-after.js';
import { bindClientKey } from '#src/common/http/client-key.js';
import { LocalBlockCache } from './local-block.cache.js';
import { ipRateLimited } from './rate-limit.errors.js';
import { routeClientKey } from './route-client-key.js';

/** Answers the request and says true when it must go no further. */
export type RequestGate = (request: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * The app's first request hook (configureApp) calls this: it binds the request's client key and
 * refuses a flood from an address just seen blocked on the route, before body parsing, the guard
 * and any Redis or PostgreSQL round trip (see LocalBlockCache for freshness). The 429 is the
 * guard's (same key, same body). Synchronous: a refusal costs no promise.
 */
export function localBlockGate(app: INestApplication, ipV6Prefix: number): RequestGate {
  const localBlocks = app.get(LocalBlockCache, { strict: false });
  const clock = app.get(Clock, { strict: false });
  return (request, reply) => {
    const client = bindClientKey(request, ipV6Prefix);
    const route = request.routeOptions.url;
    if (!route) return false;
    const now = clock.now().getTime();
    const until = localBlocks.get(routeClientKey(route, client), now);
    if (until === undefined) return false;
    const body = toErrorBody(ipRateLimited(retryAfterUntil(until, now)));
    void sendErrorReply(reply, { ...body, requestId: String(request.id) });
    return true;
  };
}
