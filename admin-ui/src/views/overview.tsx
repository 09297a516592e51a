import { useMemo, useState } from 'preact/hooks';
import {
  get,
  query,
  type Blocks,
  type ChannelStats,
  type DestinationBreaker,
  type ProviderStats,
  type Series,
  type Stats,
} from '../api.js';
import { Chart, type ChartLine } from '../chart.js';
import { fmtInt, fmtMs, fmtRate, fmtTime, localToIso } from '../format.js';
import { usePolled } from '../hooks.js';
import { Empty, ErrorBox } from './common.js';

const RANGES = [
  { id: 'hour', label: 'Last hour', ms: 3_600_000 },
  { id: 'day', label: 'Last day', ms: 86_400_000 },
  { id: 'week', label: 'Last week', ms: 7 * 86_400_000 },
  { id: 'custom', label: 'Custom', ms: 0 },
] as const;
type RangeId = (typeof RANGES)[number]['id'];

const REFRESH_MS = 5_000;
const SMS = '#2563eb';
const EMAIL = '#d97706';
const OTHER = '#7c3aed';
const BAD = '#dc2626';

interface Overview {
  series: Series;
  stats: Stats;
  providers: ProviderStats[];
  blocks: Blocks;
}

function rangeParams(range: RangeId, from: string, to: string) {
  if (range === 'custom') return { since: localToIso(from), until: localToIso(to) };
  const r = RANGES.find((x) => x.id === range)!;
  const until = Date.now();
  return { since: new Date(until - r.ms).toISOString(), until: new Date(until + 1).toISOString() };
}

