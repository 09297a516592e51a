import { Injectable } from '@nestjs/common';
import { AuditQueryService } from '#src/audit/audit-query.service.js';
import { Clock } from '#src/common/clock/clock.js';
import { validationError } from '#src/common/errors/app-error.js';
import { resolveAdminRange } from './admin-range.js';
import { AdminSeriesRepository } from './admin-series.repository.js';
import {
  ALERTS_DEFAULT_LIMIT,
  type AdminAlertDto,
  type AdminAlertPageDto,
  type AdminAlertsQueryDto,
} from './dto/admin-alerts.dto.js';
import {
  SERIES_BUCKETS,
  SERIES_MAX_BUCKETS,
  type AdminProviderStatsDto,
  type AdminRangeQueryDto,
  type AdminSeriesDto,
  type AdminSeriesQueryDto,
  type ChannelSeriesDto,
} from './dto/admin-series.dto.js';

const DEFAULT_MAX_BUCKETS = 200;

const CHANNEL_FIELD: Record<string, keyof ChannelSeriesDto | undefined> = {
  'otp.sent': 'sends',
  'otp.delivery_failed': 'deliveryFailures',
  'otp.verified': 'verificationsSucceeded',
  'otp.verify_failed': 'verificationsFailed',
  'otp.locked': 'lockouts',
};

/** The dashboard's aggregates: time-bucketed counts, provider delivery stats, raised alerts. */
@Injectable()
export class AdminSeriesService {
  constructor(
    private readonly repo: AdminSeriesRepository,
    private readonly audit: AuditQueryService,
    private readonly clock: Clock,
  ) {}

  async series(q: AdminSeriesQueryDto): Promise<AdminSeriesDto> {
    const { since, until } = resolveAdminRange(this.clock.now(), q.since, q.until);
    const span = until.getTime() - since.getTime();
    const bucket =
      q.bucket ??
      SERIES_BUCKETS.find((b) => Math.ceil(span / (b * 1000)) <= DEFAULT_MAX_BUCKETS) ??
      SERIES_BUCKETS[SERIES_BUCKETS.length - 1];
    const count = Math.ceil(span / (bucket * 1000));
    if (count > SERIES_MAX_BUCKETS) {
      throw validationError([
        {
          field: 'bucket',
          problem: `bucket too narrow: ${count} buckets, at most ${SERIES_MAX_BUCKETS} allowed`,
        },
      ]);
    }
    const zeros = () => new Array<number>(count).fill(0);
    const channel = (): ChannelSeriesDto => ({
      sends: zeros(),
      deliveryFailures: zeros(),
      verificationsSucceeded: zeros(),
      verificationsFailed: zeros(),
      lockouts: zeros(),
      codesAttempted: zeros(),
      firstAttemptVerified: zeros(),
    });
    const out: AdminSeriesDto = {
      since: since.toISOString(),
      until: until.toISOString(),
      bucketSeconds: bucket,
      buckets: Array.from({ length: count }, (_, i) =>
        new Date(since.getTime() + i * bucket * 1000).toISOString(),
      ),
      channels: { sms: channel(), email: channel() },
      ipBlocks: zeros(),
      alerts: zeros(),
    };
    const inRange = (i: number) => i >= 0 && i < count;
    const [counts, firsts] = await Promise.all([
      this.repo.counts(since, until, bucket),
      this.repo.firstAttempts(since, until, bucket),
    ]);
    for (const r of counts) {
      if (!inRange(r.bucket)) continue;
      if (r.type === 'ip.blocked') out.ipBlocks[r.bucket] += r.n;
      else if (r.type === 'alert.raised') out.alerts[r.bucket] += r.n;
      const field = CHANNEL_FIELD[r.type];
      if (field && (r.channel === 'sms' || r.channel === 'email')) {
        out.channels[r.channel][field][r.bucket] += r.n;
      }
    }
    for (const r of firsts) {
      if (!inRange(r.bucket) || (r.channel !== 'sms' && r.channel !== 'email')) continue;
      out.channels[r.channel].codesAttempted[r.bucket] += r.attempted;
      out.channels[r.channel].firstAttemptVerified[r.bucket] += r.firstOk;
    }
    return out;
  }

  async providers(q: AdminRangeQueryDto): Promise<AdminProviderStatsDto> {
    const { since, until } = resolveAdminRange(this.clock.now(), q.since, q.until);
    const rows = await this.repo.providers(since, until);
    const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
    return {
      since: since.toISOString(),
      until: until.toISOString(),
      providers: rows.map((r) => ({
        channel: r.channel,
        provider: r.provider,
        attempts: r.attempts,
        accepted: r.accepted,
        failed: r.failed,
        timeouts: r.timeouts,
        rejected: r.rejected,
        successRate: r.attempts === 0 ? null : r.accepted / r.attempts,
        avgLatencyMs: round(r.avgMs),
        p50LatencyMs: round(r.p50Ms),
        p95LatencyMs: round(r.p95Ms),
      })),
    };
  }

  async alerts(q: AdminAlertsQueryDto): Promise<AdminAlertPageDto> {
    const since = q.since === undefined ? undefined : new Date(q.since);
    const until = q.until === undefined ? undefined : new Date(q.until);
    if (since && until && since.getTime() >= until.getTime()) {
      throw validationError([{ field: 'until', problem: 'until must be later than since' }]);
    }
    const page = await this.audit.list({
      type: 'alert.raised',
      since,
      until,
      limit: q.limit ?? ALERTS_DEFAULT_LIMIT,
      cursor: q.cursor,
    });
    return {
      items: page.items.map((r): AdminAlertDto => {
        const d = r.details ?? {};
        const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
        const int = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
        return {
          id: r.id,
          occurredAt: r.occurredAt.toISOString(),
          rule: str(d.rule) ?? 'unknown',
          // Recipient subjects are stored masked only (the alert row holds no clear recipient).
          subject:
            str(d.ip) ?? r.recipientMasked ?? str(d.recipient) ?? str(d.destination) ?? 'all',
          channel: r.channel,
          count: int(d.count),
          threshold: int(d.threshold),
          windowSeconds: int(d.windowSeconds),
        };
      }),
      nextCursor: page.nextCursor,
    };
  }
}
