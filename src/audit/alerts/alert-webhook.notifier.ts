import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#src/config/app-config.js';

const TIMEOUT_MS = 3_000;
const MAX_IN_FLIGHT = 32;

export interface AlertSummary {
  event: 'codeward.alert';
  rule: string;
  count: number;
  threshold: number;
  windowSeconds: number;
  ip?: string;
  /** Masked. */
  recipient?: string;
  channel?: string;
  /** SMS-pumping breaker alerts: the destination prefix. */
  destination?: string;
  occurredAt: string;
  auditEventId: string;
}

/**
 * POSTs alert summaries to ALERT_WEBHOOK_URL, fire-and-forget: a bounded number in flight, each
 * with a timeout; failures are logged and never reach the request that triggered the alert.
 */
@Injectable()
export class AlertWebhookNotifier {
  private readonly logger = new Logger('AlertWebhook');
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly config: AppConfig) {}

  notify(summary: AlertSummary): void {
    const url = this.config.alerts.webhookUrl;
    if (!url) return;
    if (this.inFlight.size >= MAX_IN_FLIGHT) {
      this.logger.warn({ rule: summary.rule }, 'alert webhook dropped: too many in flight');
      return;
    }
    const p: Promise<void> = this.post(url, summary).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Resolves when every POST started so far has finished (tests, shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async post(url: string, summary: AlertSummary): Promise<void> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(summary),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.body?.cancel();
      if (!res.ok) {
        this.logger.warn({ rule: summary.rule, status: res.status }, 'alert webhook refused');
      }
    } catch (err) {
      this.logger.warn({ rule: summary.rule, err: (err as Error).message }, 'alert webhook failed');
    }
  }
}
