import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, serverUrl, type TestDatabase } from '../support/databases.js';
import { startTestApp, type HttpResult, type TestApp } from '../support/test-app.js';

// LOGIN_MAX_FAILURES (10) failed logins for one email within LOGIN_LOCKOUT_SECONDS (900), from any
// IPs, throttle it: 429 LOGIN_THROTTLED until 900 s after the last failure, whatever the password.
const ENV = {
  TRUST_PROXY: 'loopback',
  IP_VERIFY_MAX_PER_MINUTE: '100000',
  IP_SEND_MAX_PER_MINUTE: '100000',
};
const PASSWORD = 'correct horse battery staple';
const WRONG = 'not the password at all';

let seq = 0;
const email = () => `login${++seq}.${process.pid}@acme.example`;

/** What a client can compare between two answers. */
const visible = (res: HttpResult) => ({
  status: res.status,
  code: res.body?.code,
  retryAfter: res.body?.retryAfter,
  retryAfterHeader: res.headers.get('retry-after'),
});

describe('Login throttling per account (e2e)', () => {
  let t: TestApp;
  let ip = 0;
  // Every login from another client IP: the limit is per email, not per address.
  const login = (to: string, password: string) =>
    t.post(
      '/v1/hr/login',
      { email: to, password },
      { 'x-forwarded-for': `198.51.100.${++ip % 250}` },
    );

  async function activeAccount(): Promise<string> {
    const to = email();
    const reg = await t.post('/v1/hr/register', {
      email: to,
      password: PASSWORD,
      fullName: 'Jane Doe',
      companyName: 'Acme',
    });
    const ok = await t.post('/v1/hr/register/verify', {
      email: to,
      code: t.lastCode(to),
      verificationId: reg.body.verificationId,
    });
    expect(ok.status).toBe(200);
    return to;
  }

  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should throttle an email after 10 failures from 10 IPs, even with the right password, until 900 s after the last failure', async () => {
    const to = await activeAccount();
    for (let i = 0; i < 10; i++) {
      expect((await login(to, WRONG)).body.code).toBe('INVALID_CREDENTIALS');
    }
    const throttled = await login(to, PASSWORD);
    expect(throttled.status).toBe(429);
    const { requestId, ...body } = throttled.body;
    expect(typeof requestId).toBe('string');
    expect(body).toEqual({
      statusCode: 429,
      code: 'LOGIN_THROTTLED',
      message: expect.any(String),
      retryAfter: 900,
    });
    expect(throttled.headers.get('retry-after')).toBe('900');

    // Throttled attempts are not failures: they do not move the end of the window.
    t.clock.advanceSeconds(899);
    expect(visible(await login(to, PASSWORD))).toEqual({
      status: 429,
      code: 'LOGIN_THROTTLED',
      retryAfter: 1,
      retryAfterHeader: '1',
    });
    t.clock.advanceSeconds(1);
    expect((await login(to, PASSWORD)).status).toBe(200);
  });

  it('should throttle an email with no account in exactly the same way', async () => {
    const active = await activeAccount();
    const unknown = email();
    for (let i = 0; i < 12; i++) {
      t.clock.advanceSeconds(5);
      const a = visible(await login(active, WRONG));
      const b = visible(await login(unknown, WRONG));
      expect(b).toEqual(a);
      expect(a.status).toBe(i < 10 ? 401 : 429);
    }
    expect(visible(await login(unknown, PASSWORD))).toEqual(visible(await login(active, PASSWORD)));
  });

  it('should count failures within the window of the last one, and forget them on a success', async () => {
    const to = await activeAccount();
    for (let i = 0; i < 9; i++) expect((await login(to, WRONG)).status).toBe(401);
    expect((await login(to, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await login(to, WRONG)).status).toBe(401);
    // 900 s after the last failure the count starts again.
    t.clock.advanceSeconds(900);
    for (let i = 0; i < 9; i++) expect((await login(to, WRONG)).status).toBe(401);
    expect((await login(to, PASSWORD)).status).toBe(200);
  });

  it('should let at most 10 of 30 parallel wrong guesses be checked', async () => {
    const to = await activeAccount();
    const answers = await Promise.all(Array.from({ length: 30 }, () => login(to, WRONG)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    expect((await login(to, PASSWORD)).body.code).toBe('LOGIN_THROTTLED');
  });

  it('should audit login.throttled, list it in /v1/admin/blocks, count it in stats and lift it with /v1/admin/unlock { login }', async () => {
    t.clock.advanceSeconds(86_400);
    const since = t.clock.now().toISOString();
    const to = await activeAccount();
    for (let i = 0; i < 10; i++) await login(to, WRONG);
    expect((await login(to, PASSWORD)).status).toBe(429);
    expect((await login(to, PASSWORD)).status).toBe(429);

    const events = await t.admin(
      'GET',
      `/v1/admin/audit-events?type=login.throttled&recipient=${encodeURIComponent(to)}`,
    );
    expect(events.body.items).toHaveLength(1); // once, when the throttle engaged
    expect(events.body.items[0]).toMatchObject({
      type: 'login.throttled',
      channel: 'email',
      recipient: 'l***@acme.example',
      details: { failures: 10, lockedUntil: expect.any(String) },
    });
    expect(JSON.stringify(events.body)).not.toContain(to);

    const blocks = await t.admin('GET', '/v1/admin/blocks');
    expect(blocks.status).toBe(200);
    expect(blocks.body.logins).toContainEqual({
      email: 'l***@acme.example',
      lockedUntil: new Date(t.clock.now().getTime() + 900_000).toISOString(),
    });
    expect(JSON.stringify(blocks.body)).not.toContain(to);

    t.clock.advanceSeconds(1);
    const stats = await t.admin(
      'GET',
      `/v1/admin/stats?since=${since}&until=${t.clock.now().toISOString()}`,
    );
    expect(stats.body.loginThrottles).toBe(1);

    const unlocked = await t.admin('POST', '/v1/admin/unlock', { login: ` ${to.toUpperCase()} ` });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body).toEqual({ unlocked: true });
    expect((await t.admin('GET', '/v1/admin/blocks')).body.logins).toEqual([]);
    expect((await login(to, PASSWORD)).status).toBe(200);
    const unlocks = await t.admin(
      'GET',
      `/v1/admin/audit-events?type=admin.unlock&recipient=${encodeURIComponent(to)}`,
    );
    expect(unlocks.body.items[0].details).toEqual({ target: 'login', wasLocked: true });

    for (const body of [{ login: to, ip: '10.0.0.1' }, { login: '' }, { login: 42 }]) {
      const res = await t.admin('POST', '/v1/admin/unlock', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('Swagger for the abuse rules (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should document LOGIN_THROTTLED with an example, the verificationId field and the admin login throttles', async () => {
    const doc = (await t.get('/docs-json')).body;
    const throttled = doc.paths['/v1/hr/login'].post.responses['429'];
    expect(throttled.description).toContain('LOGIN_THROTTLED');
    expect(JSON.stringify(throttled.content)).toContain('"code":"LOGIN_THROTTLED"');
    const schemas = doc.components.schemas;
    expect(schemas.HrActivationDto.required).toContain('verificationId');
    expect(schemas.HrActivationDto.properties.verificationId.format).toBe('uuid');
    expect(schemas.AdminBlocksDto.properties.logins).toBeDefined();
    expect(schemas.AdminUnlockDto.properties.login).toBeDefined();
    expect(schemas.AdminStatsDto.properties.loginThrottles).toBeDefined();
  });
});

describe('Login throttling across instances (e2e)', () => {
  const onServer = serverUrl() !== undefined;
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    if (!onServer) return;
    db = await createTestDatabase();
    a = await startTestApp({ database: db, env: ENV });
    b = await startTestApp({ database: db, env: ENV });
  });
  afterAll(async () => {
    if (!onServer) return;
    await a.close();
    await b.close();
    await db.drop();
  });

  // Two instances share one database only on a PostgreSQL server (the embedded one is per process).
  (onServer ? it : it.skip)(
    'should count failures on every instance together and refuse on both',
    async () => {
      const to = email();
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          (i % 2 ? a : b).post('/v1/hr/login', { email: to, password: WRONG }),
        ),
      );
      expect(answers.filter((r) => r.status === 401)).toHaveLength(10);
      for (const app of [a, b]) {
        const res = await app.post('/v1/hr/login', { email: to, password: PASSWORD });
        expect(res.body.code).toBe('LOGIN_THROTTLED');
      }
    },
  );
});
