import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AlertEvaluator } from '#src/audit/alerts/alert.evaluator.js';
import { AlertRepository } from '#src/audit/alerts/alert.repository.js';
import { AuditRetentionJob } from '#src/audit/audit-retention.job.js';
import { AuditService } from '#src/audit/audit.service.js';
import type { AuditEventInput } from '#src/audit/audit.types.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A local webhook receiver; `mode` decides how it answers. */
class Receiver {
  readonly bodies: any[] = [];
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  private readonly server: Server;
  private readonly hung: ServerResponse[] = [];

  constructor() {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        this.bodies.push({ headers: req.headers, body: JSON.parse(data) });
        if (this.mode === 'hang') return void this.hung.push(res);
        res.statusCode = this.mode === 'ok' ? 204 : 500;
        res.end();
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Bounded poll: resolves once `n` POSTs arrived, fails after 5 s. */
  async waitFor(n: number): Promise<void> {
    for (let i = 0; i < 100 && this.bodies.length < n; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(this.bodies.length).toBeGreaterThanOrEqual(n);
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

describe('alerts on suspicious activity', () => {
  let t: TestApp;
  let ds: DataSource;
  let audit: AuditService;
  let evaluator: AlertEvaluator;
  const receiver = new Receiver();

  const record = (e: AuditEventInput) => audit.record(e);
  const alerts = async (rule?: string) =>
    (await ds.query(`SELECT * FROM audit_events WHERE type = 'alert.raised' ORDER BY id`)).filter(
      (r: any) => !rule || r.details.rule === rule,
    );

  beforeAll(async () => {
    const url = await receiver.listen();
    t = await startTestApp({
      env: {
        ALERT_WEBHOOK_URL: url,
        ALERT_WINDOW_SECONDS: '600',
        ALERT_IP_LOCKOUTS: '3',
        ALERT_IP_DISTINCT_RECIPIENTS: '4',
        ALERT_DELIVERY_FAILURES: '5',
        ALERT_RECIPIENT_LOCKOUTS: '2',
        AUDIT_RETENTION_DAYS: '30',
      },
    });
    ds = t.app.get(DataSource);
    audit = t.app.get(AuditService);
    evaluator = t.app.get(AlertEvaluator, { strict: false });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });
  beforeEach(async () => {
    receiver.bodies.length = 0;
    receiver.mode = 'ok';
    // Each test starts far from the previous one: windows and dedupe marks never overlap.
    t.clock.advanceSeconds(86_400);
    await ds.query('DELETE FROM audit_events');
  });

  it('should raise ip_lockouts once per window when an IP causes N lockouts', async () => {
    const ip = '203.0.113.50';
    for (let i = 0; i < 2; i++) {
      await record({ type: 'otp.locked', channel: 'sms', recipient: `+99890123450${i}`, ip });
      t.clock.advanceSeconds(60);
    }
    await evaluator.drain();
    expect(await alerts('ip_lockouts')).toHaveLength(0);

    await record({ type: 'otp.locked', channel: 'sms', recipient: '+998901234509', ip });
    await record({ type: 'otp.locked', channel: 'sms', recipient: '+998901234508', ip });
    await evaluator.drain();
    const raised = await alerts('ip_lockouts');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      ip,
      details: { rule: 'ip_lockouts', count: 3, threshold: 3, windowSeconds: 600, ip },
    });
    await receiver.waitFor(1);
    expect(receiver.bodies[0].headers['content-type']).toBe('application/json');
    expect(receiver.bodies[0].body).toMatchObject({
      event: 'codeward.alert',
      rule: 'ip_lockouts',
      count: 3,
      ip,
      auditEventId: String(raised[0].id),
    });

    // A new window allows one more alert for the same IP.
    t.clock.advanceSeconds(601);
    for (let i = 0; i < 3; i++) {
      await record({ type: 'otp.locked', channel: 'sms', recipient: `+99890123451${i}`, ip });
    }
    await evaluator.drain();
    expect(await alerts('ip_lockouts')).toHaveLength(2);
    expect(receiver.bodies.filter((b) => b.body.rule === 'ip_lockouts')).toHaveLength(2);
  });

  it('should not count lockouts that fall outside the window', async () => {
    const ip = '203.0.113.51';
    for (let i = 0; i < 3; i++) {
      await record({ type: 'otp.locked', recipient: `+99890123452${i}`, ip });
      t.clock.advanceSeconds(301);
    }
    await evaluator.drain();
    expect(await alerts()).toHaveLength(0);
  });

  it('should raise ip_distinct_recipients on N distinct recipients, not N events', async () => {
    const ip = '203.0.113.52';
    for (let i = 0; i < 6; i++) {
      await record({ type: 'otp.sent', channel: 'sms', recipient: '+998901234530', ip });
    }
    await record({ type: 'otp.verify_failed', channel: 'email', recipient: 'a@example.com', ip });
    await record({ type: 'otp.sent', channel: 'email', recipient: 'b@example.com', ip });
    await record({ type: 'otp.verified', channel: 'email', recipient: 'c@example.com', ip });
    await evaluator.drain();
    expect(await alerts()).toHaveLength(0);

    await record({ type: 'otp.verify_failed', channel: 'email', recipient: 'd@example.com', ip });
    await record({ type: 'otp.sent', channel: 'email', recipient: 'e@example.com', ip });
    await evaluator.drain();
    const raised = await alerts('ip_distinct_recipients');
    expect(raised).toHaveLength(1);
    expect(raised[0].details).toMatchObject({ count: 4, threshold: 4, ip });
  });

  it('should raise delivery_failures on a surge, and recipient_lockouts across IPs', async () => {
    for (let i = 0; i < 5; i++) {
      await record({ type: 'otp.delivery_failed', channel: 'sms', recipient: `+99890123454${i}` });
    }
    await record({
      type: 'otp.locked',
      channel: 'email',
      recipient: 'x@example.com',
      ip: '10.1.1.1',
    });
    await record({
      type: 'otp.locked',
      channel: 'email',
      recipient: 'x@example.com',
      ip: '10.1.1.2',
    });
    await evaluator.drain();
    const surge = await alerts('delivery_failures');
    expect(surge).toHaveLength(1);
    expect(surge[0].details).toMatchObject({ count: 5, threshold: 5 });
    const locked = await alerts('recipient_lockouts');
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({
      recipient_masked: 'x***@example.com',
      recipient_hash: audit.hashRecipient('x@example.com'),
      details: { rule: 'recipient_lockouts', count: 2, recipient: 'x***@example.com' },
    });
    await receiver.waitFor(2);
    expect(JSON.stringify(receiver.bodies)).not.toContain('x@example.com');
    // The admin API finds the alert by the full recipient.
    const res = await t.admin(
      'GET',
      '/v1/admin/audit-events?type=alert.raised&recipient=X%40Example.com',
    );
    expect(res.body.items.map((e: any) => e.details.rule)).toEqual(['recipient_lockouts']);
  });

  it('should never fail or hold up the recording request when the webhook fails or hangs', async () => {
    receiver.mode = 'fail';
    for (let i = 0; i < 5; i++) await record({ type: 'otp.delivery_failed', channel: 'email' });
    await evaluator.drain();
    await receiver.waitFor(1);
    expect(await alerts('delivery_failures')).toHaveLength(1);

    t.clock.advanceSeconds(601);
    receiver.mode = 'hang';
    const started = Date.now();
    for (let i = 0; i < 5; i++) await record({ type: 'otp.delivery_failed', channel: 'email' });
    expect(Date.now() - started).toBeLessThan(1_000);
    await receiver.waitFor(2);
    expect(await alerts('delivery_failures')).toHaveLength(2);
    // The hung POST is abandoned by its 3 s timeout; drain() returns after it.
    const draining = Date.now();
    await evaluator.drain();
    expect(Date.now() - draining).toBeLessThan(4_500);
  });

  it('should let exactly one of many concurrent claims raise an alert', async () => {
    const repo = t.app.get(AlertRepository);
    const now = t.clock.now();
    const wins = await Promise.all(
      Array.from({ length: 20 }, () => repo.claim('ip_lockouts', '198.51.100.99', now, 600)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('should purge events older than the retention period in batches, keeping newer ones', async () => {
    const now = t.clock.now().getTime();
    t.clock.set(new Date(now - 31 * 86_400_000));
    for (let i = 0; i < 7; i++) await record({ type: 'otp.sent', requestId: `old-${i}` });
    t.clock.set(new Date(now - 29 * 86_400_000));
    for (let i = 0; i < 3; i++) await record({ type: 'otp.sent', requestId: `new-${i}` });
    t.clock.set(new Date(now));
    expect(await t.app.get(AuditRetentionJob, { strict: false }).purge()).toBe(7);
    const left = await ds.query(`SELECT request_id FROM audit_events ORDER BY id`);
    expect(left.map((r: any) => r.request_id)).toEqual(['new-0', 'new-1', 'new-2']);
  });
});
