import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort, RedisProcess, redisServerInstalled } from '../support/redis-process.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Redis is a fast path only: with it gone, every rule must still hold from PostgreSQL.
const describeIfRedis = redisServerInstalled() ? describe : describe.skip;

describeIfRedis('cache outage', () => {
  let redis: RedisProcess;
  let t: TestApp;

  beforeAll(async () => {
    redis = new RedisProcess(await freePort());
    await redis.start();
    t = await startTestApp({ env: { REDIS_URL: redis.url, CACHE_KEY_PREFIX: 'outage:' } });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  const send = (to: string) => t.post('/v1/otp/send', { channel: 'sms', to, purpose: 'login' });
  const verify = (to: string, code: string) =>
    t.post('/v1/otp/verify', { channel: 'sms', to, purpose: 'login', code });

  it('should serve with Redis up, keep every rule with Redis down, and resume when it is back', async () => {
    expect((await t.get('/health/ready')).body.details.cache.status).toBe('up');
    expect((await send('+998901300001')).status).toBe(202);

    await redis.stop();

    // Cooldown set while Redis was up still holds (from PostgreSQL).
    expect((await send('+998901300001')).body.code).toBe('SEND_COOLDOWN');
    // A full send/verify cycle works.
    expect((await send('+998901300002')).status).toBe(202);
    const code = t.lastCode('+998901300002');
    expect((await verify('+998901300002', code)).status).toBe(200);
    expect((await verify('+998901300002', code)).body.code).toBe('CODE_NOT_FOUND');
    // Cooldown decided while Redis is down.
    expect((await send('+998901300002')).body.code).toBe('SEND_COOLDOWN');
    // The IP limit (3 verifies a minute) still holds, from ip_rate_limits (fresh window first).
    t.clock.advanceSeconds(61);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await verify('+998901300003', '000000')).body.code);
    expect(answers).toEqual(['CODE_NOT_FOUND', 'CODE_NOT_FOUND', 'CODE_NOT_FOUND']); // never sent
    expect((await verify('+998901300003', '000000')).body.code).toBe('IP_RATE_LIMITED');
    // Readiness stays 200 and reports the cache down.
    const ready = await t.get('/health/ready');
    expect(ready.body).toMatchObject({ status: 'ok' });
    expect(ready.status).toBe(200);
    expect(ready.body.details.cache.status).toBe('down');

    await redis.start();
    let cacheUp = false;
    for (let i = 0; i < 100 && !cacheUp; i++) {
      cacheUp = (await t.get('/health/ready')).body.details.cache.status === 'up';
      if (!cacheUp) await new Promise((r) => setTimeout(r, 100));
    }
    expect(cacheUp).toBe(true);
    t.clock.advanceSeconds(3600);
    expect((await send('+998901300004')).status).toBe(202);
  });
});
