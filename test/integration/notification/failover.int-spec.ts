import 'reflect-metadata';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { CacheModule } from '#src/common/cache/cache.module.js';
import { buildAppConfig } from '#src/config/app-config.js';
import { ConfigModule } from '#src/config/config.module.js';
import { MetricsModule } from '#src/metrics/metrics.module.js';
import { NotificationModule } from '#src/notification/notification.module.js';
import { NotificationService } from '#src/notification/notification.service.js';
import type { OtpMessageRequest } from '#src/notification/notification.types.js';
import { FakeEskiz } from '../../support/fake-eskiz.js';
import { FakeTwilio, twilioError } from '../../support/fake-twilio.js';
import { SmtpReceiver } from '../../support/smtp-receiver.js';

// Small enough to keep the hanging cases short, large enough for a loopback answer under load.
const DEADLINE_MS = '250';

const sms = (over: Partial<OtpMessageRequest> = {}): OtpMessageRequest => ({
  channel: 'sms',
  to: '+998901234567',
  code: '582014',
  purpose: 'hr_registration',
  locale: 'uz',
  ttlSeconds: 300,
  idempotencyKey: 'send-1',
  ...over,
});

/** The Notification module as the app wires it, from validated config, against local vendors. */
describe('Notification provider failover', () => {
  let eskiz: FakeEskiz;
  let twilio: FakeTwilio;
  let smtp: SmtpReceiver;
  let moduleRef: TestingModule | undefined;

  async function start(env: Record<string, string>): Promise<NotificationService> {
    const config = buildAppConfig({
      NODE_ENV: 'test',
      DATA_DIR: 'memory://',
      OTP_PEPPER: 'p'.repeat(32),
      TOKEN_SECRET: 't'.repeat(32),
      ADMIN_API_KEYS: 'k'.repeat(24),
      NOTIFY_TIMEOUT_MS: '2000',
      ESKIZ_BASE_URL: eskiz.url,
      ESKIZ_EMAIL: eskiz.email,
      ESKIZ_PASSWORD: eskiz.password,
      TWILIO_BASE_URL: twilio.url,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15005550006',
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Codeward <no-reply@codeward.test>',
      EMAIL_PROVIDERS: 'smtp',
      ...env,
    });
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), CacheModule, MetricsModule, NotificationModule],
    }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    return moduleRef.get(NotificationService);
  }

  // Node loads its fetch implementation on first use; do that before any deadline is measured.
  beforeAll(() => fetch('http://127.0.0.1:1/').catch(() => undefined));

  beforeEach(async () => {
    [eskiz, twilio, smtp] = await Promise.all([
      FakeEskiz.start(),
      FakeTwilio.start(),
      SmtpReceiver.start(),
    ]);
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    await Promise.all([eskiz.close(), twilio.close(), smtp.close()]);
  });

  it('should deliver through the first provider listed and leave the next one alone', async () => {
    const sut = await start({ SMS_PROVIDERS: 'eskiz,twilio' });

    const result = await sut.sendOtp(sms());

    expect(result).toMatchObject({ delivered: true, provider: 'eskiz' });
    expect(eskiz.sends[0].fields.message).toContain('582014');
    expect(eskiz.sends[0].fields.message).toMatch(/ro'yxatdan o'tish kodi/);
    expect(twilio.requests).toHaveLength(0);
  });

  it('should follow the configured order', async () => {
    const sut = await start({ SMS_PROVIDERS: 'twilio,eskiz' });

    const result = await sut.sendOtp(sms());

    expect(result.provider).toBe('twilio');
    expect(result.providerMessageId).toMatch(/^SM/);
    expect(eskiz.logins).toHaveLength(0);
  });

  it('should time out a hanging provider and deliver the same message once through the next', async () => {
    const sut = await start({ SMS_PROVIDERS: 'eskiz,twilio', NOTIFY_TIMEOUT_MS: DEADLINE_MS });
    eskiz.hangSends = true;

    const result = await sut.sendOtp(sms());

    expect(result).toMatchObject({ delivered: true, provider: 'twilio' });
    expect(result.outcomes.map((o) => [o.provider, o.status])).toEqual([
      ['eskiz', 'timeout'],
      ['twilio', 'accepted'],
    ]);
    expect(eskiz.sends).toHaveLength(1);
    expect(twilio.requests).toHaveLength(1);
    expect(twilio.requests[0].fields.Body).toBe(eskiz.sends[0].fields.message);
    await eskiz.waitFor(() => eskiz.abortedSends === 1); // the deadline cut the request
  });

  it('should fail over on a vendor error and stop on a rejected recipient', async () => {
    const sut = await start({ SMS_PROVIDERS: 'twilio,eskiz' });
    twilio.nextFailures.push({
      status: 500,
      body: twilioError(500, 20500, 'Internal Server Error'),
    });

    const failedOver = await sut.sendOtp(sms());
    twilio.recipientErrors.set('+998901234567', {
      status: 400,
      body: twilioError(400, 21211, "The 'To' number +998901234567 is not a valid phone number."),
    });
    const rejected = await sut.sendOtp(sms({ idempotencyKey: 'send-2' }));

    expect(failedOver.outcomes.map((o) => o.status)).toEqual(['failed', 'accepted']);
    expect(rejected.delivered).toBe(false);
    expect(rejected.outcomes).toEqual([
      expect.objectContaining({ provider: 'twilio', status: 'rejected' }),
    ]);
    expect(rejected.outcomes[0].error).toContain('+998*******67');
    expect(rejected.outcomes[0].error).not.toContain('998901234567');
    expect(eskiz.sends).toHaveLength(1); // only the first message reached Eskiz
  });

  it('should report a failure when every provider fails', async () => {
    const sut = await start({ SMS_PROVIDERS: 'eskiz,twilio', NOTIFY_TIMEOUT_MS: DEADLINE_MS });
    eskiz.hangSends = true;
    twilio.hang = true;

    const result = await sut.sendOtp(sms());

    expect(result.delivered).toBe(false);
    expect(result.outcomes.map((o) => o.status)).toEqual(['timeout', 'timeout']);
    expect(JSON.stringify(result)).not.toContain('582014');
  });

  it('should email the code and the password-changed notice over SMTP, and close the pool at shutdown', async () => {
    const sut = await start({ SMS_PROVIDERS: 'console' });

    const otp = await sut.sendOtp(
      sms({ channel: 'email', to: 'john@example.com', locale: 'en', purpose: 'login' }),
    );
    const notice = await sut.sendPasswordChangedNotice('john@example.com', 'ru');

    expect(otp).toMatchObject({ delivered: true, provider: 'smtp' });
    expect(notice).toMatchObject({ delivered: true, provider: 'smtp' });
    const [codeMail, noticeMail] = smtp.messages;
    expect(codeMail.parsed.text).toMatch(/login code is 582014/);
    expect(codeMail.parsed.html).toContain('582014');
    expect(noticeMail.parsed.subject).toBe('Пароль Codeward изменён');
    expect(noticeMail.parsed.text).not.toMatch(/\d{4,}/);
    expect(smtp.openConnections).toBe(1);

    await moduleRef?.close();
    moduleRef = undefined;

    await smtp.waitFor(() => smtp.openConnections === 0);
  });
});
