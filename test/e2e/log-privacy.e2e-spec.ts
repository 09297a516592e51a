import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { LOG_DESTINATION } from '#src/common/logging/logging.module.js';
import { FakeEmailProvider } from '#src/notification/email/fake.email-provider.js';
import { DeliveryError } from '#src/notification/notification.types.js';
import { EmailProviderChain, SmsProviderChain } from '#src/notification/provider-chain.js';
import { SmsProvider, type SmsMessage } from '#src/notification/sms/sms-provider.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** `+998901112233` -> `+998 90 111 22 33`: how people and some vendors write a number. */
const spaced = (e164: string) =>
  e164.replace(/^\+(\d{3})(\d{2})(\d{3})(\d{2})(\d{2})$/, '+$1 $2 $3 $4 $5');

/** A vendor that refuses every message and echoes the request in its error, as some do. */
class EchoingSmsProvider extends SmsProvider {
  readonly name = 'echoing-sms';
  readonly attempts: SmsMessage[] = [];
  send(message: SmsMessage): Promise<{ providerMessageId: string }> {
    this.attempts.push(message);
    const digits = message.to.slice(1);
    return Promise.reject(
      new DeliveryError(
        `HTTP 400: {"mobile_phone":"${digits}","to":"${spaced(message.to)}","message":"${message.text}"} ` +
          `number ${spaced(message.to)} refused; text was: ${message.text}`,
      ),
    );
  }
}

// Issue 10.2: whatever fails, at LOG_LEVEL=debug no log line holds the recipient in clear, the
// password or its hash, or the code (API.md, "Admin").
describe('log privacy', () => {
  let t: TestApp;
  const lines: string[] = [];
  const echoing = new EchoingSmsProvider();
  const email = new FakeEmailProvider();
  const PASSWORD = 'Tr0ub4dor&3-horse-staple';
  const BOOM_NAME = 'Log Privacy Boom';

  beforeAll(async () => {
    t = await startTestApp({
      env: { LOG_LEVEL: 'debug', OTP_TTL_SECONDS: '3' },
      realProviders: true,
      override: (b) =>
        b
          .overrideProvider(LOG_DESTINATION)
          .useValue({ write: (line: string) => void lines.push(line) })
          .overrideProvider(SmsProviderChain)
          .useValue({ providers: [echoing] })
          .overrideProvider(EmailProviderChain)
          .useValue({ providers: [email] }),
    });
    // A real database failure on the registration's insert: the row (email, password hash,
    // names) is what PostgreSQL puts in the error's detail, and TypeORM in its parameters.
    await t.app
      .get(DataSource)
      .query(
        `ALTER TABLE hr_registration_attempts ADD CONSTRAINT log_privacy_boom CHECK (full_name <> '${BOOM_NAME}')`,
      );
  });
  afterAll(async () => {
    await t.close();
  });

  const leaks = (secrets: string[]) =>
    lines.flatMap((line) =>
      secrets
        .filter((s) => line.toLowerCase().includes(s.toLowerCase()))
        .map((s) => `${s} in ${line}`),
    );

  it('should keep a database failure (query, parameters, detail) out of the logs', async () => {
    const to = 'privacy.db@example.com';
    const r = await t.post('/v1/hr/register', {
      email: to,
      password: PASSWORD,
      fullName: BOOM_NAME,
      companyName: 'Acme',
    });
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
    const code = email.lastTo(to)!.text.match(/\b(\d{6})\b/)![1];
    expect(leaks([to, 'privacy.db', PASSWORD, '$argon2', code, BOOM_NAME])).toEqual([]);
    // The failure is logged usefully: class, route and request id.
    const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
    expect(failure).toMatchObject({
      requestId: r.body.requestId,
      route: '/v1/hr/register',
      err: { class: 'QueryFailedError', code: '23514' },
    });
  });

  it('should keep a provider error that echoes the message out of the logs', async () => {
    const to = '+998901112233';
    const r = await t.post('/v1/otp/send', { channel: 'sms', to, purpose: 'login' });
    expect(r.status).toBe(502);
    const code = echoing.attempts.at(-1)!.text.match(/\b(\d{6})\b/)![1];
    expect(lines.some((l) => l.includes('provider failed'))).toBe(true);
    expect(leaks([to, '998901112233', spaced(to), code])).toEqual([]);
  });

  it('should keep validation failures and wrong codes out of the logs', async () => {
    const to = 'privacy.validation@example.com';
    const answers = await Promise.all([
      t.post('/v1/hr/register', {
        email: `${to}\u0000`,
        password: PASSWORD,
        fullName: 'A',
        companyName: 'B',
      }),
      t.post('/v1/hr/register', {
        email: to,
        password: `${PASSWORD}${'x'.repeat(200)}`,
        fullName: 'A',
        companyName: 'B',
      }),
      t.post('/v1/hr/login', { email: to, password: PASSWORD, extra: PASSWORD }),
      t.post('/v1/otp/verify', { channel: 'email', to, purpose: 'login', code: '918273' }),
      t.get(`/v1/admin/audit-events?recipient=${encodeURIComponent(to)}`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 404, 401]);
    expect(leaks([to, 'privacy.validation', PASSWORD, '918273'])).toEqual([]);
  });

  it('should have logged one warning line at boot for an unusual setting', () => {
    const config = lines.map((l) => JSON.parse(l)).filter((l) => l.context === 'Config');
    expect(config).toHaveLength(1);
    expect(config[0]).toMatchObject({
      level: 40,
      msg: expect.stringMatching(/^OTP_TTL_SECONDS=3 /),
    });
  });

  it('should have captured the debug-level log', () => {
    expect(lines.length).toBeGreaterThan(5);
    expect(t.config.log.level).toBe('debug');
  });
});
