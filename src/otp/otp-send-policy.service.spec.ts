import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  buildOtpService,
  closeBuiltHashers,
  counted,
  META,
  refusal,
  TO,
} from '../../test/factories/otp-send.factory.js';
import { OtpSendPolicyService } from './otp-send-policy.service.js';

describe(OtpSendPolicyService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(closeBuiltHashers);

  let t: ReturnType<typeof buildOtpService>;
  beforeEach(() => {
    t = buildOtpService();
  });

  describe('admit', () => {
    it('should hand back the allowed purpose, the normalised recipient and the time', async () => {
      const admitted = await t.policy.admit(
        { channel: 'sms', to: '+998 90 123-45-67', purpose: 'login' },
        META,
      );

      expect(admitted).toEqual({
        recipient: expect.objectContaining({ channel: 'sms', value: TO }),
        purpose: 'login',
        now: t.clock.now(),
      });
      expect(t.guard.checked).toEqual([admitted.recipient]);
      expect(t.log).toEqual(['metrics.otpSendAttempts.inc', 'guard.check', 'fastPath.get']);
    });

    it('should refuse a purpose outside OTP_PURPOSES before counting or checking anything', async () => {
      const err = await refusal(t.sut.send({ channel: 'sms', to: TO, purpose: 'marketing' }, META));

      expect(err).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(t.log).toEqual([]);
    });

    it('should refuse an invalid recipient before counting or checking anything', async () => {
      const err = await refusal(t.sut.send({ channel: 'sms', to: '12', purpose: 'login' }, META));

      expect(err).toMatchObject({ code: 'INVALID_RECIPIENT' });
      expect(t.log).toEqual([]);
      expect(await counted(t.metrics.otpSendAttempts, { channel: 'sms' })).toBe(0);
    });

    it('should refuse a recipient the fast path knows to be cooling down, with no claim', async () => {
      const until = new Date(t.clock.now().getTime() + 30_000);
      await t.fastPath.remember('sms', TO, 'SEND_COOLDOWN', until, t.clock.now());
      t.log.length = 0;

      const err = await refusal(t.sut.send({ channel: 'sms', to: TO, purpose: 'login' }, META));

      expect(err).toMatchObject({ code: 'SEND_COOLDOWN', meta: { retryAfter: 30 } });
      expect(t.log).toEqual(['metrics.otpSendAttempts.inc', 'guard.check', 'fastPath.get']);
      expect(t.store.claims).toHaveLength(0);
      expect(await counted(t.metrics.otpSendAttempts, { channel: 'sms' })).toBe(1);
    });
  });
});
