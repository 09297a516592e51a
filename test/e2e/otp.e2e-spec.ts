import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeliveryError } from '#src/notification/notification.types.js';
import { DataSource } from 'typeorm';
import { AuditService } from '#src/audit/audit.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Per-recipient rules; IP limits are raised here and tested in ip-throttle.e2e-spec.ts.
const ENV = { IP_VERIFY_MAX_PER_MINUTE: '100000', IP_SEND_MAX_PER_MINUTE: '100000' };

let seq = 0;
/** A fresh valid Uzbek mobile number per test, so tests don't share counters. */
const phone = () => `+99890${String(1000000 + ++seq).slice(-7)}`;
const email = () => `user${++seq}@example.com`;

describe('OTP send and verify (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
  });
  afterAll(async () => {
    await t.close();
  });

  const send = (to: string, extra: Record<string, unknown> = {}) =>
    t.post('/v1/otp/send', {
      channel: to.includes('@') ? 'email' : 'sms',
      to,
      purpose: 'login',
      ...extra,
    });
  const verify = (to: string, code: string, extra: Record<string, unknown> = {}) =>
    t.post('/v1/otp/verify', {
      channel: to.includes('@') ? 'email' : 'sms',
      to,
      purpose: 'login',
      code,
      ...extra,
    });
  const wrong = (code: string) => (code === '000000' ? '111111' : '000000');

  describe('send', () => {
    it('should send a 6-digit code and answer 202 with a masked recipient', async () => {
      const to = phone();
      const res = await send(to);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        channel: 'sms',
        to: `${to.slice(0, 4)}*******${to.slice(-2)}`,
        purpose: 'login',
      });
      expect(res.body.verificationId).toMatch(/^[0-9a-f-]{36}$/);
      const now = t.clock.now().getTime();
      expect(new Date(res.body.expiresAt).getTime()).toBe(now + 600_000);
      expect(new Date(res.body.resendAfter).getTime()).toBe(now + 60_000);
      expect(t.lastCode(to)).toMatch(/^\d{6}$/);
    });

    it('should treat every spelling of a phone number as one recipient', async () => {
      const res = await send('+998 90 555-12-34');
      expect(res.status).toBe(202);
      for (const spelling of ['+998-90-555-12-34', '998905551234', '90 555 12 34']) {
        const again = await send(spelling);
        expect(again.status).toBe(429);
        expect(again.body.code).toBe('SEND_COOLDOWN');
      }
      expect(t.sms.outbox.filter((m) => m.to === '+998905551234')).toHaveLength(1);
    });

    it('should treat an email in any case and padding as one recipient', async () => {
      expect((await send(' John.Case@Example.COM ')).status).toBe(202);
      const again = await send('john.case@example.com');
      expect(again.body.code).toBe('SEND_COOLDOWN');
      expect(t.email.lastTo('john.case@example.com')).toBeDefined();
    });

    it('should refuse a second send within the cooldown with Retry-After, and allow it after', async () => {
      const to = phone();
      await send(to);
      t.clock.advanceSeconds(18);
      const res = await send(to);
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({ code: 'SEND_COOLDOWN', retryAfter: 42 });
      expect(res.headers.get('retry-after')).toBe('42');
      t.clock.advanceSeconds(42);
      expect((await send(to)).status).toBe(202);
    });

    it('should replace the previous code on a new send', async () => {
      const to = phone();
      await send(to);
      const first = t.lastCode(to);
      t.clock.advanceSeconds(60);
      await send(to, { purpose: 'password_reset' });
      const second = t.lastCode(to);
      if (first !== second) {
        // The replaced code, even under the new purpose: not found, and no failure counted.
        const old = await verify(to, first, { purpose: 'password_reset' });
        expect(old.status).toBe(404);
        expect(old.body.code).toBe('CODE_NOT_FOUND');
      }
      const gone = await verify(to, first);
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('CODE_NOT_FOUND');
      expect((await verify(to, second, { purpose: 'password_reset' })).status).toBe(200);
    });

    it('should enforce the hourly quota over a rolling hour', async () => {
      const to = phone();
      for (let i = 0; i < 5; i++) {
        expect((await send(to)).status).toBe(202);
        t.clock.advanceSeconds(61);
      }
      const res = await send(to);
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('SEND_QUOTA_EXCEEDED');
      // The first send leaves the window 3600 s after it was made: 3600 - 5*61 = 3295 s from now.
      expect(res.body.retryAfter).toBe(3295);
      t.clock.advanceSeconds(3295);
      expect((await send(to)).status).toBe(202);
    });

    it('should reject invalid recipients, unknown purposes and bad bodies with 400', async () => {
      expect((await send('12345')).body.code).toBe('INVALID_RECIPIENT');
      expect(
        (await t.post('/v1/otp/send', { channel: 'email', to: 'not-an-email', purpose: 'login' }))
          .body.code,
      ).toBe('INVALID_RECIPIENT');
      const purpose = await send(phone(), { purpose: 'bogus' });
      expect(purpose.status).toBe(400);
      expect(purpose.body.code).toBe('VALIDATION_FAILED');
      const unknown = await send(phone(), { extra: 1 });
      expect(unknown.status).toBe(400);
      expect(unknown.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'extra' })]),
      );
      const types = await t.post('/v1/otp/send', {
        channel: 'sms',
        to: 998901234567,
        purpose: 'login',
      });
      expect(types.status).toBe(400);
      expect((await t.post('/v1/otp/send', '{"channel":')).body.code).toBe('VALIDATION_FAILED');
      const big = await t.post('/v1/otp/send', {
        channel: 'sms',
        to: 'x'.repeat(20_000),
        purpose: 'login',
      });
      expect([400, 413]).toContain(big.status);
      expect(big.body.code).toBe('VALIDATION_FAILED');
    });

    it('should answer 502, keep no code and start no cooldown when every provider fails', async () => {
      const to = phone();
      t.sms.failWith = new DeliveryError('vendor down');
      try {
        const res = await send(to);
        expect(res.status).toBe(502);
        expect(res.body.code).toBe('DELIVERY_FAILED');
        expect((await verify(to, '123456')).body.code).toBe('CODE_NOT_FOUND');
      } finally {
        t.sms.failWith = null;
      }
      expect((await send(to)).status).toBe(202);
    });
  });

  describe('verify', () => {
    it('should accept the right code exactly once and return a token', async () => {
      const to = email();
      await send(to);
      const code = t.lastCode(to);
      const ok = await verify(to, code);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ verified: true });
      expect(typeof ok.body.verificationToken).toBe('string');
      const again = await verify(to, code);
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('CODE_NOT_FOUND');
    });

    it('should answer CODE_INVALID with attemptsLeft, then lock on the 5th failure even for the right code', async () => {
      const to = phone();
      await send(to);
      const code = t.lastCode(to);
      for (let left = 4; left >= 1; left--) {
        const res = await verify(to, wrong(code));
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({ code: 'CODE_INVALID', attemptsLeft: left });
      }
      const locked = await verify(to, wrong(code));
      expect(locked.status).toBe(429);
      expect(locked.body).toMatchObject({ code: 'RECIPIENT_LOCKED', retryAfter: 1800 });
      expect(locked.headers.get('retry-after')).toBe('1800');
      expect((await verify(to, code)).body.code).toBe('RECIPIENT_LOCKED');
      t.clock.advanceSeconds(60);
      const sendLocked = await send(to);
      expect(sendLocked.status).toBe(429);
      expect(sendLocked.body).toMatchObject({ code: 'RECIPIENT_LOCKED', retryAfter: 1740 });
      // After the lockout: the old code is gone (invalidated), a new send works.
      t.clock.advanceSeconds(1740);
      expect((await verify(to, code)).body.code).toBe('CODE_NOT_FOUND');
      expect((await send(to)).status).toBe(202);
      expect((await verify(to, t.lastCode(to))).status).toBe(200);
    });

    it('should count failures across codes and purposes, and reset them on success', async () => {
      const to = phone();
      await send(to);
      for (let i = 0; i < 3; i++) await verify(to, wrong(t.lastCode(to)));
      t.clock.advanceSeconds(60);
      await send(to, { purpose: 'password_reset' });
      const res = await verify(to, wrong(t.lastCode(to)), { purpose: 'password_reset' });
      expect(res.body).toMatchObject({ code: 'CODE_INVALID', attemptsLeft: 1 });
      expect((await verify(to, t.lastCode(to), { purpose: 'password_reset' })).status).toBe(200);
      t.clock.advanceSeconds(60);
      await send(to);
      expect((await verify(to, wrong(t.lastCode(to)))).body.attemptsLeft).toBe(4);
    });

    it('should forget failures older than the lockout window', async () => {
      const to = phone();
      await send(to);
      for (let i = 0; i < 4; i++) await verify(to, wrong(t.lastCode(to)));
      t.clock.advanceSeconds(1801);
      await send(to);
      expect((await verify(to, wrong(t.lastCode(to)))).body.attemptsLeft).toBe(4);
    });

    it('should answer CODE_EXPIRED after the TTL and CODE_NOT_FOUND for another purpose', async () => {
      const to = phone();
      await send(to);
      const code = t.lastCode(to);
      expect((await verify(to, code, { purpose: 'hr_registration' })).body.code).toBe(
        'CODE_NOT_FOUND',
      );
      t.clock.advanceSeconds(601);
      const res = await verify(to, code);
      expect(res.status).toBe(410);
      expect(res.body.code).toBe('CODE_EXPIRED');
    });

    it('should give exactly one 200 to many parallel right guesses', async () => {
      const to = phone();
      await send(to);
      const code = t.lastCode(to);
      const results = await Promise.all(Array.from({ length: 40 }, () => verify(to, code)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) {
        expect(['CODE_NOT_FOUND', 'RECIPIENT_LOCKED']).toContain(r.body.code);
      }
    });

    it('should compare at most 5 of many parallel wrong guesses and lock the recipient', async () => {
      const to = phone();
      await send(to);
      const code = t.lastCode(to);
      const results = await Promise.all(Array.from({ length: 40 }, () => verify(to, wrong(code))));
      // Every comparison that ran left one otp.verify_failed row in the audit trail.
      const [{ n }] = await t.app
        .get(DataSource)
        .query(
          `SELECT count(*)::int AS n FROM audit_events WHERE type = 'otp.verify_failed' AND recipient_hash = $1`,
          [t.app.get(AuditService).hashRecipient(to)],
        );
      expect(n).toBe(5);
      expect(results.filter((r) => r.body.code === 'CODE_INVALID')).toHaveLength(4);
      expect(results.filter((r) => r.body.code === 'RECIPIENT_LOCKED')).toHaveLength(36);
      expect((await verify(to, code)).body.code).toBe('RECIPIENT_LOCKED');
    });

    it('should accept exactly one of many parallel sends', async () => {
      const to = phone();
      const results = await Promise.all(Array.from({ length: 30 }, () => send(to)));
      expect(results.filter((r) => r.status === 202)).toHaveLength(1);
      expect(results.filter((r) => r.body.code === 'SEND_COOLDOWN')).toHaveLength(29);
      expect(t.sms.outbox.filter((m) => m.to === to)).toHaveLength(1);
    });
  });

  describe('a replaced code', () => {
    const staleEvents = async (to: string): Promise<number> => {
      const [{ n }] = await t.app
        .get(DataSource)
        .query(
          `SELECT count(*)::int AS n FROM audit_events WHERE type = 'otp.verify_stale' AND recipient_hash = $1`,
          [t.app.get(AuditService).hashRecipient(to)],
        );
      return n;
    };
    /** Sends twice (60 s apart) until the two codes differ; returns both. */
    const twoCodes = async (to: string) => {
      await send(to);
      const first = t.lastCode(to);
      t.clock.advanceSeconds(60);
      await send(to);
      const second = t.lastCode(to);
      return { first, second };
    };

    it('should answer CODE_NOT_FOUND to the previous code, count no failure and audit otp.verify_stale', async () => {
      for (const to of [phone(), email()]) {
        const { first, second } = await twoCodes(to);
        if (first === second) continue;
        for (let i = 0; i < 7; i++) {
          const res = await verify(to, first);
          expect(res.status).toBe(404);
          expect(res.body.code).toBe('CODE_NOT_FOUND');
        }
        expect(await staleEvents(to)).toBe(7);
        // Seven stale entries later, the recipient still has every attempt.
        const miss = await verify(to, [first, second].includes('000000') ? '999999' : '000000');
        expect(miss.body).toMatchObject({ code: 'CODE_INVALID', attemptsLeft: 4 });
        expect((await verify(to, second)).status).toBe(200);
        // A used code is not a failure either, even after another send.
        expect((await verify(to, second)).body.code).toBe('CODE_NOT_FOUND');
        t.clock.advanceSeconds(60);
        await send(to);
        const third = t.lastCode(to);
        if (third !== second) {
          expect((await verify(to, second)).body.code).toBe('CODE_NOT_FOUND');
          const next = await verify(to, third === '000000' ? '999999' : '000000');
          expect(next.body).toMatchObject({ code: 'CODE_INVALID', attemptsLeft: 4 });
        }
      }
    });

    it('should forget the previous code when it would have expired', async () => {
      const to = phone();
      const { first, second } = await twoCodes(to);
      if (first === second) return;
      t.clock.advanceSeconds(539);
      expect((await verify(to, first)).body.code).toBe('CODE_NOT_FOUND');
      t.clock.advanceSeconds(2);
      // 601 s after the first send: the first code has expired and is just a wrong code now.
      const res = await verify(to, first);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'CODE_INVALID', attemptsLeft: 4 });
    });

    it('should still answer RECIPIENT_LOCKED to the previous code while the recipient is locked', async () => {
      const to = phone();
      const { first, second } = await twoCodes(to);
      if (first === second) return;
      const bad = [first, second].includes('000000') ? '999999' : '000000';
      for (let i = 0; i < 5; i++) await verify(to, bad);
      expect((await verify(to, first)).body.code).toBe('RECIPIENT_LOCKED');
    });

    it('should give exactly one 200 and count no failure when right and replaced codes race', async () => {
      const to = phone();
      const { first, second } = await twoCodes(to);
      if (first === second) return;
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => verify(to, i % 2 === 0 ? second : first)),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) {
        expect(r.status).toBe(404);
        expect(r.body.code).toBe('CODE_NOT_FOUND');
      }
      const [{ n }] = await t.app
        .get(DataSource)
        .query(
          `SELECT count(*)::int AS n FROM audit_events WHERE type = 'otp.verify_failed' AND recipient_hash = $1`,
          [t.app.get(AuditService).hashRecipient(to)],
        );
      expect(n).toBe(0);
      // Every losing right guess ran after the success and met the used code as the replaced one.
      expect(await staleEvents(to)).toBeGreaterThanOrEqual(14);
    });
  });

  describe('tokens/consume', () => {
    it('should prove the verified recipient once, and only for its purpose', async () => {
      const to = phone();
      await send(to);
      const { body } = await verify(to, t.lastCode(to));
      const wrongPurpose = await t.post('/v1/otp/tokens/consume', {
        verificationToken: body.verificationToken,
        purpose: 'hr_registration',
      });
      expect(wrongPurpose.status).toBe(401);
      expect(wrongPurpose.body.code).toBe('TOKEN_INVALID');
      const ok = await t.post('/v1/otp/tokens/consume', {
        verificationToken: body.verificationToken,
        purpose: 'login',
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ channel: 'sms', to, purpose: 'login' });
      expect(new Date(ok.body.verifiedAt).getTime()).toBeLessThanOrEqual(t.clock.now().getTime());
      const again = await t.post('/v1/otp/tokens/consume', {
        verificationToken: body.verificationToken,
        purpose: 'login',
      });
      expect(again.body.code).toBe('TOKEN_INVALID');
    });

    it('should refuse expired, tampered and malformed tokens', async () => {
      const to = phone();
      await send(to);
      const { body } = await verify(to, t.lastCode(to));
      const tampered =
        body.verificationToken.slice(0, -2) + (body.verificationToken.endsWith('A') ? 'BB' : 'AA');
      expect(
        (await t.post('/v1/otp/tokens/consume', { verificationToken: tampered, purpose: 'login' }))
          .status,
      ).toBe(401);
      expect(
        (await t.post('/v1/otp/tokens/consume', { verificationToken: 'garbage', purpose: 'login' }))
          .status,
      ).toBe(401);
      t.clock.advanceSeconds(601);
      const expired = await t.post('/v1/otp/tokens/consume', {
        verificationToken: body.verificationToken,
        purpose: 'login',
      });
      expect(expired.body.code).toBe('TOKEN_INVALID');
    });
  });
});
