import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, serverUrl, type TestDatabase } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Two app instances, each with its own connection pool, on one PostgreSQL database: the rules
// hold because they live in single atomic statements, not in either process. (The embedded
// database is single-process, so this runs where CI provides DATABASE_URL.)
const describeIfServer = serverUrl() ? describe : describe.skip;
const ENV = { IP_VERIFY_MAX_PER_MINUTE: '100000', IP_SEND_MAX_PER_MINUTE: '100000' };

describeIfServer('two instances on one PostgreSQL database', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp({ database: db, env: ENV });
    b = await startTestApp({ database: db, env: ENV });
    b.clock.set(a.clock.now());
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  const apps = () => [a, b];
  const body = (to: string, code?: string) => ({
    channel: 'sms',
    to,
    purpose: 'login',
    ...(code ? { code } : {}),
  });
  const codeFor = (to: string) => {
    for (const t of apps()) {
      try {
        return t.lastCode(to);
      } catch {
        // sent through the other instance
      }
    }
    throw new Error(`no code sent to ${to}`);
  };

  it('should accept exactly one of parallel sends spread over both instances', async () => {
    const to = '+998901400001';
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => apps()[i % 2].post('/v1/otp/send', body(to))),
    );
    expect(results.filter((r) => r.status === 202)).toHaveLength(1);
    expect(a.sms.outbox.length + b.sms.outbox.length).toBe(1);
  });

  it('should give exactly one 200 to parallel right guesses over both instances', async () => {
    const to = '+998901400002';
    await a.post('/v1/otp/send', body(to));
    const code = codeFor(to);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => apps()[i % 2].post('/v1/otp/verify', body(to, code))),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('should allow at most 5 failures from parallel wrong guesses over both instances, then lock', async () => {
    const to = '+998901400003';
    await b.post('/v1/otp/send', body(to));
    const code = codeFor(to);
    const wrong = code === '000000' ? '111111' : '000000';
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => apps()[i % 2].post('/v1/otp/verify', body(to, wrong))),
    );
    expect(results.filter((r) => r.body.code === 'CODE_INVALID')).toHaveLength(4);
    expect(
      results.every((r) => r.body.code === 'CODE_INVALID' || r.body.code === 'RECIPIENT_LOCKED'),
    ).toBe(true);
    expect((await a.post('/v1/otp/verify', body(to, code))).body.code).toBe('RECIPIENT_LOCKED');
    expect((await b.post('/v1/otp/send', body(to))).body.code).toBe('RECIPIENT_LOCKED');
  });
});
