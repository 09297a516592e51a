import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { RedisHandle } from '#src/common/cache/cache.module.js';
import { BlockRestore } from '#src/rate-limit/block-restore.js';
import {
  DurableRateLimitCounter,
  VolatileRateLimitCounter,
} from '#src/rate-limit/rate-limit-counter.js';
import { RateLimitService } from '#src/rate-limit/rate-limit.service.js';
import { RateLimitStore } from '#src/rate-limit/rate-limit.store.js';
import { redisUrl } from '../support/databases.js';
import { ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app.js';

const body = (to: string) => ({ channel: 'sms', to, purpose: 'login', code: '123456' });

describe('IP throttling (e2e)', () => {
  describe('with TRUST_PROXY=false (default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it('should allow 3 verifies per minute, block the 4th for 900 s, and persist the block', async () => {
      for (let i = 0; i < 3; i++) {
        const res = await t.post('/v1/otp/verify', body('+998901110001'));
        expect(res.body.code).toBe('CODE_NOT_FOUND');
      }
      const blocked = await t.post('/v1/otp/verify', body('+998901110001'));
      expect(blocked.status).toBe(429);
      expect(blocked.body).toMatchObject({
        statusCode: 429,
        code: 'IP_RATE_LIMITED',
        retryAfter: 900,
      });
      expect(blocked.headers.get('retry-after')).toBe('900');

      // Still blocked after the minute window: the block lasts IP_BLOCK_SECONDS.
      t.clock.advanceSeconds(120);
      const still = await t.post('/v1/otp/verify', body('+998901110001'));
      expect(still.body).toMatchObject({ code: 'IP_RATE_LIMITED', retryAfter: 780 });

      const rows = await t.app
        .get(DataSource)
        .query(
          `SELECT ip, endpoint, blocked_until FROM ip_rate_limits WHERE endpoint = '/v1/otp/verify'`,
        );
      expect(rows).toHaveLength(1);
      expect(rows[0].ip).toBe('127.0.0.1');
      const blocks = await t.app.get(RateLimitService).listBlocks();
      expect(blocks).toEqual([
        expect.objectContaining({ ip: '127.0.0.1', endpoint: '/v1/otp/verify' }),
      ]);

      t.clock.advanceSeconds(780);
      const after = await t.post('/v1/otp/verify', body('+998901110001'));
      expect(after.body.code).toBe('CODE_NOT_FOUND');
    });

    it('should keep a separate counter per endpoint and not limit token consumption', async () => {
      // verify is blocked or counting from the previous test; send has its own budget of 10.
      t.clock.advanceSeconds(3600);
      for (let i = 0; i < 10; i++) {
        const res = await t.post('/v1/otp/send', {
          channel: 'sms',
          to: `+9989011200${10 + i}`,
          purpose: 'login',
        });
        expect(res.status).toBe(202);
      }
      const eleventh = await t.post('/v1/otp/send', {
        channel: 'sms',
        to: '+998901120099',
        purpose: 'login',
      });
      expect(eleventh.body.code).toBe('IP_RATE_LIMITED');
      for (let i = 0; i < 20; i++) {
        const res = await t.post('/v1/otp/tokens/consume', {
          verificationToken: 'x',
          purpose: 'login',
        });
        expect(res.body.code).toBe('TOKEN_INVALID');
      }
    });

    it('should ignore X-Forwarded-For when proxies are not trusted', async () => {
      t.clock.advanceSeconds(3600);
      const answers = [];
      for (let i = 0; i < 5; i++) {
        answers.push(
          await t.post('/v1/otp/verify', body('+998901110002'), {
            'x-forwarded-for': `203.0.113.${i}`,
          }),
        );
      }
      expect(answers.map((a) => a.body.code === 'IP_RATE_LIMITED')).toEqual([
        false,
        false,
        false,
        true,
        true,
      ]);
    });

    it('should refuse a flood from a blocked address without reaching the guard or its stores', async () => {
      t.clock.advanceSeconds(3600);
      for (let i = 0; i < 4; i++) await t.post('/v1/otp/verify', body('+998901110005'));
      const store = t.app.get(RateLimitStore, { strict: false });
      const increment = store.increment.bind(store);
      let hits = 0;
      store.increment = (...args) => {
        hits++;
        return increment(...args);
      };
      try {
        const flood = await Promise.all(
          Array.from({ length: 50 }, () => t.post('/v1/otp/verify', '{not json')),
        );
        for (const r of flood) {
          expect(r.status).toBe(429);
          expect(r.body).toMatchObject({ code: 'IP_RATE_LIMITED', retryAfter: 900 });
          expect(r.headers.get('retry-after')).toBe('900');
          expect(r.headers.get('x-request-id')).toBe(r.body.requestId);
          expect(r.headers.get('x-content-type-options')).toBe('nosniff');
          expect(r.headers.get('content-security-policy')).toContain(`default-src 'self'`);
        }
        expect(hits).toBe(0);
      } finally {
        store.increment = increment;
      }
      // Other endpoints keep their own counters.
      expect(
        (await t.post('/v1/otp/send', { channel: 'sms', to: '+998901110005', purpose: 'login' }))
          .status,
      ).toBe(202);
    });

    it('should let an admin lift an IP block at once', async () => {
      t.clock.advanceSeconds(3600);
      for (let i = 0; i < 4; i++) await t.post('/v1/otp/verify', body('+998901110003'));
      expect((await t.post('/v1/otp/verify', body('+998901110003'))).body.code).toBe(
        'IP_RATE_LIMITED',
      );
      expect(await t.app.get(RateLimitService).unblockIp('127.0.0.1')).toBeGreaterThan(0);
      expect((await t.post('/v1/otp/verify', body('+998901110003'))).body.code).toBe(
        'CODE_NOT_FOUND',
      );
    });
  });

  describe('with TRUST_PROXY=loopback', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
    });
    afterAll(async () => {
      await t.close();
    });

    it('should count each forwarded client address separately', async () => {
      const from = (ip: string) =>
        t.post('/v1/otp/verify', body('+998901110004'), { 'x-forwarded-for': ip });
      for (let i = 0; i < 3; i++) {
        expect((await from('198.51.100.7')).body.code).toBe('CODE_NOT_FOUND');
      }
      expect((await from('198.51.100.7')).body.code).toBe('IP_RATE_LIMITED');
      expect((await from('198.51.100.8')).body.code).toBe('CODE_NOT_FOUND');
      const blocks = await t.app.get(RateLimitService).listBlocks();
      expect(blocks.map((b) => b.ip)).toEqual(['198.51.100.7']);
    });
  });

  describe('with TRUST_PROXY=1 (a hop count, as in Express)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { TRUST_PROXY: '1' } });
    });
    afterAll(async () => {
      await t.close();
    });

    it('should take the client from the one trusted hop, not from entries before it', async () => {
      const limited = async (xff: string) =>
        (await t.post('/v1/otp/verify', body('+998901110009'), { 'x-forwarded-for': xff })).body
          .code === 'IP_RATE_LIMITED';
      for (let i = 0; i < 3; i++) expect(await limited('198.51.100.7')).toBe(false);
      expect(await limited('198.51.100.7')).toBe(true);
      expect(await limited('198.51.100.8')).toBe(false);
      // The proxy appended the address it saw; what the client wrote before it is not trusted.
      expect(await limited('203.0.113.1, 198.51.100.7')).toBe(true);
      expect(await limited('198.51.100.7, 198.51.100.8')).toBe(false);
      const blocks = await t.app.get(RateLimitService).listBlocks();
      expect(blocks.map((b) => b.ip)).toEqual(['198.51.100.7']);
    });
  });

  describe('one client per IPv6 network, one spelling per address (TRUST_PROXY=true)', () => {
    let t: TestApp;
    let ds: DataSource;
    beforeAll(async () => {
      t = await startTestApp({ env: { TRUST_PROXY: 'true' } });
      ds = t.app.get(DataSource);
    });
    afterAll(async () => {
      await t.close();
    });

    const verifyFrom = (ip: string) =>
      t.post('/v1/otp/verify', body('+998901110006'), { 'x-forwarded-for': ip });
    const limited = async (ip: string) => (await verifyFrom(ip)).body.code === 'IP_RATE_LIMITED';
    const admin = (method: string, path: string, payload?: unknown) =>
      t.request(method, path, payload, { authorization: `Bearer ${ADMIN_KEY}` });

    it('should count every address of one IPv6 /64 in one bucket, and list the block by network', async () => {
      const answers = [];
      for (const ip of ['2001:db8:0:1::1', '2001:db8:0:1::2', '2001:db8:0:1:ffff::3']) {
        answers.push(await limited(ip));
      }
      expect(answers).toEqual([false, false, false]);
      expect(await limited('2001:db8:0:1:abcd:ef01:2345:6789')).toBe(true);
      // Another /64 is another client.
      expect(await limited('2001:db8:0:2::1')).toBe(false);

      const rows = await ds.query(`SELECT ip FROM ip_rate_limits WHERE blocked_until IS NOT NULL`);
      expect(rows).toEqual([{ ip: '2001:db8:0:1::/64' }]);
      const blocks = await admin('GET', '/v1/admin/blocks');
      expect(blocks.body.ips).toEqual([
        expect.objectContaining({ ip: '2001:db8:0:1::/64', endpoint: '/v1/otp/verify' }),
      ]);
      const [event] = await ds.query(`SELECT ip FROM audit_events WHERE type = 'ip.blocked'`);
      expect(event.ip).toBe('2001:db8:0:1::/64');
    });

    it("should find a client's audit rows through any of its addresses or its network", async () => {
      // The first test blocked 2001:db8:0:1::/64; its ip.blocked row holds the network key.
      for (const ip of ['2001:db8:0:1::42', '2001:DB8:0:1:0:0:0:1', '2001:db8:0:1::/64']) {
        const res = await admin(
          'GET',
          `/v1/admin/audit-events?type=ip.blocked&ip=${encodeURIComponent(ip)}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.map((e: { ip: string }) => e.ip)).toEqual(['2001:db8:0:1::/64']);
      }
      const other = await admin('GET', '/v1/admin/audit-events?type=ip.blocked&ip=2001:db8:0:2::1');
      expect(other.body.items).toEqual([]);
      for (const ip of ['not-an-ip', '2001:db8::/48']) {
        const bad = await admin('GET', `/v1/admin/audit-events?ip=${encodeURIComponent(ip)}`);
        expect(bad.status).toBe(400);
        expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(bad.body.details[0].field).toBe('ip');
      }
    });

    it('should count an IPv4-mapped address as its IPv4 address', async () => {
      expect(await limited('198.51.100.7')).toBe(false);
      expect(await limited('::ffff:198.51.100.7')).toBe(false);
      expect(await limited('::FFFF:c633:6407')).toBe(false);
      expect(await limited('198.51.100.7')).toBe(true);
      expect(await limited('::ffff:198.51.100.7')).toBe(true);
    });

    it('should count one IPv6 address written in different ways as one client', async () => {
      expect(await limited('2001:DB8::1')).toBe(false);
      expect(await limited('2001:db8:0:0::1')).toBe(false);
      expect(await limited('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe(false);
      expect(await limited('2001:db8::1')).toBe(true);
    });

    it('should unlock a blocked client through any spelling of it or its network', async () => {
      t.clock.advanceSeconds(3600);
      const block = async (ip: string) => {
        for (let i = 0; i < 4; i++) await verifyFrom(ip);
        expect(await limited(ip)).toBe(true);
      };

      await block('2001:db8:0:3::1');
      const unlocked = await admin('POST', '/v1/admin/unlock', { ip: '2001:DB8:0:3:0:0:0:FFFF' });
      expect(unlocked.status).toBe(200);
      expect(await limited('2001:db8:0:3::1')).toBe(false);

      await block('2001:db8:0:4::1');
      expect((await admin('POST', '/v1/admin/unlock', { ip: '2001:db8:0:4::/64' })).status).toBe(
        200,
      );
      expect(await limited('2001:db8:0:4::9')).toBe(false);

      await block('203.0.113.77');
      expect((await admin('POST', '/v1/admin/unlock', { ip: '::ffff:203.0.113.77' })).status).toBe(
        200,
      );
      expect(await limited('203.0.113.77')).toBe(false);

      const [event] = await ds.query(
        `SELECT details FROM audit_events WHERE type = 'admin.unlock' ORDER BY id LIMIT 1`,
      );
      expect(event.details).toMatchObject({ target: 'ip', unblockedIp: '2001:db8:0:3::/64' });

      for (const ip of ['2001:db8::/48', '203.0.113.0/24', 'not-an-ip', 'x'.repeat(100)]) {
        const bad = await admin('POST', '/v1/admin/unlock', { ip });
        expect(bad.status).toBe(400);
        expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(bad.body.details[0].field).toBe('ip');
      }
    });

    it('should answer normally to a huge or garbage X-Forwarded-For and count the socket address', async () => {
      t.clock.advanceSeconds(3600);
      const garbage = [
        // Incompressible: over PostgreSQL's btree entry limit if it ever reached an index.
        randomBytes(3000).toString('base64'),
        `${'a'.repeat(3000)}, ${'b'.repeat(3000)}`,
        'not-an-ip',
        '198.51.100.1:8080',
        '[2001:db8::1]',
        "'; DROP TABLE ip_rate_limits; --",
        `198.51.100.9, ${'z'.repeat(5000)}`,
      ];
      const answers = [];
      for (const xff of garbage) {
        const res = await t.post('/v1/otp/verify', body('+998901110007'), {
          'x-forwarded-for': xff,
        });
        answers.push(res);
        expect([404, 429]).toContain(res.status);
      }
      // Three answered normally; the rest were limited as the socket address (127.0.0.1)...
      expect(answers.slice(0, 3).map((a) => a.body.code)).toEqual(Array(3).fill('CODE_NOT_FOUND'));
      expect(answers.slice(3).map((a) => a.body.code)).toEqual(Array(4).fill('IP_RATE_LIMITED'));
      // ...which a request without any forwarded address confirms.
      expect((await t.post('/v1/otp/verify', body('+998901110007'))).body.code).toBe(
        'IP_RATE_LIMITED',
      );

      const stored = [
        ...(await ds.query(`SELECT DISTINCT ip FROM ip_rate_limits`)),
        ...(await ds.query(`SELECT DISTINCT ip FROM audit_events WHERE ip IS NOT NULL`)),
      ].map((r: { ip: string }) => r.ip);
      for (const ip of stored) expect(ip).toMatch(/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+\/64)$/);
      expect(stored).toContain('127.0.0.1');
    });
  });

  describe('with IP_V6_PREFIX=128', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { TRUST_PROXY: 'loopback', IP_V6_PREFIX: '128' } });
    });
    afterAll(async () => {
      await t.close();
    });

    it('should count each IPv6 address, whatever its spelling, as its own client', async () => {
      const limited = async (ip: string) =>
        (await t.post('/v1/otp/verify', body('+998901110008'), { 'x-forwarded-for': ip })).body
          .code === 'IP_RATE_LIMITED';
      expect(await limited('2001:DB8::1')).toBe(false);
      expect(await limited('2001:db8:0:0::1')).toBe(false);
      expect(await limited('2001:db8::2')).toBe(false);
      expect(await limited('2001:0db8::0001')).toBe(false);
      expect(await limited('2001:db8::1')).toBe(true);
      expect(await limited('2001:db8::2')).toBe(false);
      const blocks = await t.app.get(RateLimitService).listBlocks();
      expect(blocks.map((b) => b.ip)).toEqual(['2001:db8::1/128']);
    });
  });
});

describe('IP blocks restored into Redis in bulk (PostgreSQL + Redis)', () => {
  const onRedis = redisUrl() ? it : it.skip;
  let t: TestApp;
  let findBlockCalls = 0;
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
    const pg = t.app.get(DurableRateLimitCounter, { strict: false });
    const findBlock = pg.findBlock.bind(pg);
    pg.findBlock = (...args) => {
      findBlockCalls++;
      return findBlock(...args);
    };
  });
  afterAll(async () => {
    await t.close();
  });

  const from = (ip: string) =>
    t.post('/v1/otp/verify', body('+998901110021'), { 'x-forwarded-for': ip });
  const redis = () => t.app.get(RedisHandle, { strict: false }).connection!.client;
  const prefix = () => t.config.cache.keyPrefix;

  onRedis(
    'should answer new clients without a PostgreSQL look-up once every block is restored',
    async () => {
      await t.app.get(BlockRestore, { strict: false }).start();
      expect(await redis().get(`${prefix()}rl:blocks-restored`)).toBe('1');
      findBlockCalls = 0;

      for (let i = 1; i <= 20; i++) {
        expect((await from(`198.51.100.${i}`)).body.code).toBe('CODE_NOT_FOUND');
      }

      expect(findBlockCalls).toBe(0);
    },
  );

  onRedis(
    'should still honour a block only PostgreSQL holds after Redis lost its keys, then restore them all',
    async () => {
      const blocked = '203.0.113.50';
      const other = '203.0.113.51';
      const until = new Date(t.clock.now().getTime() + 600_000);
      for (const ip of [blocked, other]) {
        await t.app.get(DataSource).query(
          `INSERT INTO ip_rate_limits (ip, endpoint, count, window_start, last_attempt_at, blocked_until)
           VALUES ($1, '/v1/otp/verify', 4, $2, $2, $3)`,
          [ip, t.clock.now(), until],
        );
      }
      const keys = await redis().keys(`${prefix()}rl:*`);
      if (keys.length > 0) await redis().del(keys); // Redis restarted empty

      expect((await from(blocked)).body).toMatchObject({
        code: 'IP_RATE_LIMITED',
        retryAfter: 600,
      });
      await t.app.get(BlockRestore, { strict: false }).start();
      expect(await redis().get(`${prefix()}rl:blocks-restored`)).toBe('1');
      findBlockCalls = 0;
      expect((await from(other)).body).toMatchObject({ code: 'IP_RATE_LIMITED', retryAfter: 600 });
      expect(findBlockCalls).toBe(0);
    },
  );

  onRedis(
    'should not bring back a block an admin lifted while a restore was reading it',
    async () => {
      const store = t.app.get(VolatileRateLimitCounter, { strict: false });
      const epoch = await store.unblockEpoch();
      await t.app.get(RateLimitService).unblockIp('203.0.113.50');

      const seeded = await store.seedBlock(
        '203.0.113.50',
        '/v1/otp/verify',
        t.clock.now(),
        new Date(t.clock.now().getTime() + 600_000),
        4,
        epoch,
      );

      expect(seeded).toBe(false);
      expect(await store.markRestored(epoch, 60_000)).toBe(false);
      expect((await from('203.0.113.50')).body.code).toBe('CODE_NOT_FOUND');
    },
  );
});

describe('a blocked address answered to a cross-origin page (CORS_ORIGINS set)', () => {
  const ORIGIN = 'https://app.example.com';
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: ORIGIN } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should let the page read the 429 (CORS headers), and refuse the same way without an Origin', async () => {
    for (let i = 0; i < 4; i++) await t.post('/v1/otp/verify', body('+998901110031'));

    const fromPage = await t.post('/v1/otp/verify', body('+998901110031'), { origin: ORIGIN });
    const fromScript = await t.post('/v1/otp/verify', body('+998901110031'));

    expect(fromPage.status).toBe(429);
    expect(fromPage.body.code).toBe('IP_RATE_LIMITED');
    expect(fromPage.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(fromPage.headers.get('x-content-type-options')).toBe('nosniff');
    expect(fromScript.status).toBe(429);
    expect(fromScript.body.code).toBe('IP_RATE_LIMITED');
    expect(fromScript.headers.get('access-control-allow-origin')).toBeNull();
  });
});
