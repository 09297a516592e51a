import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeEskiz } from '../support/fake-eskiz.js';
import { ensureBuilt } from './support/build.js';
import { redisPrefix, REDIS_BASE_URL, SuiteDatabase } from './support/database.js';
import { phone, post, tally } from './support/http.js';
import { Instance, until } from './support/instance.js';
import { EskizFront, eskizCodes, smsEnv } from './support/sms.js';

// SIGTERM while sends are in flight: Eskiz (behind a front) takes 500 ms per message, so every
// send below is inside the service, between its database claim and its audit row, at the signal.
const IN_FLIGHT = 30;

describe('graceful shutdown under load', () => {
  let db: SuiteDatabase;
  let eskiz: FakeEskiz;
  let front: EskizFront;
  let app: Instance;

  beforeAll(async () => {
    const main = ensureBuilt();
    [db, eskiz] = await Promise.all([SuiteDatabase.create(), FakeEskiz.start()]);
    front = await EskizFront.start(eskiz);
    app = await Instance.start({
      main,
      env: {
        DATABASE_URL: db.url,
        REDIS_URL: REDIS_BASE_URL,
        CACHE_KEY_PREFIX: redisPrefix(),
        IP_SEND_MAX_PER_MINUTE: '1000000',
        SHUTDOWN_TIMEOUT_MS: '10000',
        ...smsEnv(front.url, eskiz),
      },
    });
  }, 240_000);

  afterAll(async () => {
    app?.kill();
    await front?.close();
    await eskiz?.close();
    await db?.drop();
  }, 60_000);

  it('should finish every in-flight request, exit 0 and leave nothing half-written', async () => {
    front.mode = 'delay';
    front.delayMs = 500;
    const phones = Array.from({ length: IN_FLIGHT }, () => phone());

    const pending = phones.map((to) =>
      post(app.url, '/v1/otp/send', { channel: 'sms', to, purpose: 'login' }),
    );
    await until(
      'every send to reach the SMS provider',
      () => front.sendsSeen >= IN_FLIGHT,
      20_000,
      10,
    );
    const exit = app.stop('SIGTERM', 20_000);
    const answers = await Promise.all(pending);

    expect(tally(answers)).toEqual({ '202': IN_FLIGHT });
    expect(await exit).toEqual({ code: 0, signal: null });
    for (const to of phones) expect(eskizCodes(eskiz, to)).toHaveLength(1);
    // Every 202 has its code row and its otp.sent event; no code row lacks its event.
    const sentIds = answers.map((a) => a.body.verificationId as string).sort();
    const rows = await db.query<{ verification_id: string }>(
      'SELECT verification_id FROM phone_otps WHERE code_hash IS NOT NULL ORDER BY verification_id',
    );
    expect(rows.map((r) => r.verification_id)).toEqual(sentIds);
    const events = await db.query<{ id: string }>(
      `SELECT details->>'verificationId' AS id FROM audit_events WHERE type = 'otp.sent' ORDER BY 1`,
    );
    expect(events.map((e) => e.id)).toEqual(sentIds);
  }, 60_000);
});
