import type { AuditService } from '#src/audit/audit.service.js';
import type { AppCache } from '#src/common/cache/app-cache.js';
import { RedisHandle } from '#src/common/cache/cache.module.js';
import type { AppError } from '#src/common/errors/app-error.js';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { buildAppConfig } from '#src/config/app-config.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import type { NotificationService } from '#src/notification/notification.service.js';
import { OtpFastPath } from '#src/otp/otp-fast-path.js';
import { OtpHasher } from '#src/otp/otp-hasher.js';
import { OtpSendClaimService } from '#src/otp/otp-send-claim.service.js';
import { OtpSendDeliveryService } from '#src/otp/otp-send-delivery.service.js';
import { OtpSendOutcomeService } from '#src/otp/otp-send-outcome.service.js';
import { OtpSendPolicyService } from '#src/otp/otp-send-policy.service.js';
import { OtpService } from '#src/otp/otp.service.js';
import type { SmsGuardService } from '#src/sms-guard/sms-guard.service.js';
import { FakeClock } from '../support/fake-clock.js';
import {
  FixedRandom,
  InMemoryOtpSendStore,
  RecordingAudit,
  RecordingNotifications,
  RecordingSmsGuard,
} from './otp-store.fakes.js';
import { FakeCache } from './rate-limit-store.fakes.js';

// OtpService for its unit specs (src/otp/otp.service.spec.ts, src/otp/otp-send-*.spec.ts): its
// real collaborators over the in-memory port fakes, a FakeClock, and a log of the side effects in
// the order they happened.

export const TO = '+998901234567';
export const CODE = '482913';
export const META = { ip: '203.0.113.7', userAgent: 'spec', requestId: 'req-1' };

/** OtpService with its real collaborators over fake ports; `log` names each side effect. */
export function buildOtpService(env: Record<string, string> = {}) {
  const config = buildAppConfig({
    OTP_PEPPER: 'p'.repeat(32),
    TOKEN_SECRET: 't'.repeat(32),
    ADMIN_API_KEYS: 'k'.repeat(24),
    DATA_DIR: 'memory://',
    OTP_TTL_SECONDS: '300',
    OTP_SEND_COOLDOWN_SECONDS: '60',
    ...env,
  });
  const clock = new FakeClock();
  const metrics = new MetricsService();
  const cache = new FakeCache() as unknown as AppCache;
  const fastPath = new OtpFastPath(cache, new RedisHandle(null), config, metrics);
  const hasher = new OtpHasher(config);
  const store = new InMemoryOtpSendStore();
  const notifications = new RecordingNotifications();
  const audit = new RecordingAudit();
  const guard = new RecordingSmsGuard();
  const log: string[] = [];
  logCalls(log, 'metrics.otpSendAttempts', metrics.otpSendAttempts, ['inc']);
  logCalls(log, 'metrics.otpEvents', metrics.otpEvents, ['inc']);
  logCalls(log, 'guard', guard, ['check', 'recordSend']);
  logCalls(log, 'fastPath', fastPath, ['get', 'remember', 'forget']);
  logCalls(log, 'store', store, ['claimSend', 'findState', 'releaseFailedSend']);
  logCalls(log, 'notifications', notifications, ['sendOtp']);
  logCalls(log, 'audit', audit, ['record']);

  const smsGuard = guard as unknown as SmsGuardService;
  const policy = new OtpSendPolicyService(
    config,
    clock,
    new RecipientNormalizer(config),
    metrics,
    smsGuard,
    fastPath,
  );
  const claims = new OtpSendClaimService(config, new FixedRandom(CODE), hasher, store, fastPath);
  const auditService = audit as unknown as AuditService;
  const outcome = new OtpSendOutcomeService(config, fastPath, auditService, metrics, smsGuard);
  const notify = notifications as unknown as NotificationService;
  const delivery = new OtpSendDeliveryService(config, clock, notify, store, outcome);
  const sut = new OtpService(policy, claims, delivery, outcome);
  built.push(hasher);
  return {
    ...{ sut, policy, claims, config, clock, metrics, fastPath, hasher },
    ...{ store, notifications, audit, guard, log },
  };
}
const built: OtpHasher[] = [];

/** Stops the hashers' worker pools of every service built so far. */
export async function closeBuiltHashers(): Promise<void> {
  await Promise.all(built.splice(0).map((h) => h.onApplicationShutdown()));
}

/** Records each call of `methods` on `target` in `log` as `label.method`; the call runs as before. */
function logCalls<T extends object>(log: string[], label: string, target: T, methods: string[]) {
  for (const name of methods) {
    const original = (target as Record<string, (...args: unknown[]) => unknown>)[name];
    Object.defineProperty(target, name, {
      value: (...args: unknown[]) => {
        log.push(`${label}.${name}`);
        return original.apply(target, args);
      },
    });
  }
}

export const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: AppError) => e,
  );

/** The value of a counter's series with these labels (0 when never incremented). */
export async function counted(
  counter: MetricsService['otpEvents'] | MetricsService['otpSendAttempts'],
  labels: Record<string, string>,
): Promise<number> {
  const { values } = await counter.get();
  const match = values.find((v) =>
    Object.entries(labels).every(([k, x]) => (v.labels as Record<string, unknown>)[k] === x),
  );
  return match?.value ?? 0;
}
