import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AuditService } from '#src/audit/audit.service.js';
import { OtpHasher } from '#src/otp/otp-hasher.js';
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
    const sent = await t.post('/v1/otp/send', { channel: 'sms', to, purpose: 'login' });
    expect(sent.status).toBe(202);
    const wrong = t.lastCode(to) === '000000' ? '111111' : '000000';
    // Occupy the pool's one worker with a hash 20 times as long as a verification's, so the burst
    // meets a busy pool whatever its timing (the pool takes the job synchronously).
    const hasher = t.app.get(OtpHasher);
    const parts = (await hasher.hash('0', 'hold')).split('$');
    parts[2] = String(20 * Number(ENV.PBKDF2_ITERATIONS));
    const hold = hasher.verify('0', 'hold', parts.join('$'));

    const results = await Promise.all(Array.from({ length: 10 }, () => verify(wrong)));
    expect(await hold).toBe(false);

    // Every outcome, counted by code. Shed: 503. Compared: 422, or 429 for the comparison that
    // locks. Refused because every allowed attempt was claimed by requests still in flight: 429.
    const byCode: Record<string, number> = {};
    for (const r of results) byCode[r.body.code] = (byCode[r.body.code] ?? 0) + 1;
    const shed = byCode.SERVICE_UNAVAILABLE ?? 0;
    const invalid = byCode.CODE_INVALID ?? 0;
    const locked = byCode.RECIPIENT_LOCKED ?? 0;
    expect(shed + invalid + locked).toBe(10);
    expect(shed).toBeGreaterThan(0);
    for (const r of results) {
      const status = { SERVICE_UNAVAILABLE: 503, CODE_INVALID: 422, RECIPIENT_LOCKED: 429 };
      expect(r.status).toBe(status[r.body.code as keyof typeof status]);
      if (r.status === 503) {
        expect(r.body).toMatchObject({ retryAfter: 1 });
        expect(r.headers.get('retry-after')).toBe('1');
      }
    }
    // Only the comparisons that ran count as failures: as many as the audit trail has, and
    // exactly those answered 422 plus the one that locked (if any).
    const ds = t.app.get(DataSource);
    const events: { type: string; n: number }[] = await ds.query(
      `SELECT type, count(*)::int AS n FROM audit_events
       WHERE details->>'verificationId' = $1 GROUP BY type`,
      [sent.body.verificationId],
    );
    const count = (type: string) => events.find((e) => e.type === type)?.n ?? 0;
    const compared = count('otp.verify_failed');
    expect(compared).toBe(invalid + count('otp.locked'));
    const [row] = await ds.query(`SELECT failed_attempts FROM phone_otps WHERE phone = $1`, [to]);
    expect(row.failed_attempts).toBe(compared);
    const next = await verify(wrong);
    expect(next.body).toMatchObject(
      compared + 1 < 5
        ? { code: 'CODE_INVALID', attemptsLeft: 5 - compared - 1 }
        : { code: 'RECIPIENT_LOCKED' },
    );
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
