import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { clientKeyOf } from './client-key.js';

/** What services may know about the HTTP request: plain data, never the request object. */
export interface RequestMetaData {
  /** The client key (common/http/client-key.ts): an IPv4 address or an IPv6 network. */
  ip: string;
  userAgent?: string;
  requestId: string;
}

export function requestMetaOf(req: FastifyRequest): RequestMetaData {
  const ua = req.headers['user-agent'];
  return {
    ip: clientKeyOf(req),
    userAgent: typeof ua === 'string' ? ua.slice(0, 256) : undefined,
    requestId: String(req.id),
  };
}

export const RequestMeta = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): RequestMetaData =>
    requestMetaOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
