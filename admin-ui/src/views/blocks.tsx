import { useState } from 'preact/hooks';
import {
  get,
  request,
  type AuditEvent,
  type Blocks,
  type IpBlock,
  type Page,
  type RecipientLock,
} from '../api.js';
import { errorText, fmtTime, timeLeft } from '../format.js';
import { useNow, usePolled } from '../hooks.js';
import { ConfirmDialog, Empty, ErrorBox } from './common.js';

type Target = { kind: 'ip'; row: IpBlock } | { kind: 'recipient'; row: RecipientLock };

const cell = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);

/** The first field ending in "Until" of a row whose shape this page does not know in advance. */
function untilOf(row: Record<string, unknown>): string | null {
  const k = Object.keys(row).find((key) => /until$/i.test(key) && typeof row[key] === 'string');
  return k ? (row[k] as string) : null;
}

function GenericRows({
  title,
  rows,
  now,
  testId,
}: {
  title: string;
  rows: Record<string, unknown>[];
  now: number;
  testId: string;
}) {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <Empty>None right now.</Empty>
      ) : (
        <div class="table-wrap">
          <table data-testid={testId}>
            <thead>
              <tr>
                {cols.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
                <th scope="col">Time left</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const until = untilOf(r);
                return (
                  <tr key={i}>
                    {cols.map((c) => (
                      <td key={c}>{cell(r[c])}</td>
                    ))}
                    <td>{until ? timeLeft(until, now) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function BlocksView() {
  const now = useNow();
  const blocks = usePolled(() => get<Blocks>('/v1/admin/blocks'), [], 5_000);
  const unlocks = usePolled(
    () => get<Page<AuditEvent>>('/v1/admin/audit-events?type=admin.unlock&limit=5'),
    [],
    5_000,
  );
  const [target, setTarget] = useState<Target | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [hidden, setHidden] = useState<Set<string>>(new Set());

  const keyOf = (t: Target) =>
    t.kind === 'ip' ? `ip|${t.row.ip}` : `r|${t.row.channel}|${t.row.recipient}`;

  const close = () => {
    setTarget(null);
    setTyped('');
    setDialogError(null);
  };

  const confirm = async () => {
    if (!target) return;
    setBusy(true);
    setDialogError(null);
    try {
      const body =
        target.kind === 'ip'
          ? { ip: target.row.ip }
          : { channel: target.row.channel, to: typed.trim() };
      await request('POST', '/v1/admin/unlock', body);
      const after = await get<Blocks>('/v1/admin/blocks');
      const still =
        target.kind === 'recipient' &&
        after.recipients.some(
          (r) => r.channel === target.row.channel && r.recipient === target.row.recipient,
        );
      if (still) {
        setDialogError(
          'The API answered, but this recipient is still locked: the full recipient typed does not match it.',
        );
        return;
      }
      setHidden(new Set([...hidden, keyOf(target)]));
      setMessage(
        target.kind === 'ip'
          ? `Unlocked IP ${target.row.ip}.`
          : `Unlocked ${target.row.recipient} (${target.row.channel}).`,
      );
      close();
      blocks.reload();
      unlocks.reload();
    } catch (err) {
      setDialogError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const b = blocks.data;
  const ips = (b?.ips ?? []).filter((r) => !hidden.has(`ip|${r.ip}`));
  const recipients = (b?.recipients ?? []).filter(
    (r) => !hidden.has(`r|${r.channel}|${r.recipient}`),
  );

  return (
    <div class="view">
      <ErrorBox error={blocks.error} />
      {message && (
        <p class="notice" role="status">
          {message}
        </p>
      )}
      <section class="card" aria-labelledby="ips-title">
        <h2 id="ips-title">Blocked IPs</h2>
        {b && ips.length === 0 && <Empty>No IP is blocked right now.</Empty>}
        {ips.length > 0 && (
          <div class="table-wrap">
            <table data-testid="ip-blocks">
              <thead>
                <tr>
                  <th scope="col">IP</th>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Time left</th>
                  <th scope="col">
                    <span class="sr-only">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {ips.map((r) => (
                  <tr key={`${r.ip}|${r.endpoint}`}>
                    <td>{r.ip}</td>
                    <td>{r.endpoint}</td>
                    <td>{timeLeft(r.blockedUntil, now)}</td>
                    <td>
                      <button
                        type="button"
                        aria-label={`Unlock IP ${r.ip}`}
                        onClick={() => setTarget({ kind: 'ip', row: r })}
                      >
                        Unlock
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="recipients-title">
        <h2 id="recipients-title">Locked recipients</h2>
        {b && recipients.length === 0 && <Empty>No recipient is locked right now.</Empty>}
        {recipients.length > 0 && (
          <div class="table-wrap">
            <table data-testid="recipient-locks">
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Recipient</th>
                  <th scope="col">Time left</th>
                  <th scope="col">
                    <span class="sr-only">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {recipients.map((r) => (
                  <tr key={`${r.channel}|${r.recipient}`}>
                    <td>{r.channel}</td>
                    <td>{r.recipient}</td>
                    <td>{timeLeft(r.lockedUntil, now)}</td>
                    <td>
                      <button
                        type="button"
                        aria-label={`Unlock ${r.recipient}`}
                        onClick={() => setTarget({ kind: 'recipient', row: r })}
                      >
                        Unlock
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {b?.logins !== undefined && (
        <GenericRows title="Throttled logins" rows={b.logins} now={now} testId="logins" />
      )}
      {b?.destinations !== undefined && (
        <GenericRows
          title="Suspended SMS destinations"
          rows={b.destinations}
          now={now}
          testId="destinations"
        />
      )}
      <section class="card" aria-labelledby="unlocks-title">
        <h2 id="unlocks-title">Recent unlocks</h2>
        <ErrorBox error={unlocks.error} />
        {unlocks.data && unlocks.data.items.length === 0 && <Empty>No unlock yet.</Empty>}
        {unlocks.data && unlocks.data.items.length > 0 && (
          <ul class="plain" data-testid="recent-unlocks">
            {unlocks.data.items.map((e) => (
              <li key={e.id}>
                <time dateTime={e.occurredAt}>{fmtTime(e.occurredAt)}</time> · admin.unlock ·{' '}
                {typeof e.details.unblockedIp === 'string'
                  ? `IP ${e.details.unblockedIp}`
                  : `${e.channel ?? ''} ${e.recipient ?? ''}`}
              </li>
            ))}
          </ul>
        )}
      </section>
      {target && (
        <ConfirmDialog
          title={target.kind === 'ip' ? `Unlock IP ${target.row.ip}?` : 'Unlock this recipient?'}
          confirmLabel="Unlock"
          busy={busy}
          error={dialogError}
          onCancel={close}
          onConfirm={() => void confirm()}
        >
          {target.kind === 'ip' ? (
            <p>
              Every endpoint block on {target.row.ip} is lifted at once. The unlock is recorded in
              the audit trail.
            </p>
          ) : (
            <>
              <p>
                {target.row.recipient} ({target.row.channel}) can verify again at once. The page
                only knows the masked value: type the full{' '}
                {target.row.channel === 'sms' ? 'phone number' : 'email'} to unlock it.
              </p>
              <label for="unlock-to">
                Full {target.row.channel === 'sms' ? 'phone number' : 'email'}
              </label>
              <input
                id="unlock-to"
                required
                autocomplete="off"
                value={typed}
                onInput={(e) => setTyped(e.currentTarget.value)}
              />
            </>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}
