import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeEskiz } from '../support/fake-eskiz.js';
import { ensureBuilt } from './support/build.js';
import { redisPrefix, REDIS_BASE_URL, SuiteDatabase } from './support/database.js';
import { ip, post, tally, type Answer } from './support/http.js';
import { ADMIN_KEY, startInstances, until, type Instance } from './support/instance.js';
import { RedisServer } from './support/redis-server.js';
import { smsEnv } from './support/sms.js';

// The SMS-pumping breaker across three instances (separate processes) on one PostgreSQL database:
// a burst of parallel sends to one destination prefix opens it exactly once (one
// sms.breaker_opened event), every instance then refuses that prefix, and an admin's unlock on
// one instance reopens it on all. Counted in Redis, and in PostgreSQL when Redis is not configured.
const MIN_SENDS = 30;
const BURST = 150;

let numberSeq = 0;
/** Distinct mobile numbers inside one prefix (+998 93 NN: prefix +99893NN). */
const inPrefix = (nn: string) => {
  numberSeq += 1;
  return `+99893${nn}${String(numberSeq).padStart(5, '0')}`;
};

const send = (instance: Instance, to: string) =>
  post(
    instance.url,
    '/v1/otp/send',
    { channel: 'sms', to, purpose: 'login' },
    { 'x-forwarded-for': ip() },
  );

describe.each([
  ['Redis', true],
  ['PostgreSQL', false],
])('the SMS breaker on three instances, counting in %s', (_store, withRedis) => {
  let db: SuiteDatabase;
  let eskiz: FakeEskiz;
  let trio: Instance[];
  const nn = withRedis ? '81' : '82';
  const prefix = `+99893${nn}`;

  beforeAll(async () => {
    const main = ensureBuilt();
    db = await SuiteDatabase.create();
    eskiz = await FakeEskiz.start();
    trio = await startInstances(3, {
      main,
      env: {
        DATABASE_URL: db.url,
        ...(withRedis ? { REDIS_URL: REDIS_BASE_URL, CACHE_KEY_PREFIX: redisPrefix() } : {}),
        TRUST_PROXY: 'loopback',
        SMS_BREAKER_MIN_SENDS: String(MIN_SENDS),
        ...smsEnv(eskiz.url, eskiz),
      },
    });
  }, 240_000);

  afterAll(async () => {
    await Promise.all((trio ?? []).map((i) => i.stop()));
    await eskiz?.close();
    await db?.drop();
  }, 60_000);

  const openedEvents = () =>
    db.query(
      `SELECT details FROM audit_events WHERE type = 'sms.breaker_opened' AND details->>'prefix' = $1`,
      [prefix],
    );

  it('should open once, for every instance, under a burst of parallel pumped sends', async () => {
    const answers: Answer[] = await Promise.all(
      Array.from({ length: BURST }, (_, i) => send(trio[i % 3], inPrefix(nn))),
    );

    const counts = tally(answers);
    const accepted = counts['202'] ?? 0;
    // On a loaded machine a provider call may miss its deadline (502); nothing else may happen.
    const failed = counts['502 DELIVERY_FAILED'] ?? 0;
    expect(accepted + failed + (counts['403 DESTINATION_SUSPENDED'] ?? 0)).toBe(BURST);
    expect(accepted).toBeGreaterThanOrEqual(MIN_SENDS);
    expect(await openedEvents()).toHaveLength(1);
    const delivered = eskiz.sends.filter(
      (s) => s.status === 200 && s.fields.mobile_phone?.startsWith(prefix.slice(1)),
    ).length;
    expect(delivered).toBeGreaterThanOrEqual(accepted);
    expect(delivered).toBeLessThanOrEqual(accepted + failed);
    const [row] = await db.query(`SELECT state FROM sms_breakers WHERE prefix = $1`, [prefix]);
    expect(row).toEqual({ state: 'open' });

    // Each instance refuses the prefix (at once, or within its one-second view refresh).
    for (const instance of trio) {
      await until(
        `instance ${instance.port} refuses ${prefix}`,
        async () => (await send(instance, inPrefix(nn))).body?.code === 'DESTINATION_SUSPENDED',
        5_000,
        200,
      );
      const refused = await send(instance, inPrefix(nn));
      expect(refused.status).toBe(403);
      expect(Number(refused.headers.get('retry-after'))).toBe(refused.body.retryAfter);
    }
    expect(await openedEvents()).toHaveLength(1);
  });

  it("should reopen the prefix on every instance after an admin's unlock on one", async () => {
    const unlock = await post(
      trio[0].url,
      '/v1/admin/unlock',
      { destination: prefix },
      { authorization: `Bearer ${ADMIN_KEY}` },
    );
    expect(unlock.status).toBe(200);

    for (const instance of trio) {
      await until(
        `instance ${instance.port} sends to ${prefix} again`,
        async () => (await send(instance, inPrefix(nn))).status === 202,
        5_000,
        200,
      );
    }
    const closed = await db.query(
      `SELECT details FROM audit_events WHERE type = 'sms.breaker_closed' AND details->>'prefix' = $1`,
      [prefix],
    );
    expect(closed).toHaveLength(1);
  });
});

describe('the SMS breaker when Redis dies', () => {
  let db: SuiteDatabase;
  let redis: RedisServer;
  let eskiz: FakeEskiz;
  let duo: Instance[];

  beforeAll(async () => {
    const main = ensureBuilt();
    [db, redis, eskiz] = await Promise.all([
      SuiteDatabase.create(),
      RedisServer.start(),
      FakeEskiz.start(),
    ]);
    duo = await startInstances(2, {
      main,
      env: {
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        TRUST_PROXY: 'loopback',
        SMS_BREAKER_MIN_SENDS: '10',
        ...smsEnv(eskiz.url, eskiz),
      },
    });
  }, 240_000);

  afterAll(async () => {
    await Promise.all((duo ?? []).map((i) => i.stop()));
    await redis?.kill();
    await eskiz?.close();
    await db?.drop();
  }, 60_000);

  it('should fail open: sends go out while the counts are unreachable, and it counts again after', async () => {
    await redis.kill();
    const during = [];
    for (let i = 0; i < 20; i++) during.push(await send(duo[i % 2], inPrefix('83')));
    expect(tally(during)).toEqual({ '202': 20 });

    await redis.restart();
    await until(
      'the breaker counts again and opens',
      async () => (await send(duo[0], inPrefix('83'))).body?.code === 'DESTINATION_SUSPENDED',
      30_000,
      100,
    );
    const opened = await db.query(`SELECT 1 FROM audit_events WHERE type = 'sms.breaker_opened'`);
    expect(opened).toHaveLength(1);
  });
});
