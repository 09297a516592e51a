import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  FixedRandom,
  InMemoryOtpSendStore,
  RecordingAudit,
  RecordingNotifications,
  RecordingSmsGuard,
} from '../../test/factories/otp-store.fakes.js';
import { FakeCache } from '../../test/factories/rate-limit-store.fakes.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import type { AuditService } from '#src/audit/audit.service.js';
import type { AppCache } from '#src/common/cache/app-cache.js';
import { RedisHandle } from '#src/common/cache/cache.module.js';
import { AppError } from '#src/common/errors/app-error.js';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { buildAppConfig } from '#src/config/app-config.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import type { NotificationService } from '#src/notification/notification.service.js';
import type { SmsGuardService } from '#src/sms-guard/sms-guard.service.js';
import { OtpFastPath } from './otp-fast-path.js';
import { OtpHasher } from './otp-hasher.js';
import { OtpService } from './otp.service.js';

const config = buildAppConfig({
  OTP_PEPPER: 'p'.repeat(32),
  TOKEN_SECRET: 't'.repeat(32),
  ADMIN_API_KEYS: 'k'.repeat(24),
  DATA_DIR: 'memory://',
  OTP_TTL_SECONDS: '300',
  OTP_SEND_COOLDOWN_SECONDS: '60',
});
const META = { ip: '203.0.113.7', userAgent: 'spec', requestId: 'req-1' };
const TO = '+998901234567';
const CODE = '482913';

describe(OtpService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));

  let clock: FakeClock;
  let store: InMemoryOtpSendStore;
  let notifications: RecordingNotifications;
  let audit: RecordingAudit;
  let guard: RecordingSmsGuard;
  let fastPath: OtpFastPath;
  let hasher: OtpHasher;
  let sut: OtpService;

  beforeEach(() => {
    clock = new FakeClock();
    store = new InMemoryOtpSendStore();
    notifications = new RecordingNotifications();
    audit = new RecordingAudit();
    guard = new RecordingSmsGuard();
    const metrics = new MetricsService();
    fastPath = new OtpFastPath(
      new FakeCache() as unknown as AppCache,
      new RedisHandle(null),
      config,
      metrics,
    );
    hasher = new OtpHasher(config);
    sut = new OtpService(
      config,
      clock,
      new FixedRandom(CODE),
      new RecipientNormalizer(config),
      store,
      hasher,
      fastPath,
      notifications as unknown as NotificationService,
      audit as unknown as AuditService,
      metrics,
      guard as unknown as SmsGuardService,
    );
  });
  afterEach(async () => {
    await hasher.onApplicationShutdown();
  });

  const send = (deliver?: boolean) =>
    sut.send({ channel: 'sms', to: TO, purpose: 'login' }, META, { deliver });
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: AppError) => e,
    );

  describe('send', () => {
    it('should store the code hashed, deliver it and audit otp.sent', async () => {
      const result = await send();

      const [claim] = store.claims;
      expect(claim).toMatchObject({ recipient: TO, purpose: 'login', now: clock.now() });
      expect(await hasher.verify(CODE, `login:${TO}`, claim.codeHash)).toBe(true);
      expect(claim.codeHash).not.toContain(CODE);
      expect(notifications.sent).toEqual([
        expect.objectContaining({ to: TO, code: CODE, idempotencyKey: claim.verificationId }),
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

    it('should claim a decoy send like a real one but deliver nothing', async () => {
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
      // Same cooldown as a real send: the next one is refused from the fast path.
      expect(await refusal(send(false))).toMatchObject({
        code: 'SEND_COOLDOWN',
        meta: { retryAfter: 60 },
      });
      expect(store.claims).toHaveLength(1);
    });

    it('should withdraw the code and lift the cooldown when every provider fails', async () => {
      notifications.failing = true;

      const err = await refusal(send());

      expect(err).toMatchObject({ code: 'DELIVERY_FAILED' });
      const [claim] = store.claims;
      expect(store.releases).toEqual([{ recipient: TO, verificationId: claim.verificationId }]);
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

    it('should explain a refused claim and remember it on the fast path', async () => {
      await send();
      clock.advanceSeconds(10);
      await fastPath.forget('sms', TO);

      const err = await refusal(send());

      expect(err).toMatchObject({ code: 'SEND_COOLDOWN', meta: { retryAfter: 50 } });
      expect(store.claims).toHaveLength(2);
      expect(await fastPath.get('sms', TO, clock.now())).toMatchObject({ code: 'SEND_COOLDOWN' });
    });
  });
});
