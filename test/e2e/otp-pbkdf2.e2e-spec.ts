import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AuditService } from '../../src/audit/audit.service.js';
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

  it('should answer CODE_NOT_FOUND to a replaced pbkdf2 code without counting a failure', async () => {
    const other = '+998901500002';
    const send = () => t.post('/v1/otp/send', { channel: 'sms', to: other, purpose: 'login' });
    const check = (code: string) =>
      t.post('/v1/otp/verify', { channel: 'sms', to: other, purpose: 'login', code });
    expect((await send()).status).toBe(202);
    const first = t.lastCode(other);
    t.clock.advanceSeconds(61);
    expect((await send()).status).toBe(202);
    const second = t.lastCode(other);
    if (first === second) return;
    for (let i = 0; i < 2; i++) {
      const res = await check(first);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('CODE_NOT_FOUND');
    }
    const [{ n }] = await t.app
      .get(DataSource)
      .query(
        `SELECT count(*)::int AS n FROM audit_events WHERE type = 'otp.verify_stale' AND recipient_hash = $1`,
        [t.app.get(AuditService).hashRecipient(other)],
      );
    expect(n).toBe(2);
    const bad = [first, second].includes('000000') ? '999999' : '000000';
    expect((await check(bad)).body).toMatchObject({ code: 'CODE_INVALID', attemptsLeft: 4 });
    expect((await check(second)).status).toBe(200);
  });
});
