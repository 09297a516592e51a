import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { AppModule } from '#src/app.module.js';
import { configureApp, createFastifyAdapter } from '#src/bootstrap/http-app.js';
import { Clock } from '#src/common/clock/clock.js';
import { buildAppConfig, type AppConfig } from '#src/config/app-config.js';
import { EmailProviderChain, SmsProviderChain } from '#src/notification/provider-chain.js';
import { FakeEmailProvider } from '#src/notification/email/fake.email-provider.js';
import { FakeSmsProvider } from '#src/notification/sms/fake.sms-provider.js';
import { createTestDatabase, redisUrl, type TestDatabase } from './databases.js';
import { FakeClock } from './fake-clock.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Share one database between several apps (multi-instance tests). */
  database?: TestDatabase;
  /** Leave the providers from config instead of in-memory fakes. */
  realProviders?: boolean;
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** The whole app, listening on 127.0.0.1, with a FakeClock and fake SMS/email outboxes. */
export class TestApp {
  constructor(
    readonly app: NestFastifyApplication,
    readonly config: AppConfig,
    readonly clock: FakeClock,
    readonly sms: FakeSmsProvider,
    readonly email: FakeEmailProvider,
    readonly baseUrl: string,
    private readonly database: TestDatabase,
    private readonly ownsDatabase: boolean,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (e.g. /metrics)
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }

  admin<T = any>(method: string, path: string, body?: unknown) {
    return this.request<T>(method, path, body, { authorization: `Bearer ${ADMIN_KEY}` });
  }

  /** The last code sent to a normalised recipient through the fake providers. */
  lastCode(to: string): string {
    const msg = this.sms.lastTo(to) ?? this.email.lastTo(to);
    const m = msg && ('text' in msg ? msg.text : '').match(/\b(\d{4,10})\b/);
    if (!m) throw new Error(`no code was sent to ${to}`);
    return m[1];
  }

  async close(): Promise<void> {
    await this.app.close();
    if (this.ownsDatabase) await this.database.drop();
  }
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const redis = redisUrl();
  const config = buildAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    OTP_PEPPER: 'test-pepper-0123456789abcdef0123456789',
    TOKEN_SECRET: 'test-token-secret-0123456789abcdef012345',
    ADMIN_API_KEYS: ADMIN_KEY,
    ...(redis ? { REDIS_URL: redis, CACHE_KEY_PREFIX: `t${randomBytes(4).toString('hex')}:` } : {}),
    ...database.env,
    ...options.env,
  });
  const clock = new FakeClock();
  const sms = new FakeSmsProvider();
  const email = new FakeEmailProvider();
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(Clock)
    .useValue(clock);
  if (!options.realProviders) {
    builder = builder
      .overrideProvider(SmsProviderChain)
      .useValue({ providers: [sms] })
      .overrideProvider(EmailProviderChain)
      .useValue({ providers: [email] });
  }
  if (options.override) builder = options.override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createFastifyAdapter(config),
    { logger: false },
  );
  await configureApp(app, config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  return new TestApp(
    app,
    config,
    clock,
    sms,
    email,
    `http://127.0.0.1:${address.port}`,
    database,
    !options.database,
  );
}
