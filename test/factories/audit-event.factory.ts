import type { NewAuditEventRow } from '#src/audit/audit-event.repository.js';

/** A valid audit row (an SMS code sent); override what the test is about. */
export function auditEventRow(overrides: Partial<NewAuditEventRow> = {}): NewAuditEventRow {
  return {
    occurredAt: new Date('2026-01-15T10:00:00.000Z'),
    type: 'otp.sent',
    channel: 'sms',
    purpose: 'login',
    ip: '203.0.113.7',
    userAgent: 'factory',
    requestId: 'req-factory',
    recipientHash: 'a'.repeat(64),
    recipientMasked: '+998*******67',
    details: { verificationId: '00000000-0000-4000-8000-000000000001' },
    ...overrides,
  };
}
