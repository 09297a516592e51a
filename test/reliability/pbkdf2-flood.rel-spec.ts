import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeEskiz } from '../support/fake-eskiz.js';
import { ensureBuilt } from './support/build.js';
import { redisPrefix, REDIS_BASE_URL, SuiteDatabase } from './support/database.js';
import {
  CONTRACT_CODES,
  contractProblems,
  get,
  phone,
  pool,
  post,
  tally,
  type Answer,
} from './support/http.js';
import { startInstances, type Instance } from './support/instance.js';
import { lastCode, smsEnv } from './support/sms.js';

// OTP_HASH=pbkdf2-sha256 at the default 720 000 iterations (≈ 200 ms of one core per hash), on a
// bounded worker pool: HASH_MAX_CONCURRENCY=2 running, HASH_MAX_QUEUE=4 waiting.
const HASH_ENV = {
  OTP_HASH: 'pbkdf2-sha256',
  HASH_MAX_CONCURRENCY: '2',
  HASH_MAX_QUEUE: '4',
  IP_VERIFY_MAX_PER_MINUTE: '1000000',
  IP_SEND_MAX_PER_MINUTE: '1000000',
};
const WAVES = 12;
const WAVE_SIZE = 40;
const RECIPIENTS = 10;

describe('pbkdf2-sha256 under a flood of verifications', () => {
  let db: SuiteDatabase;
  let eskiz: FakeEskiz;
  let flood: Instance; // OTP_MAX_FAILED_ATTEMPTS=100, so lockouts do not end the flood early
  let strict: Instance; // OTP_MAX_FAILED_ATTEMPTS=5

  beforeAll(async () => {
    const main = ensureBuilt();
    [db, eskiz] = await Promise.all([SuiteDatabase.create(), FakeEskiz.start()]);
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: REDIS_BASE_URL,
      CACHE_KEY_PREFIX: redisPrefix(),
      ...HASH_ENV,
      ...smsEnv(eskiz.url, eskiz),
    };
    [flood] = await startInstances(1, { main, env: { ...env, OTP_MAX_FAILED_ATTEMPTS: '100' } });
    [strict] = await startInstances(1, { main, env: { ...env, OTP_MAX_FAILED_ATTEMPTS: '5' } });
  }, 240_000);

  afterAll(async () => {
    await Promise.all([flood?.stop(), strict?.stop()]);
    await eskiz?.close();
    await db?.drop();
  }, 60_000);

  const send = (app: Instance, to: string) =>
    post(app.url, '/v1/otp/send', { channel: 'sms', to, purpose: 'login' });
  const verify = (app: Instance, to: string, code: string) =>
    post(app.url, '/v1/otp/verify', { channel: 'sms', to, purpose: 'login', code });
  const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000');

  it('should shed verifications over the queue with 503 and Retry-After while /health/live stays fast', async () => {
    const recipients = await pool(RECIPIENTS, 2, async () => {
      const to = phone();
      expect((await send(flood, to)).status).toBe(202);
      return { to, code: lastCode(to, eskiz) };
    });

    let flooding = true;
    const probes: Answer[] = [];
    const prober = (async () => {
      while (flooding) {
        probes.push(await get(flood.url, '/health/live', {}, 10_000));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const answers: Answer[] = [];
    try {
      for (let w = 0; w < WAVES; w++) {
        answers.push(
          ...(await Promise.all(
            Array.from({ length: WAVE_SIZE }, (_, i) => {
              const r = recipients[i % RECIPIENTS];
              return verify(flood, r.to, wrongCode(r.code));
            }),
          )),
        );
      }
    } finally {
      flooding = false;
      await prober;
    }

    flood.assertAlive();
    const counts = tally(answers);
    expect(Object.keys(counts).sort()).toEqual(['422 CODE_INVALID', '503 SERVICE_UNAVAILABLE']);
    // Per wave, at most the running and queued hashes are taken; the rest are shed at once.
    expect(counts['503 SERVICE_UNAVAILABLE']).toBeGreaterThanOrEqual(WAVES * (WAVE_SIZE - 12));
    for (const a of answers) expect(contractProblems(a, CONTRACT_CODES)).toEqual([]);
    for (const a of answers.filter((x) => x.status === 503)) {
      expect([a.headers.get('retry-after'), a.body.retryAfter]).toEqual(['1', 1]);
    }
    // Liveness always answered, and fast, while the hashing pool was saturated.
    expect(probes.length).toBeGreaterThan(10);
    expect(probes.filter((p) => p.status !== 200)).toEqual([]);
    const ms = probes.map((p) => p.ms).sort((a, b) => a - b);
    expect(ms[Math.floor(ms.length / 2)]).toBeLessThan(200);
    // And the service still works once the flood is over.
    const r = recipients[0];
    expect((await verify(flood, r.to, r.code)).status).toBe(200);
  }, 180_000);

  it('should not lock out a recipient whose right code won the race for its last attempt', async () => {
    const to = phone();
    expect((await send(strict, to)).status).toBe(202);
    const code = lastCode(to, eskiz);
    for (let i = 0; i < 4; i++) {
      expect((await verify(strict, to, wrongCode(code))).status).toBe(422);
    }

    // One attempt left; the first right guess claims it and hashes for ≈ 200 ms, so the other two
    // find every attempt claimed by a request in flight.
    const race = await Promise.all([1, 2, 3].map(() => verify(strict, to, code)));

    expect(tally(race)).toEqual({ '200': 1, '429 RECIPIENT_LOCKED': 2 });
    // The success reset the failures: the recipient is not locked.
    expect((await verify(strict, to, code)).body.code).toBe('CODE_NOT_FOUND');
    expect((await send(strict, to)).body.code).toBe('SEND_COOLDOWN');
  }, 60_000);
});
