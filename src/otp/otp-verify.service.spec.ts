import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { decodeJwt } from 'jose';
import {
  FixedRandom,
  RecordingAudit,
  RecordingSmsGuard,
  ScriptedAttemptStore,
  ScriptedHmacVerifyStore,
} from '../../test/factories/otp-store.fakes.js';
import { FakeCache } from '../../test/factories/rate-limit-store.fakes.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import type { AuditService } from '../audit/audit.service.js';
import type { AppCache } from '../common/cache/app-cache.js';
import { RedisHandle } from '../common/cache/cache.module.js';
import { TokenSigner } from '../common/crypto/token-signer.js';
import type { AppError } from '../common/errors/app-error.js';
import { RecipientNormalizer } from '../common/recipient/recipient-normalizer.js';
import { buildAppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { SmsGuardService } from '../sms-guard/sms-guard.service.js';
import { OtpAttemptClaimService } from './otp-attempt-claim.service.js';
import { OtpClaimVerifyService } from './otp-claim-verify.service.js';
import { OtpFastPath } from './otp-fast-path.js';
import { OtpHasher } from './otp-hasher.js';
import { OtpHmacVerifyService } from './otp-hmac-verify.service.js';
import { OtpTokenService } from './otp-token.service.js';
import { OtpVerifyOutcomeService } from './otp-verify-outcome.service.js';
import { OtpVerifyService } from './otp-verify.service.js';
import type { AtomicVerifyResult, ClaimedAttempt, OtpState } from './otp.ports.js';
import type { UsedTokenRepository } from './used-token.repository.js';

const TO = '+998901234567';
const CODE = '482913';
const VID = '00000000-0000-4000-8000-0000000000aa';
const META = { ip: '203.0.113.7', userAgent: 'spec', requestId: 'req-1' };
const MAX = 5;
const LOCKOUT_S = 1800;

/** OtpVerifyService with its real collaborators over fake ports and a FakeClock. */
function build(env: Record<string, string> = {}) {
  const config = buildAppConfig({
    OTP_PEPPER: 'p'.repeat(32),
    TOKEN_SECRET: 't'.repeat(32),
    ADMIN_API_KEYS: 'k'.repeat(24),
    DATA_DIR: 'memory://',
    OTP_MAX_FAILED_ATTEMPTS: String(MAX),
    OTP_LOCKOUT_SECONDS: String(LOCKOUT_S),
    ...env,
  });
  const clock = new FakeClock();
  const metrics = new MetricsService();
  const cache = new FakeCache() as unknown as AppCache;
  const fastPath = new OtpFastPath(cache, new RedisHandle(null), config, metrics);
  const hasher = new OtpHasher(config);
  const signer = new TokenSigner(config, clock, new FixedRandom());
  const tokens = new OtpTokenService(config, clock, signer, {} as unknown as UsedTokenRepository);
  const audit = new RecordingAudit();
  const guard = new RecordingSmsGuard();
  const hmacStore = new ScriptedHmacVerifyStore();
  const attempts = new ScriptedAttemptStore();
  const auditService = audit as unknown as AuditService;
  const outcome = new OtpVerifyOutcomeService(
    config,
    fastPath,
    tokens,
    auditService,
    metrics,
    guard as unknown as SmsGuardService,
  );
  const claims = new OtpAttemptClaimService(config, attempts, attempts, fastPath);
  const sut = new OtpVerifyService(
    config,
    clock,
    new RecipientNormalizer(config),
    fastPath,
    new OtpHmacVerifyService(config, hasher, hmacStore, outcome),
    new OtpClaimVerifyService(config, clock, claims, attempts, hasher, outcome),
  );
  built.push(hasher);
  return { sut, clock, fastPath, hasher, audit, guard, hmacStore, attempts };
}
const built: OtpHasher[] = [];

const verify = (sut: OtpVerifyService, code = CODE) =>
  sut.verify({ channel: 'sms', to: TO, purpose: 'login', code }, META);
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: AppError) => ({ code: e.code, message: e.message, meta: e.meta }),
  );
const secondsAfter = (clock: FakeClock, s: number) => new Date(clock.now().getTime() + s * 1000);

