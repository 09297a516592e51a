import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeError } from '#src/common/logging/log-redaction.js';
import { sendErrorReply } from './error-reply.js';
import type { ErrorBody } from './error-body.js';
import { toErrorBody } from './error-response.js';

const logger = new Logger('HttpError');

function sendError(reply: FastifyReply, body: ErrorBody, requestId: string): void {
  void sendErrorReply(reply, body);
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
      // The error's class, its redacted message and stack frames (see safeError): never a
      // database error's query, parameters or detail, nor a provider's response body.
      logger.error(
        {
          err: safeError(exception),
          requestId: req.id,
          method: req.method,
          route: req.routeOptions?.url ?? 'unmatched',
        },
        'unhandled error',
      );
    }
    sendError(reply, { ...body, requestId: String(req.id) }, String(req.id));
  }
}
