import { useEffect, useState } from 'preact/hooks';
import { get, query, type AuditEvent, type Page } from '../api.js';
import { errorText, fmtTime, localToIso } from '../format.js';
import { Empty, ErrorBox } from './common.js';

const TYPES = [
  'otp.sent',
  'otp.delivery_failed',
  'otp.verified',
  'otp.verify_failed',
  'otp.locked',
  'ip.blocked',
  'admin.unlock',
  'admin.auth_failed',
  'token.consumed',
  'account.registered',
  'account.activated',
  'password_reset.requested',
  'password_reset.completed',
  'alert.raised',
];

interface Filters {
  type: string;
  channel: string;
  recipient: string;
  ip: string;
  purpose: string;
  since: string;
  until: string;
}

const EMPTY: Filters = {
  type: '',
  channel: '',
  recipient: '',
  ip: '',
  purpose: '',
  since: '',
  until: '',
};
const PAGE = 50;

export function AuditView() {
  const [form, setForm] = useState<Filters>(EMPTY);
  const [items, setItems] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [selected, setSelected] = useState<AuditEvent | null>(null);

  const load = async (filters: Filters, after: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await get<Page<AuditEvent>>(
        `/v1/admin/audit-events${query({
          type: filters.type,
          channel: filters.channel,
          recipient: filters.recipient.trim(),
          ip: filters.ip.trim(),
          purpose: filters.purpose.trim(),
          since: localToIso(filters.since),
          until: localToIso(filters.until),
          limit: PAGE,
          cursor: after ?? undefined,
        })}`,
      );
      setItems(after ? [...items, ...page.items] : page.items);
      setCursor(page.nextCursor);
      setApplied(filters);
      setLoaded(true);
      if (!after) setSelected(null);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void load(EMPTY, null);
  }, []);

  const field = (k: keyof Filters) => ({
    id: `f-${k}`,
    name: k,
    value: form[k],
    onInput: (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value }),
  });

  return (
    <div class="view">
      <form
        class="card filters"
        aria-label="Audit filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load(form, null);
        }}
      >
        <div>
          <label for="f-type">Type</label>
          <select
            {...field('type')}
            onChange={(e) => setForm({ ...form, type: e.currentTarget.value })}
          >
            <option value="">Any</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-channel">Channel</label>
          <select
            {...field('channel')}
            onChange={(e) => setForm({ ...form, channel: e.currentTarget.value })}
          >
            <option value="">Any</option>
            <option value="sms">SMS</option>
            <option value="email">Email</option>
          </select>
        </div>
        <div>
          <label for="f-recipient">Recipient (full phone or email)</label>
          <input {...field('recipient')} autocomplete="off" maxLength={320} />
        </div>
        <div>
          <label for="f-ip">IP</label>
          <input {...field('ip')} autocomplete="off" inputMode="decimal" />
        </div>
        <div>
          <label for="f-purpose">Purpose</label>
          <input {...field('purpose')} autocomplete="off" placeholder="login" />
        </div>
        <div>
          <label for="f-since">From</label>
          <input {...field('since')} type="datetime-local" />
        </div>
        <div>
          <label for="f-until">To</label>
          <input {...field('until')} type="datetime-local" />
        </div>
        <div class="actions">
          <button type="submit" disabled={busy}>
            Search
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setForm(EMPTY);
              void load(EMPTY, null);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      <div class="split">
        <section class="card" aria-labelledby="events-title">
          <h2 id="events-title">Events, newest first</h2>
          {loaded && items.length === 0 && <Empty>No audit event matches these filters.</Empty>}
          {items.length > 0 && (
            <div class="table-wrap">
              <table data-testid="audit-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Type</th>
                    <th scope="col">Channel</th>
                    <th scope="col">Recipient</th>
                    <th scope="col">IP</th>
                    <th scope="col">Purpose</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((e) => (
                    <tr key={e.id} aria-selected={selected?.id === e.id}>
                      <td>
                        <button
                          type="button"
                          class="link"
                          aria-label={`Details of event ${e.id} (${e.type})`}
                          onClick={() => setSelected(e)}
                        >
                          <time dateTime={e.occurredAt}>{fmtTime(e.occurredAt)}</time>
                        </button>
                      </td>
                      <td>{e.type}</td>
                      <td>{e.channel ?? ''}</td>
                      <td>{e.recipient ?? ''}</td>
                      <td>{e.ip ?? ''}</td>
                      <td>{e.purpose ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {cursor && (
            <button
              type="button"
              class="secondary more"
              disabled={busy}
              onClick={() => void load(applied, cursor)}
            >
              Load more
            </button>
          )}
        </section>
        {selected && (
          <section class="card details" aria-labelledby="details-title" data-testid="event-details">
            <h2 id="details-title">Event {selected.id}</h2>
            <dl>
              <dt>Type</dt>
              <dd>{selected.type}</dd>
              <dt>When</dt>
              <dd>{fmtTime(selected.occurredAt)}</dd>
              <dt>Request id</dt>
              <dd>{selected.requestId ?? '—'}</dd>
            </dl>
            <pre>{JSON.stringify(selected.details, null, 2)}</pre>
            <button type="button" class="secondary" onClick={() => setSelected(null)}>
              Close details
            </button>
          </section>
        )}
      </div>
    </div>
  );
}
