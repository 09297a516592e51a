import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';

// PBKDF2 on a pool of one worker with no queue: concurrent verifications beyond it are shed.
const ENV = {
  OTP_HASH: 'pbkdf2-sha256',
  PBKDF2_ITERATIONS: '400000',
  HASH_MAX_CONCURRENCY: '1',
  HASH_MAX_QUEUE: '0',
  IP_VERIFY_MAX_PER_MINUTE: '100000',
  IP_SEND_MAX_PER_MINUTE: '100000',
};

describe('OTP with pbkdf2-sha256 (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
  });
  afterAll(async () => {
    await t.close();
  });

  const to = '+998901500001';
  const verify = (code: string) =>
    t.post('/v1/otp/verify', { channel: 'sms', to, purpose: 'login', code });

  it('should verify a right code hashed with pbkdf2', async () => {
    expect((await t.post('/v1/otp/send', { channel: 'sms', to, purpose: 'login' })).status).toBe(
      202,
    );
    expect((await verify(t.lastCode(to))).status).toBe(200);
  });

  it('should shed verifications over the pool with 503 + Retry-After, without spending their attempts', async () => {
    t.clock.advanceSeconds(61);
    await t.post('/v1/otp/send', { channel: 'sms', to, purpose: 'login' });
    const wrong = t.lastCode(to) === '000000' ? '111111' : '000000';
    const results = await Promise.all(Array.from({ length: 10 }, () => verify(wrong)));
    const shed = results.filter((r) => r.status === 503);
    const compared = results.filter((r) => r.body.code === 'CODE_INVALID').length;
    expect(shed.length).toBeGreaterThan(0);
    expect(shed.length + compared).toBe(10);
    for (const r of shed) {
      expect(r.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfter: 1 });
      expect(r.headers.get('retry-after')).toBe('1');
    }
    // Only the comparisons that ran count as failures.
    const next = await verify(wrong);
    expect(next.body).toMatchObject({ code: 'CODE_INVALID', attemptsLeft: 5 - compared - 1 });
  });
});
