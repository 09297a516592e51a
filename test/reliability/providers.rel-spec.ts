import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { FakeEskiz } from '../support/fake-eskiz.js';
import { FakeTwilio } from '../support/fake-twilio.js';
import { ensureBuilt } from './support/build.js';
import { redisPrefix, REDIS_BASE_URL, SuiteDatabase } from './support/database.js';
import { CONTRACT_CODES, contractProblems, phone, post, tally } from './support/http.js';
import { Instance, until } from './support/instance.js';
import { EskizFront, eskizCodes, lastCode, smsEnv, twilioCodes } from './support/sms.js';

// SMS_PROVIDERS=eskiz,twilio with NOTIFY_TIMEOUT_MS=300: Eskiz (behind a fault-injecting front)
// failing, hanging or failing every other time, and Twilio as the failover.
const TIMEOUT_MS = 300;

describe('SMS providers failing, hanging and failing over', () => {
  let db: SuiteDatabase;
  let eskiz: FakeEskiz;
  let front: EskizFront;
  let twilio: FakeTwilio;
  let app: Instance;

  beforeAll(async () => {
    const main = ensureBuilt();
    [db, eskiz, twilio] = await Promise.all([
      SuiteDatabase.create(),
      FakeEskiz.start(),
      FakeTwilio.start(),
    ]);
    front = await EskizFront.start(eskiz);
    app = await Instance.start({
      main,
      env: {
        DATABASE_URL: db.url,
        REDIS_URL: REDIS_BASE_URL,
        CACHE_KEY_PREFIX: redisPrefix(),
        NOTIFY_TIMEOUT_MS: String(TIMEOUT_MS),
        IP_VERIFY_MAX_PER_MINUTE: '1000000',
        IP_SEND_MAX_PER_MINUTE: '1000000',
        ...smsEnv(front.url, eskiz, twilio),
      },
    });
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await front?.close();
    await eskiz?.close();
    await twilio?.close();
    await db?.drop();
  }, 60_000);

  beforeEach(() => {
    front.mode = 'pass';
    eskiz.hangSends = false;
    twilio.hang = false;
    twilio.nextFailures.length = 0;
  });

  const send = (to: string) =>
    post(app.url, '/v1/otp/send', { channel: 'sms', to, purpose: 'login' });
  const verify = (to: string, code: string) =>
    post(app.url, '/v1/otp/verify', { channel: 'sms', to, purpose: 'login', code });

  /** Never two accepted messages for one send through one provider. */
  function expectOneMessage(to: string, via: 'eskiz' | 'twilio'): void {
    expect([eskizCodes(eskiz, to).length, twilioCodes(twilio, to).length]).toEqual(
      via === 'eskiz' ? [1, 0] : [0, 1],
    );
  }

  it('should fail over to Twilio when Eskiz answers 500', async () => {
    front.mode = 'fail';
    const to = phone();
    const failedBefore = front.failed;

    const res = await send(to);

    expect(res.status).toBe(202);
    expect(front.failed - failedBefore).toBe(1);
    expectOneMessage(to, 'twilio');
    expect((await verify(to, lastCode(to, eskiz, twilio))).status).toBe(200);
  });

  it('should fail over to Twilio when Eskiz hangs past NOTIFY_TIMEOUT_MS, and abort the hung request', async () => {
    eskiz.hangSends = true;
    const to = phone();
    const abortedBefore = eskiz.abortedSends;

    const res = await send(to);

    expect(res.status).toBe(202);
    expect(res.ms).toBeLessThan(TIMEOUT_MS + 2_000);
    await until(
      'the hung Eskiz request to be aborted',
      () => eskiz.abortedSends > abortedBefore,
      5_000,
    );
    expectOneMessage(to, 'twilio');
    expect((await verify(to, lastCode(to, eskiz, twilio))).status).toBe(200);
  });

  it('should deliver exactly one message per send when Eskiz fails every other time', async () => {
    front.mode = 'intermittent';
    const phones = Array.from({ length: 20 }, () => phone());

    const answers = await Promise.all(phones.map((to) => send(to)));

    expect(tally(answers)).toEqual({ '202': 20 });
    const via = phones.map((to) => [eskizCodes(eskiz, to).length, twilioCodes(twilio, to).length]);
    for (const [e, t] of via) expect(e + t).toBe(1);
    expect(via.filter(([, t]) => t === 1).length).toBe(10);
    for (const to of phones) {
      expect((await verify(to, lastCode(to, eskiz, twilio))).status).toBe(200);
    }
  });

  it('should answer 502 DELIVERY_FAILED only when every provider fails, leaving no code, no cooldown and no stuck recipient', async () => {
    const to = phone();
    front.mode = 'fail';
    twilio.hang = true;

    const failed = await send(to);

    expect(failed.status).toBe(502);
    expect(failed.body.code).toBe('DELIVERY_FAILED');
    expect(contractProblems(failed, CONTRACT_CODES)).toEqual([]);
    expect(failed.ms).toBeLessThan(2 * TIMEOUT_MS + 2_000);
    const [row] = await db.query(
      'SELECT code_hash, cooldown_until, cardinality(send_times) AS sends FROM phone_otps WHERE phone = $1',
      [to],
    );
    expect(row).toEqual({ code_hash: null, cooldown_until: null, sends: 1 });
    expect((await verify(to, '123456')).body.code).toBe('CODE_NOT_FOUND');
    expect(await db.auditCount('otp.delivery_failed', to)).toBe(1);

    // Twilio fails outright too (503), with the same outcome; then the user retries at once.
    twilio.hang = false;
    twilio.nextFailures.push({ status: 503, body: 'Service Unavailable' });
    expect((await send(to)).body.code).toBe('DELIVERY_FAILED');
    front.mode = 'pass';
    const retried = await send(to);
    expect(retried.status).toBe(202);
    expectOneMessage(to, 'eskiz');
    expect((await verify(to, lastCode(to, eskiz, twilio))).status).toBe(200);
    expect(app.alive).toBe(true);
  });

  it('should send once through Eskiz after its token expired (one re-login, one retry)', async () => {
    eskiz.expireTokens();
    const to = phone();
    const loginsBefore = eskiz.logins.length;

    expect((await send(to)).status).toBe(202);

    expect(eskiz.logins.length - loginsBefore).toBe(1);
    expectOneMessage(to, 'eskiz');
  });
});
