import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig } from '#src/config/app-config.js';
import { redactLogValue, redactText, safeError, serializeLoggedError } from './log-redaction.js';

/** Where log lines go: stdout unless a test provides a stream. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

// The console providers print a message, code and recipient included, on purpose: development
// only (refused when NODE_ENV=production). Config warnings name non-secret variables and values.
const UNREDACTED_CONTEXTS = new Set(['ConsoleSms', 'ConsoleEmail', 'Config']);

/** Every argument of every log call, made safe before pino formats it (see log-redaction.ts). */
function redactArgs(args: unknown[]): unknown[] {
  const first = args[0] as { context?: unknown } | undefined;
  if (first && typeof first === 'object' && UNREDACTED_CONTEXTS.has(String(first.context))) {
    return args;
  }
  return args.map((a) => (typeof a === 'string' ? redactText(a) : redactLogValue(a)));
}

/** Structured JSON logs (pino); every line made while serving a request carries its id. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [{ provide: LOG_DESTINATION, useValue: null }],
      inject: [AppConfig, LOG_DESTINATION],
      useFactory: (config: AppConfig, destination: DestinationStream | null) => {
        const options = {
          level: config.log.level,
          autoLogging: false, // RequestLoggingInterceptor writes one line per request
          genReqId: (req: unknown) => (req as { id?: string }).id ?? '',
          customProps: (req: unknown) => ({ requestId: (req as { id?: unknown }).id }),
          quietReqLogger: true,
          serializers: {
            req: () => undefined,
            res: () => undefined,
            // Run on pino's own serialization of the error (pino-http wraps it so).
            err: (err: unknown) => serializeLoggedError(err),
            error: (err: unknown) =>
              serializeLoggedError(err instanceof Error ? safeError(err) : err),
          },
          hooks: {
            logMethod(
              this: unknown,
              args: Parameters<(...a: unknown[]) => void>,
              method: (...a: unknown[]) => void,
            ) {
              method.apply(this, redactArgs(args));
            },
          },
          // `*.code` is left to the hook: an error's code (23514, ECONNREFUSED) is worth a line.
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              '*.password',
              '*.token',
              '*.to',
            ],
            censor: '[redacted]',
          },
        };
        return { pinoHttp: destination ? [options, destination] : options };
      },
    }),
  ],
})
export class LoggingModule {}
