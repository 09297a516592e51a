import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  buildOtpService,
  closeBuiltHashers,
  CODE,
  counted,
  META,
  refusal,
  TO,
} from '../../test/factories/otp-send.factory.js';
import { OtpService } from './otp.service.js';

// The collaborators' own rules are in otp-send-policy.service.spec.ts and
// otp-send-claim.service.spec.ts; this spec is about what one send does, and in which order.

const ADMITTED = ['metrics.otpSendAttempts.inc', 'guard.check', 'fastPath.get'];

describe(OtpService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(closeBuiltHashers);

  let t: ReturnType<typeof buildOtpService>;
  beforeEach(() => {
    t = buildOtpService();
  });

  const send = (deliver?: boolean) =>
    t.sut.send({ channel: 'sms', to: TO, purpose: 'login' }, META, { deliver });

  describe('send', () => {
    it('should store the code hashed, deliver it and audit otp.sent', async () => {
      const { store, notifications, audit, guard, clock, hasher } = t;

      const result = await send();

      const [claim] = store.claims;
      expect(claim).toMatchObject({ recipient: TO, purpose: 'login', now: clock.now() });
      expect(await hasher.verify(CODE, `login:${TO}`, claim.codeHash)).toBe(true);
      expect(claim.codeHash).not.toContain(CODE);
      expect(notifications.sent).toEqual([
        {
          channel: 'sms',
          to: TO,
          code: CODE,
          purpose: 'login',
          locale: t.config.notify.defaultLocale,
          ttlSeconds: 300,
          idempotencyKey: claim.verificationId,
        },
      ]);
      expect(result).toMatchObject({
        verificationId: claim.verificationId,
        recipient: TO,
        expiresAt: new Date(clock.now().getTime() + 300_000),
        resendAfter: new Date(clock.now().getTime() + 60_000),
      });
      expect(result.to).not.toBe(TO);
      expect(audit.recorded.map((e) => e.type)).toEqual(['otp.sent']);
      expect(audit.recorded[0].details).toMatchObject({
        verificationId: claim.verificationId,
        provider: 'fake-sms',
        providerMessageId: 'm-1',
      });
      expect(guard.sends).toHaveLength(1);
    });

    it('should claim, deliver, then remember the cooldown, count, tell the guard and audit', async () => {
      await send();

      expect(t.log).toEqual([
        ...ADMITTED,
        'store.claimSend',
        'notifications.sendOtp',
        'fastPath.remember',
        'metrics.otpEvents.inc',
        'guard.recordSend',
        'audit.record',
      ]);
      expect(await counted(t.metrics.otpEvents, { channel: 'sms', type: 'sent' })).toBe(1);
      expect(await counted(t.metrics.otpSendAttempts, { channel: 'sms' })).toBe(1);
    });

    it('should deliver in the locale asked for', async () => {
      await t.sut.send({ channel: 'sms', to: TO, purpose: 'login', locale: 'ru' }, META);

      expect(t.notifications.sent[0].locale).toBe('ru');
    });

    it('should claim a decoy send like a real one but deliver nothing', async () => {
      const { store, notifications, audit, guard } = t;

      const result = await send(false);

      expect(store.claims).toHaveLength(1);
      expect(notifications.sent).toHaveLength(0);
      expect(guard.sends).toHaveLength(0);
      expect(audit.recorded).toEqual([
        expect.objectContaining({
          type: 'otp.decoy_sent',
          details: { verificationId: result.verificationId, decoy: true },
        }),
      ]);
      expect(t.log).toEqual([...ADMITTED, 'store.claimSend', 'fastPath.remember', 'audit.record']);
      expect(await counted(t.metrics.otpEvents, { channel: 'sms', type: 'sent' })).toBe(0);
      // Same cooldown as a real send: the next one is refused from the fast path.
      expect(await refusal(send(false))).toMatchObject({
        code: 'SEND_COOLDOWN',
        meta: { retryAfter: 60 },
      });
      expect(store.claims).toHaveLength(1);
    });

    it('should withdraw the code and lift the cooldown when every provider fails', async () => {
      const { store, notifications, audit, guard } = t;
      notifications.failing = true;

      const err = await refusal(send());

      expect(err).toMatchObject({ code: 'DELIVERY_FAILED' });
      const [claim] = store.claims;
      expect(store.releases).toEqual([
        { recipient: TO, verificationId: claim.verificationId, now: t.clock.now() },
      ]);
      expect(audit.recorded.map((e) => e.type)).toEqual(['otp.delivery_failed']);
      expect(audit.recorded[0].details).toMatchObject({
        verificationId: claim.verificationId,
        outcomes: [{ provider: 'fake-sms', status: 'failed', durationMs: 1, error: 'down' }],
      });
      expect(guard.sends).toHaveLength(0);
      // No cooldown is left, in the store or on the fast path: a retry is delivered at once.
      notifications.failing = false;
      await send();
      expect(notifications.sent).toHaveLength(2);
    });

    it('should withdraw a failed send first, then forget the fast path, count and audit', async () => {
      t.notifications.failing = true;
      // A slow provider: the code is withdrawn at the time the delivery gave up.
      t.notifications.during = () => t.clock.advanceSeconds(3);
      const start = t.clock.now();

      await refusal(send());

      expect(t.log).toEqual([
        ...ADMITTED,
        'store.claimSend',
        'notifications.sendOtp',
        'store.releaseFailedSend',
        'fastPath.forget',
        'metrics.otpEvents.inc',
        'audit.record',
      ]);
      expect(t.store.releases[0].now).toEqual(new Date(start.getTime() + 3000));
      const failed = { channel: 'sms', type: 'delivery_failed' };
      expect(await counted(t.metrics.otpEvents, failed)).toBe(1);
    });

    it('should explain a refused claim and remember it on the fast path', async () => {
      const { store, clock, fastPath } = t;
      await send();
      clock.advanceSeconds(10);
      await fastPath.forget('sms', TO);
      t.log.length = 0;

      const err = await refusal(send());

      expect(err).toMatchObject({ code: 'SEND_COOLDOWN', meta: { retryAfter: 50 } });
      expect(store.claims).toHaveLength(2);
      expect(t.log).toEqual([
        ...ADMITTED,
        'store.claimSend',
        'store.findState',
        'fastPath.remember',
      ]);
      expect(await fastPath.get('sms', TO, clock.now())).toMatchObject({ code: 'SEND_COOLDOWN' });
    });

    it('should remember no cooldown on the fast path when OTP_SEND_COOLDOWN_SECONDS is 0', async () => {
      t = buildOtpService({ OTP_SEND_COOLDOWN_SECONDS: '0' });

      await send();
      await send(false);

      expect(t.log).not.toContain('fastPath.remember');
      expect(t.store.claims).toHaveLength(2);
    });
  });
});
