import { Injectable } from '@nestjs/common';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { SmsBreakerRepository, type BreakerRow } from './sms-breaker.repository.js';

// How old (by the app's clock) this instance's view of the breakers may get before a send reloads
// it. Another instance's transition reaches this one within this time (or at once through the
// conditional statements, which always read PostgreSQL).
const REFRESH_MS = 1_000;

/**
 * This instance's view of the breakers that are not closed, read from PostgreSQL (the authority)
 * at most once per REFRESH_MS, and updated at once by this instance's own transitions. A send to
 * a prefix with no breaker (nearly all of them) costs no round trip.
 */
@Injectable()
export class BreakerStates {
  private rows = new Map<string, BreakerRow>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly repo: SmsBreakerRepository,
    private readonly metrics: MetricsService,
  ) {}

  async get(prefix: string, now: Date): Promise<BreakerRow | undefined> {
    await this.refreshIfStale(now);
    return this.rows.get(prefix);
  }

  /** Without a reload (the verify path). */
  peek(prefix: string): BreakerRow | undefined {
    return this.rows.get(prefix);
  }

  /** Records a row this instance just read or changed. */
  put(row: BreakerRow): void {
    if (row.state === 'closed') this.rows.delete(row.prefix);
    else this.rows.set(row.prefix, row);
    this.metrics.smsBreakersOpen.set(this.rows.size);
  }

  remove(prefix: string): void {
    this.rows.delete(prefix);
    this.metrics.smsBreakersOpen.set(this.rows.size);
  }

  async refreshIfStale(now: Date): Promise<void> {
    const t = now.getTime();
    if (t - this.loadedAt < REFRESH_MS && t >= this.loadedAt) return;
    await this.load(t);
  }

  /** Reloads now (after a transition another instance made first). */
  async reload(): Promise<void> {
    await this.load(this.loadedAt);
  }

  private async load(t: number): Promise<void> {
    // One reload in flight per instance; concurrent sends share it.
    this.loading ??= this.repo
      .listActive()
      .then((rows) => {
        this.rows = new Map(rows.map((r) => [r.prefix, r]));
        this.loadedAt = t;
        this.metrics.smsBreakersOpen.set(this.rows.size);
      })
      .finally(() => {
        this.loading = null;
      });
    await this.loading;
  }
}
