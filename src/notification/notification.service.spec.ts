// Over 200 lines on purpose: one case per failover rule of NotificationService (order, deadlines,
// retryable vs final failures, templates, metrics), all over the same fake providers.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { buildAppConfig } from '#src/config/app-config.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { FakeEmailProvider } from './email/fake.email-provider.js';
import { NotificationService } from './notification.service.js';
import { DeliveryError, type OtpMessageRequest } from './notification.types.js';
import { FakeSmsProvider } from './sms/fake.sms-provider.js';
import { SmsProvider, type SmsMessage } from './sms/sms-provider.js';
import { NotificationTemplates } from './templates/notification-templates.js';

/** Never answers; records the deadline signal it was given. */
class HangingSmsProvider extends SmsProvider {
  readonly signals: AbortSignal[] = [];
  readonly received: SmsMessage[] = [];
  constructor(readonly name: string) {
    super();
  }
  send(message: SmsMessage, signal: AbortSignal): Promise<{ providerMessageId: string }> {
    this.received.push(message);
    this.signals.push(signal);
    return new Promise(() => undefined);
  }
}

const config = buildAppConfig({
  OTP_PEPPER: 'p'.repeat(32),
  TOKEN_SECRET: 't'.repeat(32),
  ADMIN_API_KEYS: 'k'.repeat(24),
  DATA_DIR: 'memory://',
  NOTIFY_TIMEOUT_MS: '100',
});

const smsRequest = (over: Partial<OtpMessageRequest> = {}): OtpMessageRequest => ({
  channel: 'sms',
  to: '+998901234567',
  code: '482913',
  purpose: 'login',
  locale: 'en',
  ttlSeconds: 600,
  idempotencyKey: 'key-1',
  ...over,
});

function build(sms: SmsProvider[], email: FakeEmailProvider[] = []) {
  const metrics = new MetricsService();
  const sut = new NotificationService(
    config,
    { providers: sms },
    { providers: email },
    metrics,
    new NotificationTemplates(config.notify),
  );
  return { sut, metrics };
}

