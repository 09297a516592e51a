import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryRows } from '#src/common/database/query.js';

export const SERIES_EVENT_TYPES = [
  'otp.sent',
  'otp.delivery_failed',
  'otp.verified',
  'otp.verify_failed',
  'otp.locked',
  'ip.blocked',
  'alert.raised',
] as const;

export interface SeriesCountRow {
  bucket: number;
  type: string;
  channel: string | null;
  n: number;
}

export interface SeriesFirstAttemptRow {
  bucket: number;
  channel: string;
  attempted: number;
  firstOk: number;
}

export interface ProviderStatsRow {
  channel: string;
  provider: string;
  attempts: number;
  accepted: number;
  failed: number;
  timeouts: number;
  rejected: number;
  avgMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

// Bucket index = whole bucketSeconds since `since`; the caller turns indexes into start times.
const COUNTS_SQL = `
SELECT floor(extract(epoch FROM (occurred_at - $1::timestamptz)) / $3)::int AS bucket,
  type, channel, count(*)::int AS n
FROM audit_events
WHERE occurred_at >= $1 AND occurred_at < $2 AND type = ANY($4::text[])
GROUP BY 1, 2, 3`;

// A code counts in the bucket of its first attempt; first-time-right = verified, never failed.
const FIRST_ATTEMPT_SQL = `
WITH codes AS (
  SELECT channel, details->>'verificationId' AS vid, min(occurred_at) AS first_at,
    bool_or(type = 'otp.verified') AS ok, bool_or(type <> 'otp.verified') AS failed
  FROM audit_events
  WHERE occurred_at >= $1 AND occurred_at < $2
    AND type IN ('otp.verified', 'otp.verify_failed', 'otp.locked') AND details ? 'verificationId'
  GROUP BY channel, details->>'verificationId'
)
SELECT floor(extract(epoch FROM (first_at - $1::timestamptz)) / $3)::int AS bucket, channel,
  count(*)::int AS attempted, count(*) FILTER (WHERE ok AND NOT failed)::int AS first_ok
FROM codes GROUP BY 1, 2`;

// One row per provider attempt recorded in the outcomes of otp.sent / otp.delivery_failed.
const PROVIDERS_SQL = `
SELECT e.channel, o->>'provider' AS provider, count(*)::int AS attempts,
  count(*) FILTER (WHERE o->>'status' = 'accepted')::int AS accepted,
  count(*) FILTER (WHERE o->>'status' = 'failed')::int AS failed,
  count(*) FILTER (WHERE o->>'status' = 'timeout')::int AS timeouts,
  count(*) FILTER (WHERE o->>'status' = 'rejected')::int AS rejected,
  avg(CASE WHEN jsonb_typeof(o->'durationMs') = 'number' THEN (o->>'durationMs')::float8 END) AS avg_ms,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY
    CASE WHEN jsonb_typeof(o->'durationMs') = 'number' THEN (o->>'durationMs')::float8 END) AS p50_ms,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY
    CASE WHEN jsonb_typeof(o->'durationMs') = 'number' THEN (o->>'durationMs')::float8 END) AS p95_ms
FROM audit_events e
CROSS JOIN LATERAL jsonb_array_elements(
  CASE WHEN jsonb_typeof(e.details->'outcomes') = 'array' THEN e.details->'outcomes' ELSE '[]'::jsonb END
) AS o
WHERE e.occurred_at >= $1 AND e.occurred_at < $2
  AND e.type IN ('otp.sent', 'otp.delivery_failed') AND jsonb_typeof(o) = 'object'
  AND jsonb_typeof(o->'provider') = 'string'
GROUP BY 1, 2
ORDER BY 1, 2`;

interface RawFirstAttemptRow {
  bucket: number;
  channel: string;
  attempted: number;
  first_ok: number;
}

interface RawProviderRow {
  channel: string;
  provider: string;
  attempts: number;
  accepted: number;
  failed: number;
  timeouts: number;
  rejected: number;
  avg_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Read-only aggregates over audit_events for the dashboard's charts. */
@Injectable()
export class AdminSeriesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async counts(since: Date, until: Date, bucketSeconds: number): Promise<SeriesCountRow[]> {
    const rows = await queryRows<SeriesCountRow>(this.ds, COUNTS_SQL, [
      since,
      until,
      bucketSeconds,
      [...SERIES_EVENT_TYPES],
    ]);
    return rows.map((r) => ({
      bucket: Number(r.bucket),
      type: r.type,
      channel: r.channel,
      n: Number(r.n),
    }));
  }

  async firstAttempts(
    since: Date,
    until: Date,
    bucketSeconds: number,
  ): Promise<SeriesFirstAttemptRow[]> {
    const rows = await queryRows<RawFirstAttemptRow>(this.ds, FIRST_ATTEMPT_SQL, [
      since,
      until,
      bucketSeconds,
    ]);
    return rows.map((r) => ({
      bucket: Number(r.bucket),
      channel: r.channel,
      attempted: Number(r.attempted),
      firstOk: Number(r.first_ok),
    }));
  }

  async providers(since: Date, until: Date): Promise<ProviderStatsRow[]> {
    const rows = await queryRows<RawProviderRow>(this.ds, PROVIDERS_SQL, [since, until]);
    return rows.map((r) => ({
      channel: r.channel,
      provider: r.provider,
      attempts: Number(r.attempts),
      accepted: Number(r.accepted),
      failed: Number(r.failed),
      timeouts: Number(r.timeouts),
      rejected: Number(r.rejected),
      avgMs: num(r.avg_ms),
      p50Ms: num(r.p50_ms),
      p95Ms: num(r.p95_ms),
    }));
  }
}
