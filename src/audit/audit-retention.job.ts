import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '#src/common/clock/clock.js';
import { AppConfig } from '#src/config/app-config.js';
import { AlertRepository } from './alerts/alert.repository.js';
import { AuditEventRepository } from './audit-event.repository.js';

const BATCH = 5_000;
const MAX_BATCHES_PER_RUN = 200;
const DAY_MS = 86_400_000;

/** Deletes audit events older than AUDIT_RETENTION_DAYS, in bounded batches, every hour. */
@Injectable()
export class AuditRetentionJob {
  private readonly logger = new Logger('AuditRetention');
  private running = false;

  constructor(
    private readonly events: AuditEventRepository,
    private readonly alerts: AlertRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Interval('audit-retention', 60 * 60 * 1000)
  async scheduled(): Promise<void> {
    try {
      await this.purge();
    } catch (err) {
      this.logger.error({ err: (err as Error).message }, 'audit purge failed');
    }
  }

  /** One purge run; returns the number of events deleted. Overlapping runs are skipped. */
  async purge(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const now = this.clock.now().getTime();
      const cutoff = new Date(now - this.config.audit.retentionDays * DAY_MS);
      let total = 0;
      for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
        const n = await this.events.purgeBatch(cutoff, BATCH);
        total += n;
        if (n < BATCH) break;
      }
      const markWindow = Math.max(this.config.alerts.windowSeconds * 1000, DAY_MS);
      await this.alerts.purgeMarks(new Date(now - markWindow));
      if (total > 0) this.logger.log({ deleted: total, cutoff }, 'audit events purged');
      return total;
    } finally {
      this.running = false;
    }
  }
}
