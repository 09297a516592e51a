import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tap, type Observable } from 'rxjs';
import { toErrorBody } from '../errors/error-response.js';

/**
 * One line per handled request: method, route template (never the raw URL, which may carry a
 * recipient in a query), status and duration. Bodies are never logged.
 */
@Injectable()
export class RequestLoggingInterceptor implements NestInterceptor {
  private readonly logger = new Logger('HTTP');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const started = process.hrtime.bigint();
    const line = (status: number, code?: string) => ({
      requestId: req.id,
      method: req.method,
      route: req.routeOptions?.url ?? 'unknown',
      status,
      code,
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    });
    return next.handle().pipe(
      tap({
        next: () => this.logger.log(line(http.getResponse<FastifyReply>().statusCode), 'request'),
        error: (err: unknown) => {
          const body = toErrorBody(err);
          this.logger.log(line(body.statusCode, body.code), 'request');
        },
      }),
    );
  }
}