const hmacResult = (over: Partial<AtomicVerifyResult>): AtomicVerifyResult => ({
  matched: false,
  stale: false,
  verificationId: VID,
  failedAttempts: 1,
  codeAttempts: 1,
  lockedUntil: null,
  events: [{ id: '41', type: 'otp.verify_failed', details: { verificationId: VID } }],
  ...over,
});
const claimOf = (over: Partial<ClaimedAttempt>): ClaimedAttempt => ({
  id: 'row-1',
  codeHash: 'unset',
  verificationId: VID,
  failedAttempts: 1,
  codeAttempts: 1,
  previous: null,
  ...over,
});
/** A state that allows a claim now: a live code for `login`, no failures. */
const claimable = (clock: FakeClock): OtpState => ({
  purpose: 'login',
  hasCode: true,
  expiresAt: secondsAfter(clock, 300),
  failedAttempts: 0,
  lastFailedAt: null,
  lockedUntil: null,
  cooldownUntil: null,
  sendTimes: [],
});

describe(OtpVerifyService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(async () => {
    await Promise.all(built.splice(0).map((h) => h.onApplicationShutdown()));
  });

  describe('verify', () => {
    it('should refuse a recipient the fast path knows is locked, without any statement', async () => {
      const { sut, clock, fastPath, hmacStore, attempts } = build();
      await fastPath.remember('sms', TO, 'RECIPIENT_LOCKED', secondsAfter(clock, 90), clock.now());

      const err = await refusal(verify(sut));

      expect(err).toMatchObject({ code: 'RECIPIENT_LOCKED', meta: { retryAfter: 90 } });
      expect(hmacStore.inputs).toHaveLength(0);
      expect(attempts.claimCalls + attempts.stateReads).toBe(0);
    });
  });

  describe('verify with HMAC codes (one statement)', () => {
    it('should answer a matched code with a token and report the rows the statement wrote', async () => {
      const { sut, hasher, audit, guard, hmacStore } = build();
      const events = [{ id: '42', type: 'otp.verified', details: { verificationId: VID } }];
      hmacStore.answers = [hmacResult({ matched: true, failedAttempts: 0, events })];

      const result = await verify(sut);

      expect(result).toMatchObject({ verified: true, verificationId: VID, recipient: TO });
      expect(decodeJwt(result.verificationToken)).toMatchObject({ sub: TO, pur: 'login' });
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
      const { sut, hmacStore, guard } = build();
      hmacStore.answers = [hmacResult({ failedAttempts: 2 })];

      expect(await refusal(verify(sut))).toMatchObject({
        code: 'CODE_INVALID',
        meta: { attemptsLeft: MAX - 2 },
      });
      expect(guard.verified).toHaveLength(0);
    });

    it('should answer the locking failure with 429 and remember the lock on the fast path', async () => {
      const { sut, clock, hmacStore } = build();
      const lockedUntil = secondsAfter(clock, LOCKOUT_S);
      hmacStore.answers = [hmacResult({ failedAttempts: MAX, lockedUntil })];

      const first = await refusal(verify(sut));
      const next = await refusal(verify(sut));

      expect(first).toMatchObject({ code: 'RECIPIENT_LOCKED', meta: { retryAfter: LOCKOUT_S } });
      expect(next).toEqual(first);
      expect(hmacStore.inputs).toHaveLength(1);
    });

    it('should answer the replaced code CODE_NOT_FOUND without counting it', async () => {
      const { sut, hmacStore, audit } = build();
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
      const { sut, hmacStore, attempts } = build();
      hmacStore.answers = [null];

      const err = await refusal(verify(sut));

      expect(err).toMatchObject({ code: 'CODE_NOT_FOUND' });
      expect(attempts.stateReads).toBe(1);
      expect(attempts.claimCalls).toBe(0);
    });

    it('should compare on the claim path when the state moved on after a refused statement', async () => {
      const { sut, clock, hasher, hmacStore, attempts } = build();
      hmacStore.answers = [null];
      attempts.state = claimable(clock);
      attempts.claimAnswers = [claimOf({ codeHash: await hasher.hash(CODE, `login:${TO}`) })];

      const result = await verify(sut);

      expect(result.verificationId).toBe(VID);
      expect(attempts.settled.map((s) => s.kind)).toEqual(['right']);
    });
  });

  describe('verify with PBKDF2 codes (claim, compare, settle)', () => {
    const pbkdf2 = () => build({ OTP_HASH: 'pbkdf2-sha256', PBKDF2_ITERATIONS: '1000' });

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
