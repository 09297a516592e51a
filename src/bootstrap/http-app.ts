import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import fastifyCors from '@fastify/cors';
import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { validationError, type ValidationProblem } from '#src/common/errors/app-error.js';
import type { AppConfig } from '#src/config/app-config.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { localBlockGate } from '#src/rate-limit/local-block.hook.js';
import { rawErrorReply } from '#src/common/errors/error-reply.js';
import { registerAdminUi } from './admin-ui.js';
import { HostileInputPipe } from '#src/common/errors/hostile-input.pipe.js';
import { decodeBody } from './body-decoding.js';
import { securityHeaders } from './security-headers.js';

export const BODY_LIMIT_BYTES = 16 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// Express's meaning of a hop count (API.md): trust the nearest `n` hops. Fastify 5 given a bare
// number trusts no hop at all, so X-Forwarded-For would be ignored.
const trustProxyOf = (tp: AppConfig['http']['trustProxy']) =>
  typeof tp === 'number' ? (_address: string, hop: number) => hop < tp : tp;

export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trustProxyOf(config.http.trustProxy),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Requests Node cannot even parse (bad framing, oversized headers) never reach a route:
    // answer them with the contract's body too, then close the socket.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket: Socket) => {
      if (!socket.writable) return socket.destroy();
      socket.end(
        rawErrorReply({
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: 'Malformed HTTP request',
          details: [{ field: 'request', problem: err.code ?? 'malformed' }],
        }),
      );
    },
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      (req as IncomingMessage & { id?: string }).id = id; // read by pino-http for log lines
      return id;
    },
  });
}

function flatten(errors: ValidationError[], parent = ''): ValidationProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationError(flatten(errors)),
  });
}

/**
 * The OpenAPI document served at /docs-json and committed as openapi.json (npm run openapi:write;
 * CI fails when they differ, and lints it with Redocly's recommended rules, see redocly.yaml).
 */
export function buildOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Codeward')
    .setDescription(
      'Self-hosted one-time-passcode verification: send and verify codes by SMS and email, ' +
        'HR registration and password reset flows, and an admin API over the audit trail.',
    )
    .setVersion('1')
    .addServer('/', 'The instance serving this document')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'API key',
        description: 'An opaque key from ADMIN_API_KEYS (not a JWT)',
      },
      'admin',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'The accessToken answered by POST /v1/hr/login',
      },
      'hr',
    )
    .build();
  // The package is private and grants no licence; say so rather than leave the field out.
  config.info.license = { name: 'UNLICENSED' };
  const document = SwaggerModule.createDocument(app, config);
  // Routes that need a credential name its scheme (@AdminRoute, @ApiBearerAuth('hr')); every
  // other route is public, and OpenAPI wants that said per operation: `security: []`.
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
    }
  }
  return document;
}

/** Everything main.ts and the test harness both need on top of the Nest module graph. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.useGlobalPipes(new HostileInputPipe(), createValidationPipe());
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);

  // The first hook of every request (the adapter runs it before any other hook or middleware):
  // helmet's headers, worked out once; then the client key is bound, and a flood from an address
  // just seen blocked is refused right here (rate-limit module), before logging middleware, body
  // parsing, the guard, and any Redis or PostgreSQL round trip. A browser's cross-origin request
  // (CORS configured, an Origin header) is refused after the CORS hook instead, so that the page
  // can read the 429.
  const headers = securityHeaders();
  const refuseBlocked = localBlockGate(app, config.rateLimit.ipV6Prefix);
  const cors = config.http.corsOrigins.length > 0;
  (app.getHttpAdapter() as FastifyAdapter).setOnRequestHook((request, reply, done) => {
    void reply.headers(headers);
    if ((cors && request.headers.origin !== undefined) || !refuseBlocked(request, reply)) done();
  });
  if (cors) {
    await app.register(fastifyCors, {
      origin: config.http.corsOrigins,
      methods: ['GET', 'POST'],
    });
    fastify.addHook('onRequest', (request, reply, done) => {
      if (request.headers.origin === undefined || !refuseBlocked(request, reply)) done();
    });
  }

  // A compressed body is decoded (its decoded size bounded like a plain one) or refused with 415.
  // Callback-style hooks here and below: an async hook costs a promise per request.
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    let decoded;
    try {
      decoded = decodeBody(request.raw, payload, BODY_LIMIT_BYTES);
    } catch (err) {
      return done(err as Error);
    }
    done(null, decoded);
  });

  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeHttp(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });

  await registerAdminUi(app);

  SwaggerModule.setup('docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'docs-json',
    raw: ['json'],
  });
}
