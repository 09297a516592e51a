import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AuditService } from '#src/audit/audit.service.js';
import type { AuditEventInput } from '#src/audit/audit.types.js';
import { ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app.js';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const PHONE = '+998901234567';
const PHONE_2 = '+998911112233';
const EMAIL = 'john@example.com';

interface Seed extends AuditEventInput {
  minute: number;
}

/** 40 events over 40 minutes; three share minute 30 to exercise the id tie-break. */
function seeds(): Seed[] {
  const out: Seed[] = [];
  for (let i = 0; i < 40; i++) {
    const sms = i % 3 !== 0;
    out.push({
      minute: i === 31 || i === 32 ? 30 : i,
      type: (['otp.sent', 'otp.verify_failed', 'otp.verified', 'ip.blocked'] as const)[i % 4],
      channel: sms ? 'sms' : 'email',
      recipient: sms ? (i % 2 === 0 ? PHONE : PHONE_2) : EMAIL,
      purpose: i % 5 === 0 ? 'password_reset' : 'login',
      ip: i % 2 === 0 ? '203.0.113.1' : '198.51.100.2',
      requestId: `seed-${i}`,
      details: { n: i },
    });
  }
  return out;
}

describe('admin API', () => {
  let t: TestApp;
  let ds: DataSource;
  const all = seeds();
  const ids = (items: { requestId: string }[]) => items.map((e) => e.requestId);
  const expected = (pred: (s: Seed) => boolean) =>
    all
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => pred(s))
      .sort((a, b) => b.s.minute - a.s.minute || b.i - a.i)
      .map(({ s }) => s.requestId);
  const seeded = (body: { items: { requestId: string }[] }) =>
    body.items.filter((e) => e.requestId?.startsWith('seed-'));

  beforeAll(async () => {
    t = await startTestApp({
      env: { ADMIN_AUTH_MAX_FAILURES_PER_MINUTE: '3', TRUST_PROXY: 'loopback' },
    });
    ds = t.app.get(DataSource);
    const audit = t.app.get(AuditService);
    for (const { minute, ...event } of all) {
      t.clock.set(at(minute));
      await audit.record(event);
    }
    t.clock.set(at(60));
  });
  afterAll(async () => {
    await t.close();
  });

  describe('authentication', () => {
    it('should answer 401 UNAUTHORIZED without a key, with a wrong key or scheme, and audit it', async () => {
      const attempts: [string, Record<string, string>, string][] = [
        ['192.0.2.11', {}, 'missing'],
        ['192.0.2.12', { authorization: 'Bearer wrong-key-wrong-key-wrong-key' }, 'invalid'],
        ['192.0.2.13', { authorization: `Basic ${ADMIN_KEY}` }, 'invalid'],
        ['192.0.2.14', { authorization: `Bearer ${ADMIN_KEY}x` }, 'invalid'],
        ['192.0.2.15', { authorization: `Bearer ${ADMIN_KEY.slice(0, -1)}` }, 'invalid'],
      ];
      for (const [ip, headers, reason] of attempts) {
        const res = await t.get('/v1/admin/stats', { ...headers, 'x-forwarded-for': ip });
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
        const rows = await ds.query(
          `SELECT details, request_id FROM audit_events WHERE type = 'admin.auth_failed' AND ip = $1`,
          [ip],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0].details).toEqual({ reason, failures: 1 });
        expect(rows[0].request_id).toBe(res.headers.get('x-request-id'));
      }
    });

    it('should guard every admin route', async () => {
      for (const [method, path] of [
        ['GET', '/v1/admin/audit-events'],
        ['GET', '/v1/admin/stats'],
      ]) {
        const res = await t.request(method, path, undefined, { 'x-forwarded-for': '192.0.2.20' });
        expect(res.status).toBe(401);
      }
    });
  });

  describe('GET /v1/admin/audit-events', () => {
    const list = async (query: string) => {
      const res = await t.admin('GET', `/v1/admin/audit-events?limit=500&${query}`);
      expect(res.status).toBe(200);
      return ids(seeded(res.body));
    };

    it('should list newest first with masked recipients and the contract fields only', async () => {
      const res = await t.admin('GET', '/v1/admin/audit-events?limit=500&until=' + at(41));
      expect(res.status).toBe(200);
      expect(ids(res.body.items)).toEqual(expected(() => true));
      const first = res.body.items[0];
      expect(Object.keys(first).sort()).toEqual([
        'channel',
        'details',
        'id',
        'ip',
        'occurredAt',
        'purpose',
        'recipient',
        'requestId',
        'type',
      ]);
      expect(first).toMatchObject({
        occurredAt: at(39),
        type: 'ip.blocked',
        channel: 'email',
        recipient: 'j***@example.com',
        ip: '198.51.100.2',
        requestId: 'seed-39',
        details: { n: 39 },
      });
      expect(JSON.stringify(res.body)).not.toContain(PHONE);
      expect(JSON.stringify(res.body)).not.toContain(EMAIL);
    });

    it('should default to 50 items and cap limit at 500', async () => {
      const res = await t.admin('GET', '/v1/admin/audit-events');
      expect(res.body.items.length).toBeLessThanOrEqual(50);
      const over = await t.admin('GET', '/v1/admin/audit-events?limit=501');
      expect(over.status).toBe(400);
      expect(over.body.code).toBe('VALIDATION_FAILED');
    });

    it('should filter by type, channel, purpose and ip', async () => {
      expect(await list('type=otp.verified')).toEqual(expected((s) => s.type === 'otp.verified'));
      expect(await list('channel=email')).toEqual(expected((s) => s.channel === 'email'));
      expect(await list('purpose=password_reset')).toEqual(
        expected((s) => s.purpose === 'password_reset'),
      );
      expect(await list('ip=203.0.113.1')).toEqual(expected((s) => s.ip === '203.0.113.1'));
      expect(await list('type=otp.sent&channel=sms&ip=203.0.113.1')).toEqual(
        expected((s) => s.type === 'otp.sent' && s.channel === 'sms' && s.ip === '203.0.113.1'),
      );
      expect(await list('type=account.activated')).toEqual([]);
    });

    it('should filter by the full recipient as typed, in any accepted spelling', async () => {
      const phone = expected((s) => s.recipient === PHONE);
      expect(phone.length).toBeGreaterThan(0);
      for (const spelling of [
        '+998 90 123 45 67',
        '998901234567',
        '90 123 45 67',
        '+998-90-123-45-67',
      ]) {
        expect(await list(`recipient=${encodeURIComponent(spelling)}`)).toEqual(phone);
        expect(await list(`channel=sms&recipient=${encodeURIComponent(spelling)}`)).toEqual(phone);
      }
      const email = expected((s) => s.recipient === EMAIL);
      expect(await list(`recipient=${encodeURIComponent(' John@Example.COM ')}`)).toEqual(email);
      expect(
        await list(`recipient=${encodeURIComponent('+998 91 111 22 33')}&type=otp.sent`),
      ).toEqual(expected((s) => s.recipient === PHONE_2 && s.type === 'otp.sent'));
      expect(await list('recipient=nobody%40example.com')).toEqual([]);
    });

    it('should filter by since (inclusive) and until (exclusive)', async () => {
      expect(await list(`since=${at(10)}&until=${at(20)}`)).toEqual(
        expected((s) => s.minute >= 10 && s.minute < 20),
      );
      expect(await list(`since=${at(30)}&until=${at(31)}`)).toEqual([
        'seed-32',
        'seed-31',
        'seed-30',
      ]);
    });

    it('should page with disjoint, complete pages in order', async () => {
      for (const [query, pred] of [
        ['', () => true],
        ['&channel=sms', (s: Seed) => s.channel === 'sms'],
        [`&recipient=${encodeURIComponent(PHONE)}`, (s: Seed) => s.recipient === PHONE],
      ] as [string, (s: Seed) => boolean][]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res: any = await t.admin(
            'GET',
            `/v1/admin/audit-events?limit=7&until=${at(41)}${query}` +
              (cursor ? `&cursor=${cursor}` : ''),
          );
          expect(res.status).toBe(200);
          expect(res.body.items.length).toBeLessThanOrEqual(7);
          seen.push(...ids(res.body.items));
          cursor = res.body.nextCursor;
          pages++;
          if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        } while (cursor && pages < 20);
        const want = expected(pred);
        expect(seen).toEqual(want);
        expect(new Set(seen).size).toBe(seen.length);
        expect(pages).toBe(Math.max(1, Math.ceil(want.length / 7)));
      }
    });

    it('should not shift pages when newer events arrive between requests', async () => {
      const first = await t.admin('GET', `/v1/admin/audit-events?limit=5&until=${at(41)}`);
      await t.app.get(AuditService).record({ type: 'otp.sent', requestId: 'late-arrival' });
      const second = await t.admin(
        'GET',
        `/v1/admin/audit-events?limit=5&until=${at(41)}&cursor=${first.body.nextCursor}`,
      );
      expect([...ids(first.body.items), ...ids(second.body.items)]).toEqual(
        expected(() => true).slice(0, 10),
      );
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=2.5', 'limit'],
      ['type=otp.nope', 'type'],
      ['channel=fax', 'channel'],
      ['ip=not-an-ip', 'ip'],
      ['purpose=Bad-Purpose', 'purpose'],
      ['since=yesterday', 'since'],
      ['until=2026-13-01T00:00:00Z', 'until'],
      ['cursor=%%%', 'cursor'],
      ['cursor=bm90LWpzb24', 'cursor'],
      ['cursor=WyJ4IiwiMSJd', 'cursor'],
      ['recipient=12', 'recipient'],
      ['recipient=not-an-email%40', 'recipient'],
      ['since=2026-03-01T01:00:00Z&until=2026-03-01T00:00:00Z', 'until'],
      ['type=otp.sent&type=otp.verified', 'type'],
      ['unknown=1', 'unknown'],
    ])('should answer 400 VALIDATION_FAILED for %s', async (query, field) => {
      const res = await t.admin('GET', `/v1/admin/audit-events?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: any) => d.field)).toContain(field);
    });
  });

  describe('GET /v1/admin/stats', () => {
    it('should count per channel over the window with a defined first-attempt rate', async () => {
      const audit = t.app.get(AuditService);
      const base = Date.parse('2026-04-01T00:00:00.000Z');
      const sms = { channel: 'sms' as const, recipient: PHONE, purpose: 'login', ip: '10.0.0.1' };
      const email = { channel: 'email' as const, recipient: EMAIL, purpose: 'login' };
      const steps: [number, AuditEventInput][] = [
        // sms: A right first time; B wrong then right; C wrong twice; D wrong -> locked
        [1, { ...sms, type: 'otp.sent', details: { verificationId: 'A' } }],
        [2, { ...sms, type: 'otp.verified', details: { verificationId: 'A' } }],
        [3, { ...sms, type: 'otp.sent', details: { verificationId: 'B' } }],
        [4, { ...sms, type: 'otp.verify_failed', details: { verificationId: 'B' } }],
        [5, { ...sms, type: 'otp.verified', details: { verificationId: 'B' } }],
        [6, { ...sms, type: 'otp.sent', details: { verificationId: 'C' } }],
        [7, { ...sms, type: 'otp.verify_failed', details: { verificationId: 'C' } }],
        [8, { ...sms, type: 'otp.verify_failed', details: { verificationId: 'C' } }],
        [9, { ...sms, type: 'otp.sent', details: { verificationId: 'D' } }],
        [10, { ...sms, type: 'otp.verify_failed', details: { verificationId: 'D' } }],
        [10, { ...sms, type: 'otp.locked', details: { verificationId: 'D' } }],
        [11, { ...sms, type: 'otp.delivery_failed', details: { verificationId: 'E' } }],
        // email: F right first time, G right first time, one delivery failure
        [12, { ...email, type: 'otp.sent', details: { verificationId: 'F' } }],
        [13, { ...email, type: 'otp.verified', details: { verificationId: 'F' } }],
        [14, { ...email, type: 'otp.sent', details: { verificationId: 'G' } }],
        [15, { ...email, type: 'otp.verified', details: { verificationId: 'G' } }],
        [16, { ...email, type: 'otp.delivery_failed', details: { verificationId: 'H' } }],
        [17, { type: 'ip.blocked', ip: '10.0.0.1', details: { endpoint: '/v1/otp/verify' } }],
        [18, { type: 'ip.blocked', ip: '10.0.0.2', details: { endpoint: '/v1/otp/send' } }],
        [19, { type: 'token.consumed', ...sms }],
        // outside the window below
        [0, { ...sms, type: 'otp.sent', details: { verificationId: 'Z' } }],
        [60, { ...email, type: 'otp.verified', details: { verificationId: 'Y' } }],
      ];
      for (const [minute, event] of steps) {
        t.clock.set(new Date(base + minute * 60_000));
        await audit.record(event);
      }
      const since = new Date(base + 60_000).toISOString();
      const until = new Date(base + 60 * 60_000).toISOString();
      const res = await t.admin('GET', `/v1/admin/stats?since=${since}&until=${until}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        since,
        until,
        channels: {
          sms: {
            sends: 4,
            deliveryFailures: 1,
            verificationsSucceeded: 2,
            verificationsFailed: 4,
            lockouts: 1,
            codesAttempted: 4,
            firstAttemptVerified: 1,
            firstAttemptSuccessRate: 0.25,
          },
          email: {
            sends: 2,
            deliveryFailures: 1,
            verificationsSucceeded: 2,
            verificationsFailed: 0,
            lockouts: 0,
            codesAttempted: 2,
            firstAttemptVerified: 2,
            firstAttemptSuccessRate: 1,
          },
        },
        ipBlocks: 2,
        loginThrottles: 0,
      });
    });

    it('should answer zeros and a null rate for an empty window, defaulting to the last 24 h', async () => {
      t.clock.set('2030-01-01T00:00:00.000Z');
      const res = await t.admin('GET', '/v1/admin/stats');
      expect(res.status).toBe(200);
      expect(res.body.since).toBe('2029-12-31T00:00:00.001Z');
      expect(res.body.until).toBe('2030-01-01T00:00:00.001Z');
      expect(res.body.channels.sms).toMatchObject({ sends: 0, firstAttemptSuccessRate: null });
      expect(res.body.ipBlocks).toBe(0);
      t.clock.set(at(60));
    });

    it('should reject a bad range', async () => {
      const res = await t.admin('GET', `/v1/admin/stats?since=${at(10)}&until=${at(5)}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect((await t.admin('GET', '/v1/admin/stats?since=now')).status).toBe(400);
    });
  });

  describe('OpenAPI', () => {
    it('should document the admin routes with the bearer scheme, tag and error answers', async () => {
      const doc = (await t.get('/docs-json')).body;
      for (const path of ['/v1/admin/audit-events', '/v1/admin/stats']) {
        const op = doc.paths[path].get;
        expect(op.tags).toEqual(['admin']);
        expect(op.security).toEqual([{ admin: [] }]);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
        // A wrong key is never throttled (API.md "Admin"): no 429 to document.
        expect(Object.keys(op.responses)).not.toContain('429');
      }
      const stats = doc.components.schemas.ChannelStatsDto.properties.firstAttemptSuccessRate;
      expect(stats.description).toMatch(/firstAttemptVerified \/ codesAttempted/);
      expect(doc.components.schemas.AuditEventPageDto.properties.nextCursor.nullable).toBe(true);
    });
  });
});
