import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeEskiz } from '../support/fake-eskiz.js';
import { ensureBuilt } from './support/build.js';
import { SuiteDatabase } from './support/database.js';
import { get, ip, phone, post, tally, type Answer } from './support/http.js';
import { startInstances, until, type Instance } from './support/instance.js';
import { Load } from './support/load.js';
import { RedisServer } from './support/redis-server.js';
import { lastCode, smsEnv } from './support/sms.js';

// Two instances on one database and a private redis-server that the test kills (SIGKILL) under
// load and starts again. Redis is only a fast path: every limit must keep holding from PostgreSQL.
const MAX_FAILED = 5;

describe('Redis killed under load', () => {
  let db: SuiteDatabase;
  let redis: RedisServer;
  let eskiz: FakeEskiz;
  let duo: Instance[];

  beforeAll(async () => {
    const main = ensureBuilt();
    [db, redis, eskiz] = await Promise.all([
      SuiteDatabase.create(),
      RedisServer.start(),
      FakeEskiz.start(),
    ]);
    duo = await startInstances(2, {
      main,
      env: {
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        TRUST_PROXY: 'loopback',
        OTP_MAX_FAILED_ATTEMPTS: String(MAX_FAILED),
        OTP_SEND_COOLDOWN_SECONDS: '60',
        IP_VERIFY_MAX_PER_MINUTE: '3',
        IP_SEND_MAX_PER_MINUTE: '10',
        ...smsEnv(eskiz.url, eskiz),
      },
    });
  }, 240_000);

  afterAll(async () => {
    await Promise.all((duo ?? []).map((i) => i.stop()));
    await redis?.kill();
    await eskiz?.close();
    await db?.drop();
  }, 60_000);

  const on = (k: number) => duo[k % duo.length].url;
  const send = (k: number, to: string, from = ip()) =>
    post(
      on(k),
      '/v1/otp/send',
      { channel: 'sms', to, purpose: 'login' },
      { 'x-forwarded-for': from },
    );
  const verify = (k: number, to: string, code: string, from = ip()) =>
    post(
      on(k),
      '/v1/otp/verify',
      { channel: 'sms', to, purpose: 'login', code },
      { 'x-forwarded-for': from },
    );
  const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000');
  const parallel = (n: number, task: (k: number) => Promise<Answer>) =>
    Promise.all(Array.from({ length: n }, (_, k) => task(k)));
  const serverErrors = (answers: Answer[]) => answers.filter((a) => a.error || a.status >= 500);

  /** A recipient with a live code whose 5th wrong guess has locked it. */
  async function lockedRecipient(): Promise<{ to: string; code: string }> {
    const to = phone();
    expect((await send(0, to)).status).toBe(202);
    const code = lastCode(to, eskiz);
    const answers = await parallel(20, (k) => verify(k, to, wrongCode(code)));
    expect(tally(answers)).toEqual({
      '422 CODE_INVALID': MAX_FAILED - 1,
      '429 RECIPIENT_LOCKED': 20 - (MAX_FAILED - 1),
    });
    return { to, code };
  }

  it('should answer without a 5xx, keep every limit from PostgreSQL, and resume the fast path when Redis is back', async () => {
    // Limits established while Redis is up (the fast path and the Redis IP counters hold them).
    const cooling = phone();
    expect((await send(0, cooling)).status).toBe(202);
    const locked = await lockedRecipient();
    const blockedIp = ip();
    const limited = await parallel(6, (k) => verify(k, phone(), '123456', blockedIp));
    expect(tally(limited)).toEqual({ '404 CODE_NOT_FOUND': 3, '429 IP_RATE_LIMITED': 3 });

    // Mixed load on both instances; Redis is killed in the middle of it.
    const load = new Load(
      (i) => {
        switch (i % 4) {
          case 0:
            return send(i, phone());
          case 1:
            return verify(i, phone(), '123456');
          case 2:
            return verify(i, locked.to, locked.code);
          default:
            return send(i, cooling);
        }
      },
      16,
      3_000,
    ).start();
    await load.reached(200);
    await redis.kill();
    const atKill = load.answers.length;
    await load.reached(atKill + 400);
    const answers = await load.stop();

    expect(answers.length).toBeGreaterThanOrEqual(atKill + 400);
    expect(serverErrors(answers)).toEqual([]);
    const byKind = (kind: number) => answers.filter((a) => a.step % 4 === kind);
    expect(Object.keys(tally(byKind(2)))).toEqual(['429 RECIPIENT_LOCKED']);
    expect(Object.keys(tally(byKind(3)))).toEqual(['429 SEND_COOLDOWN']);

    // Redis is down: the limits set before still hold on both instances, from PostgreSQL.
    expect(tally(await parallel(4, (k) => send(k, cooling)))).toEqual({ '429 SEND_COOLDOWN': 4 });
    expect(tally(await parallel(4, (k) => verify(k, locked.to, locked.code)))).toEqual({
      '429 RECIPIENT_LOCKED': 4,
    });
    expect(tally(await parallel(4, (k) => send(k, locked.to)))).toEqual({
      '429 RECIPIENT_LOCKED': 4,
    });
    expect(tally(await parallel(4, (k) => verify(k, phone(), '1', blockedIp)))).toEqual({
      '429 IP_RATE_LIMITED': 4,
    });

    // New limits are exact with Redis down: cooldown, lockout and IP limit.
    const fresh = phone();
    expect(tally(await parallel(20, (k) => send(k, fresh)))).toEqual({
      '202': 1,
      '429 SEND_COOLDOWN': 19,
    });
    const lockedWhileDown = await lockedRecipient();
    expect(await db.auditCount('otp.verify_failed', lockedWhileDown.to)).toBe(MAX_FAILED);
    const client = ip();
    expect(tally(await parallel(10, (k) => verify(k, phone(), '123456', client)))).toEqual({
      '404 CODE_NOT_FOUND': 3,
      '429 IP_RATE_LIMITED': 7,
    });
    // Readiness reports the cache down (without leaving rotation: the database answers).
    for (const i of duo) {
      const ready = await get(i.url, '/health/ready');
      expect([ready.status, ready.body?.details?.cache?.status]).toEqual([200, 'down']);
      expect((await get(i.url, '/health/live')).status).toBe(200);
    }

    // Redis comes back (empty): the instances reconnect by themselves and use it again.
    await redis.restart();
    for (const i of duo) {
      await until(
        `cache up on ${i.url}`,
        async () => {
          const ready = await get(i.url, '/health/ready');
          return ready.status === 200 && ready.body?.details?.cache?.status === 'up';
        },
        30_000,
        100,
      );
    }
    const afterIp = ip();
    expect((await verify(1, phone(), '123456', afterIp)).status).toBe(404);
    expect(await redis.keys(`*rl:${afterIp}|*`)).toHaveLength(1);
    const lockedAfter = await lockedRecipient();
    expect(await redis.keys(`*otp:block:sms:${lockedAfter.to}*`)).toHaveLength(1);
    // What was decided while Redis was away still holds (PostgreSQL is the authority).
    expect(
      tally(await parallel(2, (k) => verify(k, lockedWhileDown.to, lockedWhileDown.code))),
    ).toEqual({
      '429 RECIPIENT_LOCKED': 2,
    });
    for (const i of duo) expect(i.alive).toBe(true);
  }, 180_000);

  // An IP block lives in PostgreSQL as well as Redis: a Redis that restarts empty must not hand a
  // blocked IP a fresh window (RateLimitStore restores the block when Redis has no key).
  it('should keep IP blocks, made before and during the outage, once Redis is back', async () => {
    const before = ip();
    expect(tally(await parallel(4, (k) => verify(k, phone(), '1', before)))).toEqual({
      '404 CODE_NOT_FOUND': 3,
      '429 IP_RATE_LIMITED': 1,
    });
    await redis.kill();
    const during = ip();
    expect(tally(await parallel(4, (k) => verify(k, phone(), '1', during)))).toEqual({
      '404 CODE_NOT_FOUND': 3,
      '429 IP_RATE_LIMITED': 1,
    });
    await redis.restart();
    for (const i of duo) {
      await until(`cache up on ${i.url}`, async () => {
        const ready = await get(i.url, '/health/ready');
        return ready.body?.details?.cache?.status === 'up';
      });
    }
    for (const blocked of [before, during]) {
      expect(tally(await parallel(4, (k) => verify(k, phone(), '1', blocked)))).toEqual({
        '429 IP_RATE_LIMITED': 4,
      });
    }
  }, 60_000);
});
