import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeEskiz } from '../support/fake-eskiz.js';
import { ensureBuilt } from './support/build.js';
import { redisPrefix, REDIS_BASE_URL, SuiteDatabase } from './support/database.js';
import { ip, phone, post, tally, type Answer } from './support/http.js';
import { startInstances, type Instance } from './support/instance.js';
import { eskizCodes, lastCode, smsEnv } from './support/sms.js';

// Three instances (separate processes and ports) on one PostgreSQL database and one Redis. Every
// request carries its own X-Forwarded-For (TRUST_PROXY=loopback), so the contract's default IP
// limits only bite where a test reuses one address on purpose.
const MAX_FAILED = 5;

describe('three instances on one database and one Redis', () => {
  let db: SuiteDatabase;
  let eskiz: FakeEskiz;
  let trio: Instance[]; // OTP_SEND_COOLDOWN_SECONDS=60
  let quotaTrio: Instance[]; // no cooldown, so the hourly quota is what refuses

  beforeAll(async () => {
    const main = ensureBuilt();
    db = await SuiteDatabase.create();
    eskiz = await FakeEskiz.start();
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: REDIS_BASE_URL,
      CACHE_KEY_PREFIX: redisPrefix(),
      TRUST_PROXY: 'loopback',
      OTP_MAX_FAILED_ATTEMPTS: String(MAX_FAILED),
      OTP_MAX_SENDS_PER_HOUR: '5',
      IP_VERIFY_MAX_PER_MINUTE: '3',
      IP_SEND_MAX_PER_MINUTE: '10',
      ...smsEnv(eskiz.url, eskiz),
    };
    trio = await startInstances(3, { main, env: { ...env, OTP_SEND_COOLDOWN_SECONDS: '60' } });
    quotaTrio = await startInstances(3, { main, env: { ...env, OTP_SEND_COOLDOWN_SECONDS: '0' } });
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...(trio ?? []), ...(quotaTrio ?? [])].map((i) => i.stop()));
    await eskiz?.close();
    await db?.drop();
  }, 60_000);

  /** `n` parallel requests, spread round-robin over `instances`, each from its own address. */
  const spread = (
    instances: Instance[],
    n: number,
    path: string,
    body: (i: number) => unknown,
    from: (i: number) => string = () => ip(),
  ): Promise<Answer[]> =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        post(instances[i % instances.length].url, path, body(i), { 'x-forwarded-for': from(i) }),
      ),
    );

  const sendBody = (to: string) => ({ channel: 'sms', to, purpose: 'login' });
  const verifyBody = (to: string, code: string) => ({ channel: 'sms', to, purpose: 'login', code });
  const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000');

  it('should give exactly one 200 for 200 parallel right guesses', async () => {
    const to = phone();
    expect((await spread(trio, 1, '/v1/otp/send', () => sendBody(to)))[0].status).toBe(202);
    const code = lastCode(to, eskiz);

    const answers = await spread(trio, 200, '/v1/otp/verify', () => verifyBody(to, code));

    const counts = tally(answers);
    expect(counts['200']).toBe(1);
    // The rest find the code used, or every attempt of the window claimed by requests in flight.
    expect((counts['404 CODE_NOT_FOUND'] ?? 0) + (counts['429 RECIPIENT_LOCKED'] ?? 0)).toBe(199);
    expect(await db.auditCount('otp.verified', to)).toBe(1);
    // The success reset the failures: the recipient is not left locked on any instance.
    const after = await spread(trio, 3, '/v1/otp/verify', () => verifyBody(to, code));
    expect(tally(after)).toEqual({ '404 CODE_NOT_FOUND': 3 });
  });

  it('should not leave the recipient locked when right guesses race its last allowed attempt', async () => {
    const to = phone();
    expect((await spread(trio, 1, '/v1/otp/send', () => sendBody(to)))[0].status).toBe(202);
    const code = lastCode(to, eskiz);
    for (let i = 0; i < MAX_FAILED - 1; i++) {
      expect(
        (await spread(trio, 1, '/v1/otp/verify', () => verifyBody(to, wrongCode(code))))[0].status,
      ).toBe(422);
    }

    // One attempt is left: the first right guess to claim it wins; the rest are refused meanwhile.
    const answers = await spread(trio, 60, '/v1/otp/verify', () => verifyBody(to, code));

    expect(tally(answers)['200']).toBe(1);
    const [row] = await db.query(
      `SELECT failed_attempts, locked_until FROM phone_otps WHERE phone = $1`,
      [to],
    );
    expect(row).toEqual({ failed_attempts: 0, locked_until: null });
    // The success reset the failures, so no instance may go on answering RECIPIENT_LOCKED.
    const after = await spread(trio, 3, '/v1/otp/verify', () => verifyBody(to, code));
    expect(tally(after)).toEqual({ '404 CODE_NOT_FOUND': 3 });
  });

  it('should allow at most OTP_MAX_FAILED_ATTEMPTS comparisons for 200 parallel wrong guesses and lock the recipient', async () => {
    const to = phone();
    expect((await spread(trio, 1, '/v1/otp/send', () => sendBody(to)))[0].status).toBe(202);
    const code = lastCode(to, eskiz);

    const answers = await spread(trio, 200, '/v1/otp/verify', () =>
      verifyBody(to, wrongCode(code)),
    );

    // Each comparison that failed wrote one otp.verify_failed event: exactly the allowed number.
    expect(await db.auditCount('otp.verify_failed', to)).toBe(MAX_FAILED);
    expect(await db.auditCount('otp.locked', to)).toBe(1);
    expect(tally(answers)).toEqual({
      '422 CODE_INVALID': MAX_FAILED - 1,
      '429 RECIPIENT_LOCKED': 200 - (MAX_FAILED - 1),
    });
    const right = await spread(trio, 3, '/v1/otp/verify', () => verifyBody(to, code));
    expect(tally(right)).toEqual({ '429 RECIPIENT_LOCKED': 3 });
    const resend = await spread(trio, 3, '/v1/otp/send', () => sendBody(to));
    expect(tally(resend)).toEqual({ '429 RECIPIENT_LOCKED': 3 });
  });

  it('should accept exactly one of 100 parallel sends and deliver exactly one message', async () => {
    const to = phone();

    const answers = await spread(trio, 100, '/v1/otp/send', () => sendBody(to));

    expect(tally(answers)).toEqual({ '202': 1, '429 SEND_COOLDOWN': 99 });
    expect(eskizCodes(eskiz, to)).toHaveLength(1);
    expect(await db.auditCount('otp.sent', to)).toBe(1);
    for (const a of answers.filter((x) => x.status === 429)) {
      expect(Number(a.headers.get('retry-after'))).toBe(a.body.retryAfter);
    }
  });

  it('should keep the hourly quota exact across instances', async () => {
    const to = phone();

    const answers = await spread(quotaTrio, 100, '/v1/otp/send', () => sendBody(to));

    expect(tally(answers)).toEqual({ '202': 5, '429 SEND_QUOTA_EXCEEDED': 95 });
    expect(eskizCodes(eskiz, to)).toHaveLength(5);
    expect(await db.auditCount('otp.sent', to)).toBe(5);
  });

  it('should keep the IP limits exact across instances', async () => {
    const client = ip();
    const verifies = await spread(
      trio,
      30,
      '/v1/otp/verify',
      () => verifyBody(phone(), '123456'),
      () => client,
    );
    expect(tally(verifies)).toEqual({ '404 CODE_NOT_FOUND': 3, '429 IP_RATE_LIMITED': 27 });

    const sender = ip();
    const sends = await spread(
      trio,
      30,
      '/v1/otp/send',
      () => sendBody(phone()),
      () => sender,
    );
    expect(tally(sends)).toEqual({ '202': 10, '429 IP_RATE_LIMITED': 20 });

    // The block holds on every instance, and is recorded once in PostgreSQL.
    const again = await spread(
      trio,
      3,
      '/v1/otp/verify',
      () => verifyBody(phone(), '1'),
      () => client,
    );
    expect(again.map((a) => a.body.code)).toEqual(Array(3).fill('IP_RATE_LIMITED'));
    const blocks = await db.query(
      `SELECT endpoint FROM ip_rate_limits WHERE ip = $1 AND blocked_until > now()`,
      [client],
    );
    expect(blocks).toEqual([{ endpoint: '/v1/otp/verify' }]);
    expect(
      (await db.query(`SELECT 1 FROM audit_events WHERE type = 'ip.blocked' AND ip = $1`, [client]))
        .length,
    ).toBe(1);
  });
});
