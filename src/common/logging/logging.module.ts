import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config.js';

/** Structured JSON logs (pino); every line made while serving a request carries its id. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.log.level,
          autoLogging: false, // RequestLoggingInterceptor writes one line per request
          genReqId: (req) => (req as { id?: string }).id ?? '',
          customProps: (req) => ({ requestId: (req as { id?: unknown }).id }),
          quietReqLogger: true,
          serializers: { req: () => undefined, res: () => undefined },
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              '*.password',
              '*.code',
              '*.token',
              '*.to',
            ],
            censor: '[redacted]',
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
