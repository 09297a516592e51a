import { describe, expect, it } from '@jest/globals';
import { Clock } from '#src/common/clock/clock.js';
import { buildAppConfig } from '#src/config/app-config.js';
import type {
  AuditEventRepository,
  StoredAuditEventRow,
} from '#src/audit/audit-event.repository.js';
import type { AlertRepository } from './alert.repository.js';
import type { AlertWebhookNotifier } from './alert-webhook.notifier.js';
import { AlertEvaluator } from './alert.evaluator.js';

class StepClock extends Clock {
  constructor(public ms: number) {
    super();
  }
  now(): Date {
    return new Date(this.ms);
  }
}

/** An in-memory stand-in for the alert repository: counts distinct recipients per IP. */
function setup() {
  const events: StoredAuditEventRow[] = [];
  let counts = 0;
  const alerts = {
    count: (_rule: string, subject: string, from: Date, to: Date) => {
      counts++;
      const seen = events.filter(
        (e) => e.ip === subject && e.occurredAt >= from && e.occurredAt <= to,
      );
      return Promise.resolve(new Set(seen.map((e) => e.recipientHash)).size);
    },
    claim: () => Promise.resolve(true),
  } as unknown as AlertRepository;
  const raised: unknown[] = [];
  const repo = {
    insert: (row: unknown) => (raised.push(row), Promise.resolve('1')),
  } as unknown as AuditEventRepository;
  const webhook = {
    notify: () => undefined,
    drain: () => Promise.resolve(),
  } as unknown as AlertWebhookNotifier;
  const clock = new StepClock(Date.parse('2026-01-15T10:00:00Z'));
  const config = buildAppConfig({
    OTP_PEPPER: 'p'.repeat(32),
    TOKEN_SECRET: 't'.repeat(32),
    ADMIN_API_KEYS: 'k'.repeat(24),
    DATA_DIR: 'memory://',
    ALERT_IP_DISTINCT_RECIPIENTS: '10',
  });
  const sut = new AlertEvaluator(alerts, repo, webhook, clock, config);
  const record = (recipient: string) => {
    const e = {
      id: String(events.length + 1),
      occurredAt: clock.now(),
      type: 'otp.verify_failed',
      channel: 'sms',
      purpose: 'login',
      ip: '203.0.113.9',
      userAgent: null,
      requestId: null,
      recipientHash: recipient,
      recipientMasked: null,
      details: {},
    } as StoredAuditEventRow;
    events.push(e);
    sut.enqueue(e);
  };
  return { sut, record, clock, raised, counts: () => counts };
}

describe(AlertEvaluator.name, () => {
  it('should not count on every event of a flood that cannot reach the threshold', async () => {
    const { sut, record, counts, raised } = setup();
    for (let i = 0; i < 300; i++) record('same-recipient');
    await sut.drain();
    expect(raised).toHaveLength(0);
    expect(counts()).toBeLessThanOrEqual(40);
  });

  it('should still raise on the event that reaches the threshold on one instance', async () => {
    const { sut, record, raised } = setup();
    for (let i = 0; i < 9; i++) record(`r${i}`);
    await sut.drain();
    expect(raised).toHaveLength(0);
    record('r9');
    await sut.drain();
    expect(raised).toHaveLength(1);
  });

  it('should recount after a few seconds to see events other instances recorded', async () => {
    const { sut, record, clock, counts } = setup();
    record('a');
    await sut.drain();
    const before = counts();
    record('a');
    await sut.drain();
    expect(counts()).toBe(before);
    clock.ms += 5_000;
    record('a');
    await sut.drain();
    expect(counts()).toBe(before + 1);
  });
});
