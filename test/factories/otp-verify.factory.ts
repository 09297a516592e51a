import type { AuditService } from '#src/audit/audit.service.js';
import type { AppCache } from '#src/common/cache/app-cache.js';
import { RedisHandle } from '#src/common/cache/cache.module.js';
import { TokenSigner } from '#src/common/crypto/token-signer.js';
import type { AppError } from '#src/common/errors/app-error.js';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { buildAppConfig } from '#src/config/app-config.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { OtpAttemptClaimService } from '#src/otp/otp-attempt-claim.service.js';
import { OtpClaimVerifyService } from '#src/otp/otp-claim-verify.service.js';
import { OtpFastPath } from '#src/otp/otp-fast-path.js';
import { OtpHasher } from '#src/otp/otp-hasher.js';
import { OtpHmacVerifyService } from '#src/otp/otp-hmac-verify.service.js';
import { OtpTokenService } from '#src/otp/otp-token.service.js';
import { OtpVerifyOutcomeService } from '#src/otp/otp-verify-outcome.service.js';
import { OtpVerifyService } from '#src/otp/otp-verify.service.js';
import type { AtomicVerifyResult, ClaimedAttempt, OtpState } from '#src/otp/otp.ports.js';
import type { UsedTokenRepository } from '#src/otp/used-token.repository.js';
import type { SmsGuardService } from '#src/sms-guard/sms-guard.service.js';
import { FakeClock } from '../support/fake-clock.js';
import {
  FixedRandom,
  RecordingAudit,
  RecordingSmsGuard,
  ScriptedAttemptStore,
  ScriptedHmacVerifyStore,
} from './otp-store.fakes.js';
import { FakeCache } from './rate-limit-store.fakes.js';

// OtpVerifyService for its unit specs (src/otp/otp-verify*.spec.ts): its real collaborators over
// the in-memory port fakes, a FakeClock, and the helpers the specs share.

export const TO = '+998901234567';
export const CODE = '482913';
export const VID = '00000000-0000-4000-8000-0000000000aa';
export const META = { ip: '203.0.113.7', userAgent: 'spec', requestId: 'req-1' };
export const MAX = 5;
export const LOCKOUT_S = 1800;

/** OtpVerifyService with its real collaborators over fake ports and a FakeClock. */
export function buildOtpVerifyService(env: Record<string, string> = {}) {
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

/** Stops the hashers' worker pools of every service built so far. */
export async function closeBuiltHashers(): Promise<void> {
  await Promise.all(built.splice(0).map((h) => h.onApplicationShutdown()));
}

export const verify = (sut: OtpVerifyService, code = CODE) =>
  sut.verify({ channel: 'sms', to: TO, purpose: 'login', code }, META);
export const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: AppError) => ({ code: e.code, message: e.message, meta: e.meta }),
  );
export const secondsAfter = (clock: FakeClock, s: number) =>
  new Date(clock.now().getTime() + s * 1000);

export const hmacResult = (over: Partial<AtomicVerifyResult>): AtomicVerifyResult => ({
  matched: false,
  stale: false,
  verificationId: VID,
  failedAttempts: 1,
  codeAttempts: 1,
  lockedUntil: null,
  events: [{ id: '41', type: 'otp.verify_failed', details: { verificationId: VID } }],
  ...over,
});
export const claimOf = (over: Partial<ClaimedAttempt>): ClaimedAttempt => ({
  id: 'row-1',
  codeHash: 'unset',
  verificationId: VID,
  failedAttempts: 1,
  codeAttempts: 1,
  previous: null,
  ...over,
});
/** A state that allows a claim now: a live code for `login`, no failures. */
export const claimable = (clock: FakeClock): OtpState => ({
  purpose: 'login',
  hasCode: true,
  expiresAt: secondsAfter(clock, 300),
  failedAttempts: 0,
  lastFailedAt: null,
  lockedUntil: null,
  cooldownUntil: null,
  sendTimes: [],
});
