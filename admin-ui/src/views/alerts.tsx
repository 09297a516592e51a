import { useState } from 'preact/hooks';
import { get, query, type Alert, type Page } from '../api.js';
import { errorText, fmtTime } from '../format.js';
import { usePolled } from '../hooks.js';
import { Empty, ErrorBox } from './common.js';

const RULES: Record<string, string> = {
  ip_lockouts: 'Lockouts from one IP',
  ip_distinct_recipients: 'One IP, many recipients',
  delivery_failures: 'Delivery failures',
  recipient_lockouts: 'Recipient locked repeatedly',
  sms_breaker_opened: 'SMS destination suspended',
  sms_breaker_closed: 'SMS destination resumed',
};

export function AlertsView() {
  const first = usePolled(() => get<Page<Alert>>('/v1/admin/alerts?limit=50'), [], 10_000);
  const [more, setMore] = useState<Alert[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  const next = cursor === undefined ? first.data?.nextCursor : cursor;
  // The first page refreshes; older pages loaded since may overlap it once new alerts arrive.
  const seen = new Set<string>();
  const items = [...(first.data?.items ?? []), ...more].filter(
    (a) => !seen.has(a.id) && seen.add(a.id) !== undefined,
  );

  const loadMore = async () => {
    if (!next) return;
    try {
      const page = await get<Page<Alert>>(`/v1/admin/alerts${query({ limit: 50, cursor: next })}`);
      setMore([...more, ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <div class="view">
      <ErrorBox error={first.error ?? error} />
      <section class="card" aria-labelledby="alerts-title">
        <h2 id="alerts-title">Suspicious-activity alerts, newest first</h2>
        {first.data && items.length === 0 && <Empty>No alert has been raised.</Empty>}
        {items.length > 0 && (
          <div class="table-wrap">
            <table data-testid="alerts-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Count / threshold</th>
                  <th scope="col">Window</th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <time dateTime={a.occurredAt}>{fmtTime(a.occurredAt)}</time>
                    </td>
                    <td title={a.rule}>{RULES[a.rule] ?? a.rule}</td>
                    <td>{a.subject}</td>
                    <td>{a.channel ?? '—'}</td>
                    <td>
                      {a.count ?? '—'} / {a.threshold ?? '—'}
                    </td>
                    <td>{a.windowSeconds === null ? '—' : `${a.windowSeconds / 60} min`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {next && (
          <button type="button" class="secondary more" onClick={() => void loadMore()}>
            Load more
          </button>
        )}
      </section>
    </div>
  );
}