const rate = (ok: number[], all: number[]) => all.map((n, i) => (n === 0 ? null : ok[i] / n));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function Totals({ rows }: { rows: [string, string][] }) {
  return (
    <dl class="totals">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function ChannelTable({
  sms,
  email,
  ipBlocks,
}: {
  sms: ChannelStats;
  email: ChannelStats;
  ipBlocks: number;
}) {
  const rows: [string, (c: ChannelStats) => string][] = [
    ['Sends', (c) => fmtInt(c.sends)],
    ['Delivery failures', (c) => fmtInt(c.deliveryFailures)],
    ['Verifications succeeded', (c) => fmtInt(c.verificationsSucceeded)],
    ['Verifications failed', (c) => fmtInt(c.verificationsFailed)],
    ['First-attempt success', (c) => fmtRate(c.firstAttemptSuccessRate)],
    ['Lockouts', (c) => fmtInt(c.lockouts)],
  ];
  return (
    <div class="table-wrap">
      <table data-testid="totals-table">
        <caption>Totals per channel over the range</caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col">SMS</th>
            <th scope="col">Email</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, f]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{f(sms)}</td>
              <td>{f(email)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">IP blocks (all endpoints)</th>
            <td colSpan={2}>{fmtInt(ipBlocks)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function Providers({ providers }: { providers: ProviderStats[] }) {
  if (providers.length === 0) {
    return <Empty>No message was handed to a provider in this range.</Empty>;
  }
  return (
    <div class="table-wrap">
      <table data-testid="providers-table">
        <caption>Delivery per provider</caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Provider</th>
            <th scope="col">Attempts</th>
            <th scope="col">Success rate</th>
            <th scope="col">Failed / timed out / rejected</th>
            <th scope="col">Latency p50</th>
            <th scope="col">p95</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => (
            <tr key={`${p.channel}/${p.provider}`}>
              <td>{p.channel}</td>
              <td>{p.provider}</td>
              <td>{fmtInt(p.attempts)}</td>
              <td>{fmtRate(p.successRate)}</td>
              <td>
                {p.failed} / {p.timeouts} / {p.rejected}
              </td>
              <td>{fmtMs(p.p50LatencyMs)}</td>
              <td>{fmtMs(p.p95LatencyMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Open SMS breakers, when the service has them (`destinations` in /v1/admin/blocks). */
function Breakers({ destinations }: { destinations: DestinationBreaker[] | undefined }) {
  if (destinations === undefined) return null;
  return (
    <section class="card" aria-labelledby="breakers-title">
      <h2 id="breakers-title">Open SMS breakers</h2>
      {destinations.length === 0 ? (
        <Empty>No destination is suspended.</Empty>
      ) : (
        <ul data-testid="breakers">
          {destinations.map((d, i) => (
            <li key={i}>
              {Object.entries(d)
                .map(([k, v]) => `${k}: ${String(v)}`)
                .join(' · ')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function OverviewView() {
  const [range, setRange] = useState<RangeId>('hour');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [applied, setApplied] = useState({ from: '', to: '' });
  const customReady = range !== 'custom' || (applied.from !== '' && applied.to !== '');

  const data = usePolled<Overview | null>(
    async () => {
      if (!customReady) return null;
      const q = query(rangeParams(range, applied.from, applied.to));
      const [series, stats, providers, blocks] = await Promise.all([
        get<Series>(`/v1/admin/stats/series${q}`),
        get<Stats>(`/v1/admin/stats${q}`),
        get<{ providers: ProviderStats[] }>(`/v1/admin/stats/providers${q}`),
        get<Blocks>('/v1/admin/blocks'),
      ]);
      return { series, stats, providers: providers.providers, blocks };
    },
    [range, applied.from, applied.to],
    range === 'custom' ? 0 : REFRESH_MS,
  );

  const charts = useMemo(() => {
    const d = data.data;
    if (!d) return null;
    const x = d.series.buckets.map((b) => Date.parse(b) / 1000);
    const { sms, email } = d.series.channels;
    const line = (label: string, values: (number | null)[], color: string, dash?: number[]) =>
      ({ label, values, color, dash }) satisfies ChartLine;
    return {
      x,
      sends: [
        line('SMS sends', sms.sends, SMS),
        line('Email sends', email.sends, EMAIL),
        line('SMS delivery failures', sms.deliveryFailures, BAD),
        line('Email delivery failures', email.deliveryFailures, BAD, [6, 4]),
      ],
      verifications: [
        line('SMS verified', sms.verificationsSucceeded, SMS),
        line('Email verified', email.verificationsSucceeded, EMAIL),
        line('SMS failed', sms.verificationsFailed, BAD),
        line('Email failed', email.verificationsFailed, BAD, [6, 4]),
      ],
      firstAttempt: [
        line('SMS', rate(sms.firstAttemptVerified, sms.codesAttempted), SMS),
        line('Email', rate(email.firstAttemptVerified, email.codesAttempted), EMAIL),
      ],
      blocks: [
        line('SMS lockouts', sms.lockouts, SMS),
        line('Email lockouts', email.lockouts, EMAIL),
        line('IP blocks', d.series.ipBlocks, BAD),
        line('Alerts', d.series.alerts, OTHER, [6, 4]),
      ],
    };
  }, [data.data]);

  const d = data.data;
  const s = d?.stats.channels;
  const nothingYet =
    d !== null &&
    d !== undefined &&
    sum(d.series.channels.sms.sends) +
      sum(d.series.channels.email.sends) +
      sum(d.series.channels.sms.deliveryFailures) +
      sum(d.series.channels.email.deliveryFailures) +
      sum(d.series.ipBlocks) ===
      0;

  return (
    <div class="view">
      <form
        class="toolbar"
        aria-label="Time range"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ from, to });
        }}
      >
        <label for="range">Range</label>
        <select
          id="range"
          value={range}
          onChange={(e) => setRange(e.currentTarget.value as RangeId)}
        >
          {RANGES.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
        {range === 'custom' && (
          <>
            <label for="range-from">From</label>
            <input
              id="range-from"
              type="datetime-local"
              required
              value={from}
              onInput={(e) => setFrom(e.currentTarget.value)}
            />
            <label for="range-to">To</label>
            <input
              id="range-to"
              type="datetime-local"
              required
              value={to}
              onInput={(e) => setTo(e.currentTarget.value)}
            />
            <button type="submit">Apply</button>
          </>
        )}
        <span class="muted" aria-live="polite">
          {range === 'custom'
            ? 'Custom ranges are not refreshed'
            : `Live: refreshed every ${REFRESH_MS / 1000} s`}
          {d ? ` · updated ${fmtTime(new Date().toISOString())}` : ''}
        </span>
      </form>
      <ErrorBox error={data.error} />
      {!customReady && <Empty>Choose a start and an end, then Apply.</Empty>}
      {d && s && charts && (
        <>
          {nothingYet && (
            <Empty>
              No codes were sent in this range yet: the charts fill in as traffic arrives.
            </Empty>
          )}
          <div class="grid">
            <section class="card chart-card" data-testid="chart-sends">
              <Chart title="Sends and delivery failures" x={charts.x} lines={charts.sends} />
              <Totals
                rows={[
                  ['SMS sends', fmtInt(s.sms.sends)],
                  ['Email sends', fmtInt(s.email.sends)],
                  ['Delivery failures', fmtInt(s.sms.deliveryFailures + s.email.deliveryFailures)],
                ]}
              />
            </section>
            <section class="card chart-card" data-testid="chart-verifications">
              <Chart title="Verifications" x={charts.x} lines={charts.verifications} />
              <Totals
                rows={[
                  [
                    'Succeeded',
                    fmtInt(s.sms.verificationsSucceeded + s.email.verificationsSucceeded),
                  ],
                  ['Failed', fmtInt(s.sms.verificationsFailed + s.email.verificationsFailed)],
                ]}
              />
            </section>
            <section class="card chart-card" data-testid="chart-first-attempt">
              <Chart
                title="First-attempt success rate"
                x={charts.x}
                lines={charts.firstAttempt}
                percent
              />
              <Totals
                rows={[
                  ['SMS', fmtRate(s.sms.firstAttemptSuccessRate)],
                  ['Email', fmtRate(s.email.firstAttemptSuccessRate)],
                ]}
              />
            </section>
            <section class="card chart-card" data-testid="chart-blocks">
              <Chart title="Lockouts, IP blocks and alerts" x={charts.x} lines={charts.blocks} />
              <Totals
                rows={[
                  ['Lockouts', fmtInt(s.sms.lockouts + s.email.lockouts)],
                  ['IP blocks', fmtInt(d.stats.ipBlocks)],
                  ['Alerts', fmtInt(sum(d.series.alerts))],
                ]}
              />
            </section>
          </div>
          <section class="card">
            <h2>Per channel</h2>
            <ChannelTable sms={s.sms} email={s.email} ipBlocks={d.stats.ipBlocks} />
          </section>
          <section class="card">
            <h2>Providers</h2>
            <Providers providers={d.providers} />
          </section>
          <Breakers destinations={d.blocks.destinations} />
        </>
      )}
      {!d && data.loading && !data.error && <p class="muted">Loading…</p>}
    </div>
  );
}
