import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tap, type Observable } from 'rxjs';
import { AppConfig } from '#src/config/app-config.js';
import { toErrorBody } from '#src/common/errors/error-response.js';

// pino's levels at or below `info`, the level of the per-request line.
const LINE_LEVELS = new Set(['trace', 'debug', 'info']);

/**
 * One line per handled request: method, route template (never the raw URL, which may carry a
 * recipient in a query), status and duration. Bodies are never logged.
 */
@Injectable()
export class RequestLoggingInterceptor implements NestInterceptor {
  private readonly logger = new Logger('HTTP');
  private readonly enabled: boolean;

  constructor(config: AppConfig) {
    // Above `info` (LOG_LEVEL=warn in production, say) pino would drop the line: skip building
    // it, and the error body it would name, on every request.
    this.enabled = LINE_LEVELS.has(config.log.level);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.enabled) return next.handle();
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