describe(NotificationService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));

  let first: FakeSmsProvider;
  let second: FakeSmsProvider;

  beforeEach(() => {
    first = new FakeSmsProvider('first');
    second = new FakeSmsProvider('second');
  });

  describe('sendOtp', () => {
    it('should deliver through the first provider only when it accepts', async () => {
      const { sut } = build([first, second]);

      const result = await sut.sendOtp(smsRequest());

      expect(result).toMatchObject({
        delivered: true,
        provider: 'first',
        providerMessageId: 'first-1',
      });
      expect(result.outcomes).toHaveLength(1);
      expect(first.outbox).toEqual([
        { to: '+998901234567', text: expect.stringContaining('482913'), idempotencyKey: 'key-1' },
      ]);
      expect(second.outbox).toHaveLength(0);
    });

    it('should fail over in order on a retryable failure', async () => {
      const third = new FakeSmsProvider('third');
      first.failWith = new DeliveryError('HTTP 500');
      second.failWith = new DeliveryError('HTTP 503');
      const { sut } = build([first, second, third]);

      const result = await sut.sendOtp(smsRequest());

      expect(result.delivered).toBe(true);
      expect(result.provider).toBe('third');
      expect(result.outcomes.map((o) => [o.provider, o.status])).toEqual([
        ['first', 'failed'],
        ['second', 'failed'],
        ['third', 'accepted'],
      ]);
      expect(third.outbox).toHaveLength(1);
    });

    it('should stop the chain when a provider rejects the recipient', async () => {
      first.failWith = new DeliveryError('invalid number', false);
      const { sut } = build([first, second]);

      const result = await sut.sendOtp(smsRequest());

      expect(result.delivered).toBe(false);
      expect(result.outcomes).toEqual([
        expect.objectContaining({ provider: 'first', ok: false, status: 'rejected' }),
      ]);
      expect(second.outbox).toHaveLength(0);
    });

    it('should time out a provider that never answers, abort it, and move to the next', async () => {
      const hanging = new HangingSmsProvider('hanging');
      const { sut, metrics } = build([hanging, second]);

      const result = await sut.sendOtp(smsRequest());

      expect(result).toMatchObject({ delivered: true, provider: 'second' });
      expect(result.outcomes[0]).toMatchObject({
        provider: 'hanging',
        ok: false,
        status: 'timeout',
      });
      expect(hanging.received).toHaveLength(1);
      expect(hanging.signals[0].aborted).toBe(true);
      expect(second.outbox).toHaveLength(1);
      const counted = await metrics.providerSends.get();
      expect(counted.values).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            labels: { provider: 'hanging', outcome: 'timeout' },
            value: 1,
          }),
          expect.objectContaining({
            labels: { provider: 'second', outcome: 'accepted' },
            value: 1,
          }),
        ]),
      );
    });

    it('should report every provider failing, each tried once', async () => {
      const hanging = new HangingSmsProvider('hanging');
      first.failWith = new DeliveryError('HTTP 500');
      const { sut } = build([first, hanging]);

      const result = await sut.sendOtp(smsRequest());

      expect(result.delivered).toBe(false);
      expect(result.provider).toBeUndefined();
      expect(result.outcomes.map((o) => o.status)).toEqual(['failed', 'timeout']);
      expect(hanging.received).toHaveLength(1);
    });

    it('should never hand the same message to one provider twice', async () => {
      first.failWith = new DeliveryError('HTTP 500');
      const { sut } = build([first, first, second]);
      let calls = 0;
      const send = first.send.bind(first);
      first.send = (m) => {
        calls += 1;
        return send(m);
      };

      const result = await sut.sendOtp(smsRequest());

      expect(calls).toBe(1);
      expect(result.outcomes.map((o) => o.provider)).toEqual(['first', 'second']);
    });

    it('should treat an unexpected throw as a retryable failure', async () => {
      const { sut } = build([first, second]);
      first.send = () => {
        throw new TypeError('boom');
      };

      const result = await sut.sendOtp(smsRequest());

      expect(result.provider).toBe('second');
      expect(result.outcomes[0]).toMatchObject({ status: 'failed', error: 'boom' });
    });

    it('should keep the code, the text and the recipient out of outcomes', async () => {
      first.failWith = new DeliveryError(
        'vendor echoed: 998901234567 / +998901234567 / Codeward login code: 482913',
      );
      const { sut } = build([first, second]);

      const result = await sut.sendOtp(smsRequest());

      const serialized = JSON.stringify(result.outcomes);
      expect(serialized).not.toContain('482913');
      expect(serialized).not.toContain('998901234567');
      expect(serialized).toContain('+998*******67');
      for (const outcome of result.outcomes) {
        expect(Object.keys(outcome).sort()).toEqual(
          expect.arrayContaining(['durationMs', 'ok', 'provider', 'status']),
        );
        expect(typeof outcome.durationMs).toBe('number');
      }
    });

    it('should render the email in the requested locale for the email chain', async () => {
      const email = new FakeEmailProvider('mail');
      const { sut } = build([first], [email]);

      const result = await sut.sendOtp(
        smsRequest({
          channel: 'email',
          to: 'john@example.com',
          locale: 'ru',
          purpose: 'password_reset',
        }),
      );

      expect(result).toMatchObject({ delivered: true, provider: 'mail' });
      const sent = email.lastTo('john@example.com');
      expect(sent?.subject).toMatch(/Код сброса пароля/);
      expect(sent?.text).toContain('482913');
      expect(sent?.html).toContain('482913');
      expect(first.outbox).toHaveLength(0);
    });
  });

  describe('sendPasswordChangedNotice', () => {
    it('should email a notice without a code through the email chain', async () => {
      const email = new FakeEmailProvider('mail');
      const { sut } = build([first], [email]);

      const result = await sut.sendPasswordChangedNotice('john@example.com', 'uz');

      expect(result).toMatchObject({ delivered: true, provider: 'mail' });
      const sent = email.lastTo('john@example.com');
      expect(sent?.subject).toMatch(/parolingiz o'zgartirildi/);
      expect(sent?.text).not.toMatch(/\d{4,}/);
      expect(sent?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('should fail over between email providers as well', async () => {
      const broken = new FakeEmailProvider('broken');
      broken.failWith = new DeliveryError('421 try later');
      const email = new FakeEmailProvider('mail');
      const { sut } = build([], [broken, email]);

      const result = await sut.sendPasswordChangedNotice('john@example.com', 'en');

      expect(result.outcomes.map((o) => [o.provider, o.status])).toEqual([
        ['broken', 'failed'],
        ['mail', 'accepted'],
      ]);
    });
  });
});
