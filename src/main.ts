import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createFastifyAdapter } from './bootstrap/http-app.js';
import { loadAppConfigFromProcess } from './config/app-config.js';
import { EnvError } from './config/env.schema.js';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadAppConfigFromProcess();
  } catch (err) {
    if (err instanceof EnvError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    {
      bufferLogs: true,
    },
  );
  await configureApp(app, config);
  await app.listen({ port: config.http.port, host: config.http.host });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    // In-flight requests finish; anything still running after the deadline is cut.
    setTimeout(() => process.exit(1), config.http.shutdownTimeoutMs).unref();
    // Fastify closes only the connections idle at the signal; a keep-alive connection whose
    // request was in flight would hold the close open until the deadline (exit 1). Close each
    // one as soon as its response is out.
    const server = app.getHttpServer() as { closeIdleConnections(): void };
    setInterval(() => server.closeIdleConnections(), 50).unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        process.stderr.write(`shutdown after ${signal} failed: ${String(err)}\n`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void bootstrap();
