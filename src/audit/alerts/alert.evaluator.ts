import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '#src/common/clock/clock.js';
import { AppConfig } from '#src/config/app-config.js';
import {
  AuditEventRepository,
  type StoredAuditEventRow,
} from '#src/audit/audit-event.repository.js';
import { alertChecksFor, type AlertCheck } from './alert-rules.js';
import { AlertRepository } from './alert.repository.js';
import { AlertWebhookNotifier } from './alert-webhook.notifier.js';

const MAX_PENDING = 1_000;
const SHUTDOWN_WAIT_MS = 5_000;
// Counting an IP's events in the window costs more the more events it has, so a flood would pay
// for one count per event. A count is skipped while this instance's own events since the last
// count cannot have reached the threshold; a recount at least this often picks up the events
// other instances recorded meanwhile.
const RECOUNT_MS = 5_000;
const MAX_TRACKED_SUBJECTS = 10_000;
const DROP_LOG_MS = 10_000;

interface SubjectTally {
  countedAt: number;
  counted: number;
  since: number;
}

/**
 * Evaluates the alert rules after an event is stored, off the caller's path: evaluations run one
 * after another in the background, at most MAX_PENDING queued (beyond that they are dropped with
 * a warning). Dedupe is an atomic claim in the database, so several instances raise one alert.
 */
@Injectable()
export class AlertEvaluator implements OnModuleDestroy {
  private readonly logger = new Logger('Alerts');
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private readonly tallies = new Map<string, SubjectTally>();
  private dropped = 0;
  private lastDropLog = -Infinity;

  constructor(
    private readonly alerts: AlertRepository,
    private readonly events: AuditEventRepository,
    private readonly webhook: AlertWebhookNotifier,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  enqueue(event: StoredAuditEventRow): void {
    const checks = alertChecksFor(event, this.config.alerts);
    if (checks.length === 0) return;
    if (this.pending >= MAX_PENDING) {
      this.noteDropped();
      return;
    }
    this.pending++;
    this.tail = this.tail
      .then(() => this.evaluate(event, checks))
      .catch((err: unknown) => {
        this.logger.error({ err: (err as Error).message }, 'alert evaluation failed');
      })
      .finally(() => {
        this.pending--;
      });
  }

  // Under overload, one summary line per DROP_LOG_MS instead of one line per dropped event.
  private noteDropped(): void {
    this.dropped++;
    const now = performance.now();
    if (now - this.lastDropLog < DROP_LOG_MS) return;
    this.lastDropLog = now;
    this.logger.warn({ dropped: this.dropped }, 'alert evaluations dropped: queue full');
    this.dropped = 0;
  }

  /** Resolves once every queued evaluation and webhook POST has finished. */
  async drain(): Promise<void> {
    while (this.pending > 0) await this.tail;
    await this.webhook.drain();
  }

  async onModuleDestroy(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_WAIT_MS);
    });
    await Promise.race([this.drain(), timeout]);
    clearTimeout(timer);
  }

  private async evaluate(event: StoredAuditEventRow, checks: AlertCheck[]): Promise<void> {
    const windowSeconds = this.config.alerts.windowSeconds;
    const to = event.occurredAt;
    const from = new Date(to.getTime() - windowSeconds * 1000);
    for (const check of checks) {
      if (!this.mayHaveCrossed(check, to.getTime())) continue;
      const count = await this.alerts.count(check.rule, check.subject, from, to);
      this.tallies.set(`${check.rule}|${check.subject}`, {
        countedAt: to.getTime(),
        counted: count,
        since: 0,
      });
      if (count < check.threshold) continue;
      const now = this.clock.now();
      if (!(await this.alerts.claim(check.rule, check.subject, now, windowSeconds))) continue;
      await this.raise(event, check, count, now);
    }
  }

  /**
   * False when a count now cannot change anything: this instance's events since the last count
   * cannot have reached the threshold, or it was already over it. Recounts every RECOUNT_MS.
   */
  private mayHaveCrossed(check: AlertCheck, at: number): boolean {
    const key = `${check.rule}|${check.subject}`;
    const tally = this.tallies.get(key);
    if (!tally || at - tally.countedAt >= RECOUNT_MS || at < tally.countedAt) return true;
    tally.since++;
    // Re-insert so the map's order is least recently used first.
    this.tallies.delete(key);
    this.tallies.set(key, tally);
    if (this.tallies.size > MAX_TRACKED_SUBJECTS) {
      this.tallies.delete(this.tallies.keys().next().value!);
    }
    // Already over the threshold at the last count: the alert is raised (or deduped) for this
    // window; the next recount decides about the next window.
    if (tally.counted >= check.threshold) return false;
    return tally.counted + tally.since >= check.threshold;
  }

  private async raise(event: StoredAuditEventRow, check: AlertCheck, count: number, now: Date) {
    const windowSeconds = this.config.alerts.windowSeconds;
    const byIp = check.rule === 'ip_lockouts' || check.rule === 'ip_distinct_recipients';
    const byRecipient = check.rule === 'recipient_lockouts';
    const byDestination =
      check.rule === 'sms_breaker_opened' || check.rule === 'sms_breaker_closed';
    const subject = {
      ip: byIp ? check.subject : undefined,
      recipient: byRecipient ? (event.recipientMasked ?? undefined) : undefined,
      channel:
        byRecipient || byDestination || check.rule === 'delivery_failures' ? event.channel : null,
      destination: byDestination ? check.subject : undefined,
    };
    const details = {
      rule: check.rule,
      count,
      threshold: check.threshold,
      windowSeconds,
      ...(subject.ip ? { ip: subject.ip } : {}),
      ...(subject.recipient ? { recipient: subject.recipient } : {}),
      ...(subject.destination ? { destination: subject.destination } : {}),
      triggeredBy: event.id,
    };
    const id = await this.events.insert({
      occurredAt: now,
      type: 'alert.raised',
      channel: subject.channel,
      purpose: null,
      ip: subject.ip ?? null,
      userAgent: null,
      requestId: event.requestId,
      recipientHash: byRecipient ? event.recipientHash : null,
      recipientMasked: byRecipient ? event.recipientMasked : null,
      details,
    });
    this.logger.warn(details, 'alert raised');
    this.webhook.notify({
      event: 'codeward.alert',
      rule: check.rule,
      count,
      threshold: check.threshold,
      windowSeconds,
      ip: subject.ip,
      recipient: subject.recipient,
      channel: subject.channel ?? undefined,
      destination: subject.destination,
      occurredAt: now.toISOString(),
      auditEventId: id,
    });
  }
}
