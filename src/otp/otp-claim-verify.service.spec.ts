import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  buildOtpVerifyService,
  claimable,
  claimOf,
  closeBuiltHashers,
  CODE,
  LOCKOUT_S,
  MAX,
  refusal,
  secondsAfter,
  TO,
  verify,
  VID,
} from '../../test/factories/otp-verify.factory.js';
import { OtpVerifyService } from './otp-verify.service.js';

// OtpVerifyService over in-memory ports, with PBKDF2 codes: claimed (the claim retried or refused
// with its reason), compared off the event loop, then settled by OtpClaimVerifyService.

const pbkdf2 = () =>
  buildOtpVerifyService({ OTP_HASH: 'pbkdf2-sha256', PBKDF2_ITERATIONS: '1000' });

describe(OtpVerifyService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(closeBuiltHashers);

  describe('verify with PBKDF2 codes (claim, compare, settle)', () => {
    it('should claim again while the state allows it, then settle the right code', async () => {
      const { sut, clock, hasher, hmacStore, attempts, audit } = pbkdf2();
      const codeHash = await hasher.hash(CODE, `login:${TO}`);
      attempts.state = claimable(clock);
      attempts.claimAnswers = [null, null, claimOf({ codeHash, codeAttempts: 2 })];

      const result = await verify(sut);

      expect(result).toMatchObject({ verified: true, verificationId: VID });
      expect(hmacStore.inputs).toHaveLength(0);
      expect(attempts.claimCalls).toBe(3);
      expect(attempts.stateReads).toBe(2);
      expect(attempts.settled).toEqual([
        {
          kind: 'right',
          s: expect.objectContaining({ now: clock.now(), maxFailures: MAX }),
        },
      ]);
      expect(audit.written.map((w) => w.row.type)).toEqual(['otp.verified']);
    });

    it('should stop claiming after a bounded number of retries', async () => {
      const { sut, clock, attempts } = pbkdf2();
      attempts.state = claimable(clock);

      const err = await refusal(verify(sut));

      expect(err).toMatchObject({ code: 'CODE_NOT_FOUND' });
      expect(attempts.claimCalls).toBe(4);
      expect(attempts.stateReads).toBe(3);
    });

    it('should refuse a locked recipient and remember the lock', async () => {
      const { sut, clock, fastPath, attempts } = pbkdf2();
      attempts.state = { ...claimable(clock), lockedUntil: secondsAfter(clock, 600) };

      const err = await refusal(verify(sut));

      expect(err).toMatchObject({ code: 'RECIPIENT_LOCKED', meta: { retryAfter: 600 } });
      expect(await fastPath.get('sms', TO, clock.now())).toMatchObject({
        code: 'RECIPIENT_LOCKED',
      });
    });

    it('should refuse while every attempt is in flight, without remembering a lock', async () => {
      const { sut, clock, fastPath, attempts } = pbkdf2();
      const lastFailedAt = secondsAfter(clock, -10);
      attempts.state = { ...claimable(clock), failedAttempts: MAX, lastFailedAt };

      const err = await refusal(verify(sut));

      expect(err).toMatchObject({
        code: 'RECIPIENT_LOCKED',
        meta: { retryAfter: LOCKOUT_S - 10 },
      });
      expect(await fastPath.get('sms', TO, clock.now())).toBeUndefined();
    });

    it('should refuse an expired code', async () => {
      const { sut, clock, attempts } = pbkdf2();
      attempts.state = { ...claimable(clock), expiresAt: secondsAfter(clock, -1) };

      expect(await refusal(verify(sut))).toMatchObject({ code: 'CODE_EXPIRED' });
    });

    it('should settle a wrong code as a failure, with the attempts left', async () => {
      const { sut, hasher, attempts } = pbkdf2();
      const codeHash = await hasher.hash('000000', `login:${TO}`);
      attempts.claimAnswers = [claimOf({ codeHash, failedAttempts: 2 })];

      const err = await refusal(verify(sut));

      expect(err).toMatchObject({ code: 'CODE_INVALID', meta: { attemptsLeft: MAX - 2 } });
      expect(attempts.settled).toEqual([
        expect.objectContaining({ kind: 'wrong', lockedUntil: null }),
      ]);
    });

    it('should lock the recipient on the last allowed failure', async () => {
      const { sut, clock, hasher, fastPath, attempts } = pbkdf2();
      const codeHash = await hasher.hash('000000', `login:${TO}`);
      attempts.claimAnswers = [claimOf({ codeHash, failedAttempts: MAX })];

      const err = await refusal(verify(sut));

      const lockedUntil = secondsAfter(clock, LOCKOUT_S);
      expect(err).toMatchObject({ code: 'RECIPIENT_LOCKED', meta: { retryAfter: LOCKOUT_S } });
      expect(attempts.settled).toEqual([expect.objectContaining({ kind: 'wrong', lockedUntil })]);
      expect(await fastPath.get('sms', TO, clock.now())).toMatchObject({
        code: 'RECIPIENT_LOCKED',
      });
    });

    it('should give the attempt back when the replaced code (of another purpose) is entered', async () => {
      const { sut, hasher, attempts, guard } = pbkdf2();
      const previous = {
        codeHash: await hasher.hash(CODE, `password_reset:${TO}`),
        purpose: 'password_reset',
        verificationId: 'prev-send',
      };
      const codeHash = await hasher.hash('000000', `login:${TO}`);
      attempts.claimAnswers = [claimOf({ codeHash, previous })];

      const err = await refusal(verify(sut));

      expect(err).toMatchObject({
        code: 'CODE_NOT_FOUND',
        message: expect.stringMatching(/replaced/),
      });
      expect(attempts.settled.map((s) => s.kind)).toEqual(['stale']);
      expect(guard.verified).toHaveLength(0);
    });

    it('should answer CODE_NOT_FOUND when a concurrent request used the right code first', async () => {
      const { sut, hasher, attempts, guard } = pbkdf2();
      attempts.claimAnswers = [claimOf({ codeHash: await hasher.hash(CODE, `login:${TO}`) })];
      attempts.used = true;

      const err = await refusal(verify(sut));

      expect(err).toMatchObject({ code: 'CODE_NOT_FOUND', message: expect.stringMatching(/used/) });
      expect(guard.verified).toHaveLength(0);
    });
  });
});
