import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { RateLimitService } from '../../src/rate-limit/rate-limit.service.js';
import { RateLimitStore } from '../../src/rate-limit/rate-limit.store.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

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
        expect(res.body.code).not.toBe('IP_RATE_LIMITED');
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
      expect(after.body.code).not.toBe('IP_RATE_LIMITED');
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
      expect((await t.post('/v1/otp/verify', body('+998901110003'))).body.code).not.toBe(
        'IP_RATE_LIMITED',
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
        expect((await from('198.51.100.7')).body.code).not.toBe('IP_RATE_LIMITED');
      }
      expect((await from('198.51.100.7')).body.code).toBe('IP_RATE_LIMITED');
      expect((await from('198.51.100.8')).body.code).not.toBe('IP_RATE_LIMITED');
      const blocks = await t.app.get(RateLimitService).listBlocks();
      expect(blocks.map((b) => b.ip)).toEqual(['198.51.100.7']);
    });
  });
});
