import { createHmac } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '#src/common/clock/clock.js';
import { maskRecipient } from '#src/common/logging/mask.js';
import { AppConfig } from '#src/config/app-config.js';
import { AlertEvaluator } from './alerts/alert.evaluator.js';
import { scrubDetails } from './audit-details.js';
import { AuditEventRepository, type NewAuditEventRow } from './audit-event.repository.js';
import type { AuditChannel, AuditEventInput } from './audit.types.js';

const cap = (value: string | undefined, max: number): string | null =>
  value === undefined || value === '' ? null : value.slice(0, max);

/** Writes the append-only audit trail. The public API every other module uses. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');
  private readonly recipientKey: Buffer;

  constructor(
    private readonly repo: AuditEventRepository,
    private readonly alerts: AlertEvaluator,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    // A key of its own, derived from the pepper: the audit hash never equals a code hash input.
    this.recipientKey = createHmac('sha256', config.security.otpPepper)
      .update('codeward:audit-recipient:v1')
      .digest();
  }

  /**
   * Inserts one event (occurred_at from the Clock), then evaluates alert rules in the background.
   * Codes, hashes, passwords, tokens and secrets are never written: such `details` keys are dropped.
   * Do not call it while holding an open database transaction on the embedded database (one
   * connection): it would wait for that transaction.
   */
  async record(event: AuditEventInput): Promise<void> {
    const row = this.toRow(event);
    const id = await this.repo.insert(row);
    this.alerts.enqueue({ ...row, id });
  }

  /**
   * For a caller that writes the row in the same statement as the state change it describes
   * (so the two commit together): the row as `record` would insert it, without inserting it.
   */
  prepare(event: AuditEventInput): NewAuditEventRow {
    return this.toRow(event);
  }

  /** Tells the alert rules about a row written through `prepare`. */
  stored(row: NewAuditEventRow, id: string): void {
    this.alerts.enqueue({ ...row, id });
  }

  /** HMAC-SHA256 (hex) of a normalised recipient, as stored in audit_events.recipient_hash. */
  hashRecipient(normalised: string): string {
    return createHmac('sha256', this.recipientKey).update(normalised).digest('hex');
  }

  private toRow(event: AuditEventInput): NewAuditEventRow {
    const { details, dropped } = scrubDetails(event.details);
    if (dropped.length > 0) {
      this.logger.warn({ type: event.type, dropped }, 'secret-looking audit details dropped');
    }
    const recipient = event.recipient?.trim() || undefined;
    const channel: AuditChannel | undefined =
      event.channel ?? (recipient ? (recipient.includes('@') ? 'email' : 'sms') : undefined);
    return {
      occurredAt: this.clock.now(),
      type: event.type,
      channel: channel ?? null,
      purpose: cap(event.purpose, 64),
      ip: cap(event.ip, 64),
      userAgent: cap(event.userAgent, 256),
      requestId: cap(event.requestId, 128),
      recipientHash: recipient ? this.hashRecipient(recipient) : null,
      recipientMasked: recipient && channel ? maskRecipient(channel, recipient) : null,
      details,
    };
  }
}
