import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  buildOtpVerifyService,
  claimable,
  claimOf,
  closeBuiltHashers,
  CODE,
  hmacResult,
  LOCKOUT_S,
  MAX,
  refusal,
  secondsAfter,
  TO,
  verify,
  VID,
} from '../../test/factories/otp-verify.factory.js';
import { OtpVerifyService } from './otp-verify.service.js';

/** The claims of a JWT (its middle segment), read without checking it. */
const payloadOf = (jwt: string): unknown =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

// OtpVerifyService over in-memory ports: the fast path, and HMAC codes settled in one statement.
// The claim/compare/settle path (PBKDF2) is in otp-claim-verify.service.spec.ts.

describe(OtpVerifyService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(closeBuiltHashers);

  describe('verify', () => {
    it('should refuse a recipient the fast path knows is locked, without any statement', async () => {
      const { sut, clock, fastPath, hmacStore, attempts } = buildOtpVerifyService();
      await fastPath.remember('sms', TO, 'RECIPIENT_LOCKED', secondsAfter(clock, 90), clock.now());

      const err = await refusal(verify(sut));

      expect(err).toMatchObject({ code: 'RECIPIENT_LOCKED', meta: { retryAfter: 90 } });
      expect(hmacStore.inputs).toHaveLength(0);
      expect(attempts.claimCalls + attempts.stateReads).toBe(0);
    });
  });

  describe('verify with HMAC codes (one statement)', () => {
    it('should answer a matched code with a token and report the rows the statement wrote', async () => {
      const { sut, hasher, audit, guard, hmacStore } = buildOtpVerifyService();
      const events = [{ id: '42', type: 'otp.verified', details: { verificationId: VID } }];
      hmacStore.answers = [hmacResult({ matched: true, failedAttempts: 0, events })];

      const result = await verify(sut);

      expect(result).toMatchObject({ verified: true, verificationId: VID, recipient: TO });
      expect(payloadOf(result.verificationToken)).toMatchObject({ sub: TO, pur: 'login' });
      const [input] = hmacStore.inputs;
      expect(input.candidates).toEqual(hasher.hmacCandidates(CODE, `login:${TO}`));
      // The replaced code may have been sent for any purpose.
      expect(input.staleCandidates).toHaveLength(3);
      expect(input).toMatchObject({ maxFailures: MAX, lockoutSeconds: LOCKOUT_S });
      expect(audit.written).toEqual([
        { row: expect.objectContaining({ type: 'otp.verified', requestId: 'req-1' }), id: '42' },
      ]);
      expect(guard.verified).toHaveLength(1);
    });

    it('should answer a wrong code with the attempts left', async () => {
      const { sut, hmacStore, guard } = buildOtpVerifyService();
      hmacStore.answers = [hmacResult({ failedAttempts: 2 })];

      expect(await refusal(verify(sut))).toMatchObject({
        code: 'CODE_INVALID',
        meta: { attemptsLeft: MAX - 2 },
      });
      expect(guard.verified).toHaveLength(0);
    });

    it('should answer the locking failure with 429 and remember the lock on the fast path', async () => {
      const { sut, clock, hmacStore } = buildOtpVerifyService();
      const lockedUntil = secondsAfter(clock, LOCKOUT_S);
      hmacStore.answers = [hmacResult({ failedAttempts: MAX, lockedUntil })];

      const first = await refusal(verify(sut));
      const next = await refusal(verify(sut));

      expect(first).toMatchObject({ code: 'RECIPIENT_LOCKED', meta: { retryAfter: LOCKOUT_S } });
      expect(next).toEqual(first);
      expect(hmacStore.inputs).toHaveLength(1);
    });

    it('should answer the replaced code CODE_NOT_FOUND without counting it', async () => {
      const { sut, hmacStore, audit } = buildOtpVerifyService();
      const events = [{ id: '43', type: 'otp.verify_stale', details: {} }];
      hmacStore.answers = [hmacResult({ stale: true, failedAttempts: 0, events })];

      const err = await refusal(verify(sut));

      expect(err).toMatchObject({
        code: 'CODE_NOT_FOUND',
        message: expect.stringMatching(/replaced/),
      });
      expect(audit.written.map((w) => w.row.type)).toEqual(['otp.verify_stale']);
    });

    it('should explain a refused statement from the state before claiming anything', async () => {
      const { sut, hmacStore, attempts } = buildOtpVerifyService();
      hmacStore.answers = [null];

      const err = await refusal(verify(sut));

      expect(err).toMatchObject({ code: 'CODE_NOT_FOUND' });
      expect(attempts.stateReads).toBe(1);
      expect(attempts.claimCalls).toBe(0);
    });

    it('should compare on the claim path when the state moved on after a refused statement', async () => {
      const { sut, clock, hasher, hmacStore, attempts } = buildOtpVerifyService();
      hmacStore.answers = [null];
      attempts.state = claimable(clock);
      attempts.claimAnswers = [claimOf({ codeHash: await hasher.hash(CODE, `login:${TO}`) })];

      const result = await verify(sut);

      expect(result.verificationId).toBe(VID);
      expect(attempts.settled.map((s) => s.kind)).toEqual(['right']);
    });
  });
});
