import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AlertEvaluator } from '#src/audit/alerts/alert.evaluator.js';
import { ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app.js';

// API.md "Admin": a missing or wrong key answers 401 every time; a valid key is never refused
// because of other requests' failures; failures are audited (at a bounded rate) and alerted on.
const PER_CLIENT = 3;
const IN_ALL = 10;
const ALERT_AT = 5;

describe('admin authentication (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  const wrong = (ip: string) => ({
    authorization: 'Bearer not-the-key-not-the-key-not-the-key',
    'x-forwarded-for': ip,
  });
  const good = (ip: string) => ({ authorization: `Bearer ${ADMIN_KEY}`, 'x-forwarded-for': ip });
  const auditRows = async (ip?: string): Promise<{ ip: string; details: any }[]> =>
    ds.query(
      `SELECT ip, details FROM audit_events WHERE type = 'admin.auth_failed'
       AND ($1::text IS NULL OR ip = $1) ORDER BY id`,
      [ip ?? null],
    );
  // Each test starts a fresh one-minute window of the failure counters.
  const nextMinute = () => t.clock.advanceSeconds(61);

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        TRUST_PROXY: 'loopback',
        ADMIN_AUTH_MAX_FAILURES_PER_MINUTE: String(PER_CLIENT),
        ADMIN_AUTH_AUDIT_MAX_PER_MINUTE: String(IN_ALL),
        ALERT_ADMIN_AUTH_FAILURES: String(ALERT_AT),
        ALERT_WINDOW_SECONDS: '600',
      },
    });
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  it('should answer 401 to every wrong key from one address and 200 to a valid key from it', async () => {
    nextMinute();
    const ip = '192.0.2.30';
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 4 === 0
          ? t.get('/v1/admin/stats', { 'x-forwarded-for': ip })
          : t.get('/v1/admin/audit-events', wrong(ip)),
      ),
    );
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
      expect(a.headers.get('retry-after')).toBeNull();
    }

    expect((await t.get('/v1/admin/stats', good(ip))).status).toBe(200);
    expect((await t.get('/v1/admin/stats', wrong(ip))).status).toBe(401);
    expect((await t.get('/v1/admin/blocks', good(ip))).status).toBe(200);

    // Every failure was counted; only the first PER_CLIENT of the minute were written.
    const rows = await auditRows(ip);
    expect(rows).toHaveLength(PER_CLIENT);
    expect(rows.map((r) => r.details.failures).sort()).toEqual([1, 2, 3]);
    const [count] = await ds.query(`SELECT failures FROM admin_auth_failures WHERE ip = $1`, [ip]);
    expect(count.failures).toBe(41);
  });

  it('should bound the audit rows of a flood from many addresses, per minute', async () => {
    nextMinute();
    const before = (await auditRows()).length;
    const flood = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        t.get('/v1/admin/stats', wrong(`198.51.100.${Math.floor(i / 2) + 1}`)),
      ),
    );
    expect(new Set(flood.map((a) => a.status))).toEqual(new Set([401]));
    expect((await auditRows()).length - before).toBe(IN_ALL);
    expect((await t.get('/v1/admin/stats', good('198.51.100.1'))).status).toBe(200);

    // A new minute writes again, within the same bounds.
    nextMinute();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.get('/v1/admin/stats', wrong(`198.51.100.${i + 1}`))),
    );
    expect((await auditRows()).length - before).toBe(2 * IN_ALL);
  });

  it('should count an IPv6 /64 as one client and audit its network', async () => {
    nextMinute();
    const answers = [];
    for (let i = 1; i <= 6; i++) {
      answers.push(await t.get('/v1/admin/stats', wrong(`2001:db8:0:7::${i.toString(16)}`)));
    }
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(401));
    const rows = await auditRows('2001:db8:0:7::/64');
    expect(rows.map((r) => r.details.failures)).toEqual([1, 2, 3]);
    expect(await auditRows('2001:db8:0:7::1')).toEqual([]);
    expect((await t.get('/v1/admin/stats', good('2001:db8:0:7::1'))).status).toBe(200);
  });

  it('should raise one admin_auth_failures alert when failures spike', async () => {
    await t.app.get(AlertEvaluator, { strict: false }).drain();
    const alerts = (
      await ds.query(`SELECT details FROM audit_events WHERE type = 'alert.raised' ORDER BY id`)
    ).filter((r: { details: { rule: string } }) => r.details.rule === 'admin_auth_failures');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].details).toMatchObject({
      rule: 'admin_auth_failures',
      threshold: ALERT_AT,
      windowSeconds: 600,
    });
    expect(alerts[0].details.count).toBeGreaterThanOrEqual(ALERT_AT);
  });
});
