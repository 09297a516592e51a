import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorBody, type ErrorBody } from './error-response.js';

const logger = new Logger('HttpError');

function sendError(reply: FastifyReply, body: ErrorBody, requestId: string): void {
  if (body.retryAfter !== undefined) void reply.header('Retry-After', String(body.retryAfter));
  void reply
    .status(body.statusCode)
    .header('content-type', 'application/json; charset=utf-8')
    .send(body);
  if (
    body.statusCode >= 500 &&
    body.code !== 'SERVICE_UNAVAILABLE' &&
    body.code !== 'DELIVERY_FAILED'
  ) {
    logger.error({ requestId, code: body.code }, 'request failed');
  }
}

/** The one place that turns exceptions into the contract's error body. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const body = toErrorBody(exception);
    if (body.statusCode === 500) {
      logger.error({ err: exception, requestId: req.id }, 'unhandled error');
    }
    sendError(reply, { ...body, requestId: String(req.id) }, String(req.id));
  }
}
