import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeEskiz } from '../support/fake-eskiz.js';
import { ensureBuilt } from './support/build.js';
import { redisPrefix, REDIS_BASE_URL, SuiteDatabase } from './support/database.js';
import {
  CONTRACT_CODES,
  contractProblems,
  get,
  ip,
  phone,
  post,
  tally,
  type Answer,
} from './support/http.js';
import { Instance, until } from './support/instance.js';
import { Load } from './support/load.js';
import { lastCode, smsEnv } from './support/sms.js';
import { TcpProxy } from './support/tcp-proxy.js';

// One instance reaching PostgreSQL through a TCP proxy that the test cuts and restores.
const MAX_FAILED = 5;
// A partition is bounded by the driver's query_timeout (10 s) per statement, and a request may
// wait on two in a row (seen: 20 s); there is no overall request deadline.
const ANSWER_BOUND_MS = { reset: 3_000, blackhole: 25_000 };

describe('PostgreSQL cut under load', () => {
  let db: SuiteDatabase;
  let proxy: TcpProxy;
  let eskiz: FakeEskiz;
  let app: Instance;

  beforeAll(async () => {
    const main = ensureBuilt();
    [db, eskiz] = await Promise.all([SuiteDatabase.create(), FakeEskiz.start()]);
    proxy = await TcpProxy.start(db.serverPort);
    app = await Instance.start({
      main,
      env: {
        DATABASE_URL: db.urlViaPort(proxy.port),
        REDIS_URL: REDIS_BASE_URL,
        CACHE_KEY_PREFIX: redisPrefix(),
        TRUST_PROXY: 'loopback',
        OTP_MAX_FAILED_ATTEMPTS: String(MAX_FAILED),
        ...smsEnv(eskiz.url, eskiz),
      },
    });
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await proxy?.close();
    await eskiz?.close();
    await db?.drop();
  }, 60_000);

  const send = (to: string) =>
    post(
      app.url,
      '/v1/otp/send',
      { channel: 'sms', to, purpose: 'login' },
      { 'x-forwarded-for': ip() },
    );
  const verify = (to: string, code: string) =>
    post(
      app.url,
      '/v1/otp/verify',
      { channel: 'sms', to, purpose: 'login', code },
      { 'x-forwarded-for': ip() },
    );
  const consume = (token: string) =>
    post(app.url, '/v1/otp/tokens/consume', { verificationToken: token, purpose: 'login' });
  const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000');
  const parallel = (n: number, task: (k: number) => Promise<Answer>) =>
    Promise.all(Array.from({ length: n }, (_, k) => task(k)));

  async function sent(): Promise<{ to: string; code: string }> {
    const to = phone();
    expect((await send(to)).status).toBe(202);
    return { to, code: lastCode(to, eskiz) };
  }

  /** Every answer is the contract's: no transport failure, no 5xx but 503 SERVICE_UNAVAILABLE. */
  function expectContract(answers: Answer[], boundMs: number): void {
    const bad = answers
      .map((a) => ({ a, problems: contractProblems(a, CONTRACT_CODES) }))
      .filter(
        ({ a, problems }) =>
          problems.length > 0 ||
          (a.status >= 500 && a.body?.code !== 'SERVICE_UNAVAILABLE') ||
          (a.status === 503 && a.headers.get('retry-after') === null) ||
          a.ms > boundMs,
      )
      .map(({ a, problems }) => ({ status: a.status, body: a.body, ms: a.ms, problems }));
    expect(bad).toEqual([]);
  }

  async function restoreAndWait(): Promise<void> {
    await proxy.restore();
    await until(
      'readiness after the database came back',
      async () => {
        return (await get(app.url, '/health/ready', {}, 3_000)).status === 200;
      },
      30_000,
      100,
    );
  }

  it('should answer 503 while the database is gone, recover by itself, and bypass no limit', async () => {
    const cooling = await sent();
    const locked = await sent();
    const lockAnswers = await parallel(10, () => verify(locked.to, wrongCode(locked.code)));
    expect(tally(lockAnswers)['422 CODE_INVALID']).toBe(MAX_FAILED - 1);
    const pending = await sent(); // verified only after the cut
    const straddling = await sent(); // verified again and again across the cut
    const verified = await sent();
    const ok = await verify(verified.to, verified.code);
    expect(ok.status).toBe(200);
    const token = ok.body.verificationToken as string;

    const load = new Load(
      (i) => {
        switch (i % 4) {
          case 0:
            return send(phone());
          case 1:
            return verify(phone(), '123456');
          case 2:
            return verify(straddling.to, straddling.code);
          default:
            return send(cooling.to);
        }
      },
      12,
      2_000,
    ).start();
    await load.reached(100);
    await proxy.cut('reset');
    const atCut = load.answers.length;
    await load.reached(atCut + 300);
    const during = await load.stop();

    expectContract(during, ANSWER_BOUND_MS.reset);
    const afterCut = during.slice(atCut + 50); // well after the cut: nothing reaches the database
    expect(afterCut.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    expect(afterCut.filter((a) => a.status < 300)).toEqual([]);
    // While it is gone: the contract's 503, nothing else; liveness stays up.
    const gone = [
      await send(phone()),
      await verify(pending.to, pending.code),
      await consume(token),
    ];
    expect(gone.map((a) => [a.status, a.body?.code])).toEqual(
      Array(3).fill([503, 'SERVICE_UNAVAILABLE']),
    );
    expectContract(gone, ANSWER_BOUND_MS.reset);
    expect((await get(app.url, '/health/ready')).status).toBe(503);
    expect((await get(app.url, '/health/live')).status).toBe(200);
    // The locked recipient stays refused (from the fast path, or 503: never a comparison).
    const lockedDuring = await verify(locked.to, locked.code);
    expect([429, 503]).toContain(lockedDuring.status);

    await restoreAndWait();

    // Nothing was bypassed or used twice across the cut.
    expect((await send(cooling.to)).body.code).toBe('SEND_COOLDOWN');
    expect((await verify(locked.to, locked.code)).body.code).toBe('RECIPIENT_LOCKED');
    const pendingAnswers = tally(await parallel(20, () => verify(pending.to, pending.code)));
    expect(pendingAnswers['200']).toBe(1);
    // The others find it used, or all attempts of the window claimed by requests in flight.
    expect(
      (pendingAnswers['404 CODE_NOT_FOUND'] ?? 0) + (pendingAnswers['429 RECIPIENT_LOCKED'] ?? 0),
    ).toBe(19);
    expect((await verify(pending.to, pending.code)).body.code).toBe('CODE_NOT_FOUND');
    const straddled = [
      ...during.filter((a) => a.step % 4 === 2),
      await verify(straddling.to, straddling.code),
    ];
    expect(straddled.filter((a) => a.status === 200).length).toBeLessThanOrEqual(1);
    expect(await db.auditCount('otp.verified', straddling.to)).toBeLessThanOrEqual(1);
    expect(tally(await parallel(10, () => consume(token)))).toEqual({
      '200': 1,
      '401 TOKEN_INVALID': 9,
    });
    // And it works again end to end.
    const fresh = await sent();
    expect((await verify(fresh.to, fresh.code)).status).toBe(200);
    expect(app.alive).toBe(true);
  }, 120_000);

  it('should answer 503 within a bound when the database stops answering (partition), then recover', async () => {
    const pending = await sent();
    await proxy.cut('blackhole');

    const answers = await Promise.all([
      send(phone()),
      verify(pending.to, pending.code),
      verify(phone(), '123456'),
      get(app.url, '/health/ready', {}, 30_000),
    ]);

    expect(answers.map((a) => [a.status, a.body?.code ?? a.body?.status])).toEqual([
      [503, 'SERVICE_UNAVAILABLE'],
      [503, 'SERVICE_UNAVAILABLE'],
      [503, 'SERVICE_UNAVAILABLE'],
      [503, 'SERVICE_UNAVAILABLE'],
    ]);
    expectContract(answers.slice(0, 3), ANSWER_BOUND_MS.blackhole);
    expect((await get(app.url, '/health/live', {}, 2_000)).status).toBe(200);

    await restoreAndWait();
    expect(tally(await parallel(5, () => verify(pending.to, pending.code)))).toEqual({
      '200': 1,
      '404 CODE_NOT_FOUND': 4,
    });
  }, 120_000);
});
