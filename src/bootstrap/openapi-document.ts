import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '#src/app.module.js';
import { buildAppConfig } from '#src/config/app-config.js';
import { buildOpenApi, createFastifyAdapter } from './http-app.js';

/** The document the running service serves at /docs-json, as committed: 2-space JSON, final newline. */
export async function renderOpenApi(): Promise<string> {
  // Placeholder secrets: the document does not depend on them, and nothing is started.
  const config = buildAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: 'memory://openapi',
    OTP_PEPPER: 'openapi-placeholder-pepper-0123456789abcdef',
    TOKEN_SECRET: 'openapi-placeholder-token-secret-0123456789',
    ADMIN_API_KEYS: 'openapi-placeholder-admin-key-0123',
  });
  // Preview mode builds the module graph and the route metadata but instantiates no provider, so
  // no database, Redis connection or timer is opened.
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    { preview: true, logger: false, abortOnError: false },
  );
  try {
    return `${JSON.stringify(buildOpenApi(app), null, 2)}\n`;
  } finally {
    await app.close();
  }
}
