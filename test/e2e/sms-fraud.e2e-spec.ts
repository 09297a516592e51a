import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';

// SMS fraud defence over HTTP (issue 11): number types refused by default, and the per-destination
// breaker opened by a pumping simulation, half-opened and closed by the clock, closed by an admin.

let ipSeq = 0;
/** A fresh client address (TRUST_PROXY=loopback honours X-Forwarded-For from the test). */
const freshIp = () => {
  ipSeq += 1;
  return `10.77.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
};

const send = (t: TestApp, to: string, ip = freshIp()) =>
  t.post('/v1/otp/send', { channel: 'sms', to, purpose: 'login' }, { 'x-forwarded-for': ip });

const verify = (t: TestApp, to: string, ip = freshIp()) =>
  t.post(
    '/v1/otp/verify',
    { channel: 'sms', to, purpose: 'login', code: t.lastCode(to) },
    { 'x-forwarded-for': ip },
  );

const auditEvents = async (t: TestApp, type: string, extra = '') =>
  (await t.admin('GET', `/v1/admin/audit-events?type=${type}&limit=500${extra}`)).body
    .items as any[];

const metric = async (t: TestApp, line: RegExp): Promise<number> => {
  const text = (await t.get('/metrics')).body as string;
  const m = text.split('\n').find((l) => line.test(l));
  return m ? Number(m.split(' ').pop()) : 0;
};

/** Bounded poll (50 ms steps, 5 s at most) for something the service finishes in the background. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met within 5 s');
}

/** Collects alert webhook POSTs. */
class Hook {
  readonly bodies: any[] = [];
  private readonly server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      this.bodies.push(JSON.parse(data));
      res.statusCode = 204;
      res.end();
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

describe('SMS fraud defence (e2e)', () => {
  describe('number types, with the defaults (MOBILE, FIXED_LINE_OR_MOBILE)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
    });
    afterAll(async () => {
      await t.close();
    });

    it.each([
      ['US premium rate', '+1 900 555 0199', '+19005550199', 'PREMIUM_RATE', 'US'],
      ['UK premium rate', '+44 909 879 0000', '+449098790000', 'PREMIUM_RATE', 'GB'],
      ['FR premium rate', '+33 8 90 12 34 56', '+33890123456', 'PREMIUM_RATE', 'FR'],
      ['US toll-free', '+1 800 555 0199', '+18005550199', 'TOLL_FREE', 'US'],
      ['AT shared cost', '+43 810 123456', '+43810123456', 'SHARED_COST', 'AT'],
      ['UK VoIP', '+44 56 1234 5678', '+445612345678', 'VOIP', 'GB'],
      ['UK personal number', '+44 70 1123 4567', '+447011234567', 'PERSONAL_NUMBER', 'GB'],
      ['UK pager', '+44 7640 123456', '+447640123456', 'PAGER', 'GB'],
      ['UK UAN', '+44 55 1234 5678', '+445512345678', 'UAN', 'GB'],
      ['UK fixed line', '+44 20 7946 0000', '+442079460000', 'FIXED_LINE', 'GB'],
      ['Iridium satellite', '+881 6 1234 5678', '+881612345678', 'MOBILE', null],
      ['Inmarsat satellite', '+870 773 111 632', '+870773111632', 'MOBILE', null],
      ['international network +882', '+882 342 1234', '+8823421234', 'MOBILE', null],
      ['international network +883', '+883 140 000 000', '+883140000000', 'VOIP', null],
      ['universal toll-free +800', '+800 1234 5678', '+80012345678', 'TOLL_FREE', null],
    ])(
      'should refuse a %s number with 403 NUMBER_TYPE_NOT_ALLOWED, send nothing and audit it',
      async (_label, typed, e164, type, country) => {
        const res = await send(t, typed);

        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ statusCode: 403, code: 'NUMBER_TYPE_NOT_ALLOWED' });
        expect(t.sms.lastTo(e164)).toBeUndefined();
        const [event] = await auditEvents(
          t,
          'sms.number_refused',
          `&recipient=${encodeURIComponent(e164)}`,
        );
        expect(event).toMatchObject({
          channel: 'sms',
          purpose: 'login',
          details: {
            numberType: type,
            country,
            region: country ?? '001',
            reason: country ? 'number_type' : 'non_geographic',
          },
        });
        expect(JSON.stringify(event)).not.toContain(e164);
      },
    );

    it('should still send to mobile numbers', async () => {
      expect((await send(t, '+998 90 123 45 67')).status).toBe(202);
      expect((await send(t, '+1 202 555 0100')).status).toBe(202); // FIXED_LINE_OR_MOBILE
    });

    it('should count refused sends toward the IP send limit', async () => {
      const ip = freshIp();
      for (let i = 0; i < 10; i++) {
        const res = await send(t, `+1 900 555 01${String(10 + i)}`, ip);
        expect(res.body.code).toBe('NUMBER_TYPE_NOT_ALLOWED');
      }
      const eleventh = await send(t, '+998 90 765 43 21', ip);
      expect(eleventh.status).toBe(429);
      expect(eleventh.body.code).toBe('IP_RATE_LIMITED');
      expect(t.sms.lastTo('+998907654321')).toBeUndefined();
    });

    it('should count refusals by reason in /metrics', async () => {
      expect(await metric(t, /^codeward_sms_refusals_total\{reason="number_type"\}/)).toBe(20);
      expect(await metric(t, /^codeward_sms_refusals_total\{reason="non_geographic"\}/)).toBe(5);
    });
  });

  describe('number types, with NON_GEOGRAPHIC allowed and the breaker off', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        env: {
          TRUST_PROXY: 'loopback',
          SMS_ALLOWED_NUMBER_TYPES: 'MOBILE,FIXED_LINE_OR_MOBILE,NON_GEOGRAPHIC',
          SMS_BREAKER: 'off',
          SMS_BREAKER_MIN_SENDS: '2',
        },
      });
    });
    afterAll(async () => {
      await t.close();
    });

    it('should send to a satellite mobile number but still refuse a universal toll-free one', async () => {
      expect((await send(t, '+881 6 1234 5678')).status).toBe(202);
      expect(t.sms.lastTo('+881612345678')).toBeDefined();
      expect((await send(t, '+800 1234 5678')).body.code).toBe('NUMBER_TYPE_NOT_ALLOWED');
    });

    it('should never suspend a destination with SMS_BREAKER=off', async () => {
      for (let i = 0; i < 8; i++) {
        expect((await send(t, `+99893440${String(1000 + i)}`)).status).toBe(202);
      }
      expect((await t.admin('GET', '/v1/admin/blocks')).body.destinations).toEqual([]);
    });
  });

  describe('the breaker, with the defaults (50 sends, 20 % conversion, 3600 s)', () => {
    let t: TestApp;
    const hook = new Hook();
    const pumped = (i: number) => `+99893770${String(i).padStart(4, '0')}`; // prefix +9989377
    const honest = (i: number) => `+99894660${String(i).padStart(4, '0')}`; // prefix +9989466

    beforeAll(async () => {
      t = await startTestApp({
        env: { TRUST_PROXY: 'loopback', ALERT_WEBHOOK_URL: await hook.listen() },
      });
    });
    afterAll(async () => {
      await t.close();
      await hook.close();
    });

    it('should open for a pumped prefix while a converting prefix keeps working', async () => {
      const tally: Record<string, number> = {};
      let honestSent = 0;
      for (let i = 0; i < 200; i++) {
        // Many clients, five sends each: the per-IP limit never bites.
        const res = await send(t, pumped(i), `10.78.${i >> 2}.1`);
        const key = `${res.status} ${res.body.code ?? ''}`.trim();
        tally[key] = (tally[key] ?? 0) + 1;
        if (res.status === 403) {
          expect(res.body.retryAfter).toBeGreaterThan(3500);
          expect(res.headers.get('retry-after')).toBe(String(res.body.retryAfter));
        }
        if (i % 4 === 0) {
          const to = honest(i);
          expect((await send(t, to)).status).toBe(202);
          expect((await verify(t, to)).status).toBe(200);
          honestSent++;
        }
      }

      // The 50th unverified code opened it; nothing more reached the provider.
      expect(tally).toEqual({ '202': 50, '403 DESTINATION_SUSPENDED': 150 });
      expect(t.sms.outbox.filter((m) => m.to.startsWith('+9989377'))).toHaveLength(50);
      expect(honestSent).toBe(50);
      const opened = await auditEvents(t, 'sms.breaker_opened');
      expect(opened).toHaveLength(1);
      expect(opened[0].details).toMatchObject({
        prefix: '+9989377',
        reason: 'low_conversion',
        sends: 50,
        verified: 0,
      });
      const blocks = (await t.admin('GET', '/v1/admin/blocks')).body;
      expect(blocks.destinations).toEqual([
        {
          prefix: '+9989377',
          state: 'open',
          openUntil: new Date(t.clock.now().getTime() + 3600_000).toISOString(),
          probeUntil: null,
        },
      ]);
      expect(await metric(t, /^codeward_sms_breakers_open /)).toBe(1);
      expect(
        await metric(t, /^codeward_sms_refusals_total\{reason="destination_suspended"\}/),
      ).toBe(150);
      await eventually(async () => hook.bodies.some((b) => b.rule === 'sms_breaker_opened'));
      expect(hook.bodies.find((b) => b.rule === 'sms_breaker_opened')).toMatchObject({
        event: 'codeward.alert',
        destination: '+9989377',
        channel: 'sms',
      });
    }, 180_000);

    it('should half-open after SMS_BREAKER_OPEN_SECONDS and close once a probe converts', async () => {
      t.clock.advanceSeconds(3600);
      expect((await t.admin('GET', '/v1/admin/blocks')).body.destinations).toMatchObject([
        { prefix: '+9989377', state: 'half_open' },
      ]);
      for (let i = 0; i < 3; i++) expect((await send(t, pumped(1000 + i))).status).toBe(202);
      const fourth = await send(t, pumped(1003));
      expect(fourth.body).toMatchObject({ code: 'DESTINATION_SUSPENDED', retryAfter: 600 });
      expect((await t.admin('GET', '/v1/admin/blocks')).body.destinations).toMatchObject([
        { prefix: '+9989377', state: 'half_open', probeUntil: expect.any(String) },
      ]);

      expect((await verify(t, pumped(1001))).status).toBe(200);

      await eventually(
        async () => (await t.admin('GET', '/v1/admin/blocks')).body.destinations.length === 0,
      );
      expect((await send(t, pumped(1004))).status).toBe(202);
      const closed = await auditEvents(t, 'sms.breaker_closed');
      expect(closed).toHaveLength(1);
      expect(closed[0].details).toMatchObject({
        prefix: '+9989377',
        reason: 'probes_converted',
        probeSends: 3,
        probeVerified: 1,
      });
      expect(await metric(t, /^codeward_sms_breakers_open /)).toBe(0);
      await eventually(async () => hook.bodies.some((b) => b.rule === 'sms_breaker_closed'));
    });
  });

  describe('the breaker, re-opened, unlocked by an admin and allow-listed', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        env: {
          TRUST_PROXY: 'loopback',
          SMS_BREAKER_MIN_SENDS: '5',
          SMS_BREAKER_OPEN_SECONDS: '60',
          SMS_BREAKER_ALLOW_PREFIXES: '+998 97',
        },
      });
    });
    afterAll(async () => {
      await t.close();
    });

    const pump = async (prefix: string, from: number, n: number) => {
      for (let i = from; i < from + n; i++) await send(t, `${prefix}${String(i).padStart(5, '0')}`);
    };

    it('should open again when the probes do not convert within a code lifetime', async () => {
      await pump('+9989355', 0, 5);
      expect((await send(t, '+998935500099')).body.code).toBe('DESTINATION_SUSPENDED');
      t.clock.advanceSeconds(60);
      await pump('+9989355', 100, 3); // the three probes go out, nobody verifies
      expect(t.sms.outbox.filter((m) => m.to.startsWith('+9989355'))).toHaveLength(8);
      expect((await send(t, '+998935500200')).body).toMatchObject({
        code: 'DESTINATION_SUSPENDED',
        retryAfter: 600,
      });

      t.clock.advanceSeconds(600);
      const reopened = await send(t, '+998935500201');
      expect(reopened.body).toMatchObject({ code: 'DESTINATION_SUSPENDED', retryAfter: 60 });
      const opened = await auditEvents(t, 'sms.breaker_opened');
      expect(opened.map((e) => e.details.reason)).toEqual([
        'probes_not_converted',
        'low_conversion',
      ]);
      expect((await t.admin('GET', '/v1/admin/blocks')).body.destinations).toMatchObject([
        { prefix: '+9989355', state: 'open' },
      ]);
    });

    it('should let an admin close a breaker by prefix or by phone number', async () => {
      await pump('+9989366', 0, 5);
      expect((await send(t, '+998936600099')).body.code).toBe('DESTINATION_SUSPENDED');

      const byNumber = await t.admin('POST', '/v1/admin/unlock', { destination: '+998936612345' });
      expect(byNumber).toMatchObject({ status: 200, body: { unlocked: true } });
      expect((await send(t, '+998936600098')).status).toBe(202);

      const byPrefix = await t.admin('POST', '/v1/admin/unlock', { destination: '+998 93 55' });
      expect(byPrefix.status).toBe(200);
      expect((await send(t, '+998935500300')).status).toBe(202);
      expect((await t.admin('GET', '/v1/admin/blocks')).body.destinations).toEqual([]);

      const unlocks = await auditEvents(t, 'admin.unlock');
      expect(unlocks.map((e) => e.details)).toEqual([
        { target: 'destination', prefix: '+9989355', wasOpen: true },
        { target: 'destination', prefix: '+9989366', wasOpen: true },
      ]);
      const closed = await auditEvents(t, 'sms.breaker_closed');
      expect(closed.map((e) => e.details.reason)).toEqual(['admin', 'admin']);
    });

    it('should refuse a malformed or mixed unlock body with 400', async () => {
      for (const body of [
        { destination: 'abc' },
        { destination: '+99893', ip: '203.0.113.7' },
        { destination: 99893 },
      ]) {
        const res = await t.admin('POST', '/v1/admin/unlock', body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    });

    it('should never suspend an allow-listed prefix', async () => {
      await pump('+9989700', 0, 10);
      expect(t.sms.outbox.filter((m) => m.to.startsWith('+9989700'))).toHaveLength(10);
      expect((await t.admin('GET', '/v1/admin/blocks')).body.destinations).toEqual([]);
    });
  });
});
