import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  buildOtpService,
  closeBuiltHashers,
  META,
  refusal,
  TO,
} from '../../test/factories/otp-send.factory.js';
import { OtpSendClaimService } from './otp-send-claim.service.js';

const MINUTE_MS = 60_000;

describe(OtpSendClaimService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(closeBuiltHashers);

  const sendWith = (t: ReturnType<typeof buildOtpService>) =>
    refusal(t.sut.send({ channel: 'sms', to: TO, purpose: 'login' }, META));

  describe('claim', () => {
    it('should explain a lock before a cooldown, and remember the lock', async () => {
      const t = buildOtpService();
      const now = t.clock.now().getTime();
      t.store.rows.set(`sms:${TO}`, {
        purpose: 'login',
        codeHash: null,
        verificationId: null,
        expiresAt: null,
        cooldownUntil: new Date(now + MINUTE_MS),
        lockedUntil: new Date(now + 20 * MINUTE_MS),
        sendTimes: [],
      });

      const err = await sendWith(t);

      expect(err).toMatchObject({ code: 'RECIPIENT_LOCKED', meta: { retryAfter: 1200 } });
      const cached = await t.fastPath.get('sms', TO, t.clock.now());
      expect(cached).toEqual({ code: 'RECIPIENT_LOCKED', until: now + 20 * MINUTE_MS });
    });

    it('should explain the hourly quota with the time its oldest send leaves the hour', async () => {
      const t = buildOtpService({ OTP_SEND_COOLDOWN_SECONDS: '0', OTP_MAX_SENDS_PER_HOUR: '2' });
      expect(await sendWith(t)).toBeNull();
      t.clock.advance(10 * MINUTE_MS);
      expect(await sendWith(t)).toBeNull();
      t.clock.advance(10 * MINUTE_MS);

      const err = await sendWith(t);

      expect(err).toMatchObject({ code: 'SEND_QUOTA_EXCEEDED', meta: { retryAfter: 40 * 60 } });
      expect(t.store.claims).toHaveLength(3);
      expect(t.notifications.sent).toHaveLength(2);
      expect(await t.fastPath.get('sms', TO, t.clock.now())).toMatchObject({
        code: 'SEND_QUOTA_EXCEEDED',
      });
    });

    it('should claim a fresh code and id for each send', async () => {
      const t = buildOtpService({ OTP_SEND_COOLDOWN_SECONDS: '0' });
      const admitted = await t.policy.admit({ channel: 'sms', to: TO, purpose: 'login' }, META);

      const first = await t.claims.claim(admitted);
      const second = await t.claims.claim(admitted);

      expect(second.verificationId).not.toBe(first.verificationId);
      expect(t.store.claims.map((c) => c.verificationId)).toEqual([
        first.verificationId,
        second.verificationId,
      ]);
      expect(first).toMatchObject({
        purpose: 'login',
        now: admitted.now,
        expiresAt: new Date(admitted.now.getTime() + 300_000),
        cooldownUntil: admitted.now,
      });
    });
  });
});
