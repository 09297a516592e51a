import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_UI_CSP } from '#src/bootstrap/admin-ui.js';
import { AlertEvaluator } from '#src/audit/alerts/alert.evaluator.js';
import { DeliveryError } from '#src/notification/notification.types.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const T0 = Date.parse('2026-04-01T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const PHONE_A = '+998901230001';
const PHONE_B = '+998901230002';
const PHONE_C = '+998901230003';
const EMAIL = 'dash.user@example.com';

// The dashboard's own endpoints, fed by real sends and verifications over HTTP.
describe('admin dashboard API (series, providers, alerts)', () => {
  let t: TestApp;
  const wrong = (c: string) => String((Number(c) + 1) % 10 ** c.length).padStart(c.length, '0');
  const send = (channel: 'sms' | 'email', to: string, ip = '203.0.113.50') =>
    t.post('/v1/otp/send', { channel, to, purpose: 'login' }, { 'x-forwarded-for': ip });
  const verify = (channel: 'sms' | 'email', to: string, code: string, ip = '203.0.113.50') =>
    t.post('/v1/otp/verify', { channel, to, purpose: 'login', code }, { 'x-forwarded-for': ip });

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        TRUST_PROXY: 'loopback',
        OTP_SEND_COOLDOWN_SECONDS: '0',
        OTP_MAX_FAILED_ATTEMPTS: '2',
        ALERT_DELIVERY_FAILURES: '1',
        ALERT_RECIPIENT_LOCKOUTS: '1',
        ALERT_IP_LOCKOUTS: '1000',
        ALERT_IP_DISTINCT_RECIPIENTS: '1000',
      },
    });
    // Bucket 0 (minutes 0-4): A sent and verified at once; B sent, one wrong code, then right.
    t.clock.set(at(1));
    expect((await send('sms', PHONE_A)).status).toBe(202);
    expect((await verify('sms', PHONE_A, t.lastCode(PHONE_A))).status).toBe(200);
    t.clock.set(at(2));
    expect((await send('sms', PHONE_B)).status).toBe(202);
    expect((await verify('sms', PHONE_B, wrong(t.lastCode(PHONE_B)))).status).toBe(422);
    expect((await verify('sms', PHONE_B, t.lastCode(PHONE_B))).status).toBe(200);
    // Bucket 1 (minutes 5-9): an email sent and verified; an SMS no provider accepts.
    t.clock.set(at(6));
    expect((await send('email', EMAIL)).status).toBe(202);
    expect((await verify('email', EMAIL, t.lastCode(EMAIL))).status).toBe(200);
    t.clock.set(at(7));
    t.sms.failWith = new DeliveryError('vendor down', true);
    expect((await send('sms', PHONE_C)).status).toBe(502);
    t.sms.failWith = null;
    // Alerts are evaluated in the background, stamped with the clock's time when they fire.
    await t.app.get(AlertEvaluator, { strict: false }).drain();
    // Bucket 2 (minutes 10-14): C locked after two wrong codes.
    t.clock.set(at(11));
    expect((await send('sms', PHONE_C)).status).toBe(202);
    const c = t.lastCode(PHONE_C);
    expect((await verify('sms', PHONE_C, wrong(c))).status).toBe(422);
    expect((await verify('sms', PHONE_C, wrong(c))).status).toBe(429);
    // Refused from the fast-path cache, without a database round trip (and without an event).
    expect((await verify('sms', PHONE_C, c)).status).toBe(429);
    await t.app.get(AlertEvaluator, { strict: false }).drain();
    t.clock.set(at(30));
  });
  afterAll(async () => {
    await t.close();
  });

  it('should bucket real sends, failures, verifications and lockouts per channel', async () => {
    const res = await t.admin(
      'GET',
      `/v1/admin/stats/series?since=${at(0)}&until=${at(15)}&bucket=300`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      since: at(0),
      until: at(15),
      bucketSeconds: 300,
      buckets: [at(0), at(5), at(10)],
      ipBlocks: [0, 0, 0],
    });
    expect(res.body.channels.sms).toEqual({
      sends: [2, 0, 1],
      deliveryFailures: [0, 1, 0],
      verificationsSucceeded: [2, 0, 0],
      verificationsFailed: [1, 0, 2],
      lockouts: [0, 0, 1],
      codesAttempted: [2, 0, 1],
      firstAttemptVerified: [1, 0, 0],
    });
    expect(res.body.channels.email).toEqual({
      sends: [0, 1, 0],
      deliveryFailures: [0, 0, 0],
      verificationsSucceeded: [0, 1, 0],
      verificationsFailed: [0, 0, 0],
      lockouts: [0, 0, 0],
      codesAttempted: [0, 1, 0],
      firstAttemptVerified: [0, 1, 0],
    });
    // The delivery failure and C's lockout each raised an alert (raised at the clock's now).
    expect(res.body.alerts).toEqual([0, 1, 1]);
  });

  it('should agree with /stats totals over the same window', async () => {
    const q = `since=${at(0)}&until=${at(15)}`;
    const [series, stats] = await Promise.all([
      t.admin('GET', `/v1/admin/stats/series?${q}`),
      t.admin('GET', `/v1/admin/stats?${q}`),
    ]);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(series.body.bucketSeconds).toBe(60);
    expect(series.body.buckets).toHaveLength(15);
    for (const ch of ['sms', 'email'] as const) {
      const s = series.body.channels[ch];
      const total = stats.body.channels[ch];
      expect(sum(s.sends)).toBe(total.sends);
      expect(sum(s.deliveryFailures)).toBe(total.deliveryFailures);
      expect(sum(s.verificationsSucceeded)).toBe(total.verificationsSucceeded);
      expect(sum(s.verificationsFailed)).toBe(total.verificationsFailed);
      expect(sum(s.lockouts)).toBe(total.lockouts);
      expect(sum(s.codesAttempted)).toBe(total.codesAttempted);
      expect(sum(s.firstAttemptVerified)).toBe(total.firstAttemptVerified);
    }
  });

  it('should default to the 24 hours up to now with at most 200 buckets', async () => {
    const res = await t.admin('GET', '/v1/admin/stats/series');
    expect(res.status).toBe(200);
    expect(res.body.until).toBe(new Date(Date.parse(at(30)) + 1).toISOString());
    expect(res.body.bucketSeconds).toBe(900);
    expect(res.body.buckets).toHaveLength(96);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(res.body.channels.sms.sends)).toBe(3);
  });

  it('should report delivery success and latency per provider from the recorded outcomes', async () => {
    const res = await t.admin('GET', `/v1/admin/stats/providers?since=${at(0)}&until=${at(15)}`);
    expect(res.status).toBe(200);
    expect(res.body.providers).toEqual([
      expect.objectContaining({
        channel: 'email',
        provider: 'fake-email',
        attempts: 1,
        accepted: 1,
        failed: 0,
        successRate: 1,
      }),
      expect.objectContaining({
        channel: 'sms',
        provider: 'fake-sms',
        attempts: 4,
        accepted: 3,
        failed: 1,
        timeouts: 0,
        rejected: 0,
        successRate: 0.75,
      }),
    ]);
    for (const p of res.body.providers) {
      expect(typeof p.avgLatencyMs).toBe('number');
      expect(p.p95LatencyMs).toBeGreaterThanOrEqual(p.p50LatencyMs);
    }
    const empty = await t.admin('GET', `/v1/admin/stats/providers?since=${at(20)}&until=${at(25)}`);
    expect(empty.body.providers).toEqual([]);
  });

  it('should list raised alerts newest first with masked subjects and a cursor', async () => {
    const res = await t.admin('GET', '/v1/admin/alerts');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        id: expect.any(String),
        occurredAt: at(11),
        rule: 'recipient_lockouts',
        subject: '+998*******03',
        channel: 'sms',
        count: 1,
        threshold: 1,
        windowSeconds: 600,
      },
      expect.objectContaining({ occurredAt: at(7), rule: 'delivery_failures', subject: 'all' }),
    ]);
    const first = await t.admin('GET', '/v1/admin/alerts?limit=1');
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await t.admin('GET', `/v1/admin/alerts?limit=1&cursor=${first.body.nextCursor}`);
    expect(next.body.items[0].rule).toBe('delivery_failures');
    expect(next.body.nextCursor).toBeNull();
    const narrowed = await t.admin('GET', `/v1/admin/alerts?since=${at(10)}`);
    expect(narrowed.body.items.map((a: { rule: string }) => a.rule)).toEqual([
      'recipient_lockouts',
    ]);
  });

  it('should expose the dashboard metrics on /metrics, counted where the events happen', async () => {
    const text = (await t.get('/metrics')).body as string;
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    // Sends: A, B, C (failed), C again for SMS; one email.
    expect(value('codeward_otp_send_attempts_total{channel="sms"}')).toBe(4);
    expect(value('codeward_otp_send_attempts_total{channel="email"}')).toBe(1);
    expect(value('codeward_otp_events_total{channel="sms",type="sent"}')).toBe(3);
    expect(
      value(
        'codeward_provider_deliveries_total{channel="sms",provider="fake-sms",outcome="accepted"}',
      ),
    ).toBe(3);
    expect(
      value(
        'codeward_provider_deliveries_total{channel="sms",provider="fake-sms",outcome="failed"}',
      ),
    ).toBe(1);
    expect(
      value(
        'codeward_provider_delivery_duration_seconds_count{channel="sms",provider="fake-sms",outcome="accepted"}',
      ),
    ).toBe(3);
    // A and the email right at once; B and C wrong first; B right, C wrong again later.
    const verifies = (channel: string, attempt: string, result: string) =>
      value(
        `codeward_otp_verify_attempts_total{channel="${channel}",attempt="${attempt}",result="${result}"}`,
      ) ?? 0;
    expect(verifies('sms', 'first', 'verified')).toBe(1);
    expect(verifies('sms', 'first', 'failed')).toBe(2);
    expect(verifies('sms', 'later', 'verified')).toBe(1);
    expect(verifies('sms', 'later', 'failed')).toBe(1);
    expect(verifies('email', 'first', 'verified')).toBe(1);
    expect(value('codeward_otp_fast_path_lookups_total{result="hit"}')).toBe(1);
    expect(value('codeward_otp_fast_path_lookups_total{result="miss"}')).toBeGreaterThanOrEqual(11);
    expect(text).toContain('http_request_duration_seconds_bucket{');
  });

  it('should never show a recipient in clear', async () => {
    const bodies = await Promise.all(
      [
        '/v1/admin/alerts',
        '/v1/admin/stats/providers',
        `/v1/admin/stats/series?since=${at(0)}&until=${at(15)}&bucket=60`,
      ].map((p) => t.admin('GET', p)),
    );
    const text = JSON.stringify(bodies.map((b) => b.body));
    for (const r of [PHONE_A, PHONE_B, PHONE_C, PHONE_C.slice(1), EMAIL]) {
      expect(text).not.toContain(r);
    }
  });

  it.each([
    '/v1/admin/stats/series?since=yesterday',
    '/v1/admin/stats/series?until=2026-02-30T00:00:00Z',
    `/v1/admin/stats/series?since=${at(10)}&until=${at(5)}`,
    `/v1/admin/stats/series?since=${at(10)}&until=${at(10)}`,
    '/v1/admin/stats/series?since=2026-01-01T00:00:00Z&until=2026-03-01T00:00:00Z',
    '/v1/admin/stats/series?bucket=7',
    '/v1/admin/stats/series?bucket=abc',
    '/v1/admin/stats/series?bucket=60&bucket=300',
    '/v1/admin/stats/series?since=2026-03-01T00:00:00Z&until=2026-03-31T00:00:00Z&bucket=60',
    '/v1/admin/stats/series?foo=1',
    '/v1/admin/stats/providers?since=not-a-date',
    `/v1/admin/stats/providers?since=${at(10)}&until=${at(5)}`,
    '/v1/admin/stats/providers?since=2025-01-01T00:00:00Z',
    '/v1/admin/alerts?limit=0',
    '/v1/admin/alerts?limit=201',
    '/v1/admin/alerts?limit=1.5',
    '/v1/admin/alerts?cursor=%27%3B--',
    '/v1/admin/alerts?cursor=AAAA',
    `/v1/admin/alerts?since=${at(10)}&until=${at(5)}`,
    '/v1/admin/alerts?type=otp.sent',
  ])('should answer 400 VALIDATION_FAILED to %s', async (path) => {
    const res = await t.admin('GET', path);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });

  it.each(['/v1/admin/stats/series', '/v1/admin/stats/providers', '/v1/admin/alerts'])(
    'should answer 401 without the admin key on %s',
    async (path) => {
      const res = await t.get(path, { authorization: 'Bearer not-the-key-not-the-key' });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHORIZED' });
    },
  );

  it('should serve /admin under its own strict CSP while /docs keeps the Swagger UI policy', async () => {
    for (const path of ['/admin', '/admin/', '/admin/assets/app.js']) {
      const res = await t.get(path);
      // 200 once `npm run build` (or build:ui) has bundled the page; 503 or 404 before.
      expect([200, 404, 503]).toContain(res.status);
      expect(res.headers.get('content-security-policy')).toBe(ADMIN_UI_CSP);
    }
    expect(ADMIN_UI_CSP).not.toContain('unsafe');
    expect(ADMIN_UI_CSP).toContain(`script-src 'self'`);
    const docs = await t.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain(`'unsafe-inline'`);
    const api = await t.admin('GET', '/v1/admin/alerts');
    expect(api.headers.get('content-security-policy')).not.toBe(ADMIN_UI_CSP);
  });

  it('should document the new routes in the OpenAPI document under the admin tag', async () => {
    const doc = (await t.get('/docs-json')).body;
    for (const p of ['/v1/admin/stats/series', '/v1/admin/stats/providers', '/v1/admin/alerts']) {
      expect(doc.paths[p].get.tags).toEqual(['admin']);
      expect(doc.paths[p].get.security).toEqual([{ admin: [] }]);
      expect(Object.keys(doc.paths[p].get.responses)).toEqual(
        expect.arrayContaining(['200', '400', '401']),
      );
      // A valid admin key is never refused because of others' failures (API.md "Admin").
      expect(Object.keys(doc.paths[p].get.responses)).not.toContain('429');
    }
  });
});

describe('first-attempt verification metric with PBKDF2 codes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { OTP_HASH: 'pbkdf2-sha256', OTP_SEND_COOLDOWN_SECONDS: '0' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should count the first and later attempts on a code', async () => {
    const to = '+998901230009';
    const body = { channel: 'sms', to, purpose: 'login' };
    expect((await t.post('/v1/otp/send', body)).status).toBe(202);
    const code = t.lastCode(to);
    const bad = String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');
    expect((await t.post('/v1/otp/verify', { ...body, code: bad })).status).toBe(422);
    expect((await t.post('/v1/otp/verify', { ...body, code })).status).toBe(200);
    const text = (await t.get('/metrics')).body as string;
    expect(text).toContain(
      'codeward_otp_verify_attempts_total{channel="sms",attempt="first",result="failed"} 1',
    );
    expect(text).toContain(
      'codeward_otp_verify_attempts_total{channel="sms",attempt="later",result="verified"} 1',
    );
    expect(text).not.toContain('attempt="first",result="verified"');
  });
});
