import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AuditService } from '#src/audit/audit.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('AuditService.record', () => {
  let t: TestApp;
  let audit: AuditService;
  let ds: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    audit = t.app.get(AuditService);
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  it('should store one row with a hashed and masked recipient and occurred_at from the Clock', async () => {
    t.clock.set('2026-02-01T12:00:00.000Z');
    await audit.record({
      type: 'otp.sent',
      channel: 'sms',
      purpose: 'login',
      recipient: '+998901234567',
      ip: '203.0.113.7',
      userAgent: 'jest',
      requestId: 'req-1',
      details: { provider: 'fake', verificationId: 'v-1' },
    });
    const rows = await ds.query(`SELECT * FROM audit_events WHERE request_id = 'req-1'`);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row.occurred_at.toISOString()).toBe('2026-02-01T12:00:00.000Z');
    expect(row).toMatchObject({
      type: 'otp.sent',
      channel: 'sms',
      purpose: 'login',
      ip: '203.0.113.7',
      user_agent: 'jest',
      recipient_masked: '+998*******67',
      recipient_hash: audit.hashRecipient('+998901234567'),
      details: { provider: 'fake', verificationId: 'v-1' },
    });
    expect(row.recipient_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain('+998901234567');
  });

  it('should drop secret-looking detail keys at any depth and mask contact values', async () => {
    await audit.record({
      type: 'otp.verify_failed',
      recipient: 'john@example.com',
      requestId: 'req-2',
      details: {
        code: '123456',
        otpCode: '654321',
        password: 'hunter2hunter2',
        verificationToken: 'tok',
        codeHash: 'abc',
        clientSecret: 's',
        nested: { resetToken: 'x', attemptsLeft: 2, email: 'john@example.com' },
        attemptsLeft: 3,
      },
    });
    const [row] = await ds.query(`SELECT * FROM audit_events WHERE request_id = 'req-2'`);
    expect(row.channel).toBe('email');
    expect(row.recipient_masked).toBe('j***@example.com');
    expect(row.details).toEqual({
      nested: { attemptsLeft: 2, email: 'j***@example.com' },
      attemptsLeft: 3,
    });
    for (const secret of ['123456', '654321', 'hunter2', 'tok', 'abc', 'john@example.com']) {
      expect(JSON.stringify(row)).not.toContain(`"${secret}`);
    }
  });
});
