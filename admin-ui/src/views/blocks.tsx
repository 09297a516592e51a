import { useState } from 'preact/hooks';
import {
  get,
  request,
  type AuditEvent,
  type Blocks,
  type DestinationBreaker,
  type IpBlock,
  type LoginThrottle,
  type Page,
  type RecipientLock,
} from '../api.js';
import { errorText, fmtTime, timeLeft } from '../format.js';
import { useNow, usePolled } from '../hooks.js';
import { ConfirmDialog, Empty, ErrorBox } from './common.js';

type Target =
  | { kind: 'ip'; row: IpBlock }
  | { kind: 'recipient'; row: RecipientLock }
  | { kind: 'destination'; row: DestinationBreaker }
  | { kind: 'login'; row: LoginThrottle };

/** What the row of an unlock target is called in the page's messages. */
function nameOf(t: Target): string {
  switch (t.kind) {
    case 'ip':
      return `IP ${t.row.ip}`;
    case 'recipient':
      return `${t.row.recipient} (${t.row.channel})`;
    case 'destination':
      return `SMS destination ${t.row.prefix}`;
    case 'login':
      return `login ${t.row.email}`;
  }
}

const keyOf = (t: Target): string => {
  switch (t.kind) {
    case 'ip':
      return `ip|${t.row.ip}`;
    case 'recipient':
      return `r|${t.row.channel}|${t.row.recipient}`;
    case 'destination':
      return `d|${t.row.prefix}`;
    case 'login':
      return `l|${t.row.email}|${t.row.lockedUntil}`;
  }
};

function unlockBody(t: Target, typed: string): Record<string, string> {
  switch (t.kind) {
    case 'ip':
      return { ip: t.row.ip };
    case 'recipient':
      return { channel: t.row.channel, to: typed.trim() };
    case 'destination':
      return { destination: t.row.prefix };
    case 'login':
      return { login: typed.trim() };
  }
}

/** Why the target is still listed after the API accepted the unlock, or null if it is gone. */
function stillThere(t: Target, after: Blocks): string | null {
  switch (t.kind) {
    case 'ip':
      return null;
    case 'recipient':
      return after.recipients.some(
        (r) => r.channel === t.row.channel && r.recipient === t.row.recipient,
      )
        ? 'The API answered, but this recipient is still locked: the full recipient typed does not match it.'
        : null;
    case 'destination':
      return (after.destinations ?? []).some((d) => d.prefix === t.row.prefix)
        ? `The API answered, but ${t.row.prefix} is suspended again: its traffic still does not convert.`
        : null;
    case 'login':
      return (after.logins ?? []).some(
        (l) => l.email === t.row.email && l.lockedUntil === t.row.lockedUntil,
      )
        ? 'The API answered, but this login is still throttled: the full email typed does not match it.'
        : null;
  }
}

/** One line of "Recent unlocks" for an admin.unlock audit event. */
function unlockLine(e: AuditEvent): string {
  const d = e.details;
  if (typeof d.unblockedIp === 'string') return `IP ${d.unblockedIp}`;
  if (d.target === 'destination' && typeof d.prefix === 'string') {
    return `SMS destination ${d.prefix}`;
  }
  if (d.target === 'login') return `login ${e.recipient ?? ''}`;
  return `${e.channel ?? ''} ${e.recipient ?? ''}`;
}

function breakerTimeLeft(d: DestinationBreaker, now: number): string {
  if (d.state === 'open') return timeLeft(d.openUntil, now);
  return d.probeUntil ? `probing, judged in ${timeLeft(d.probeUntil, now)}` : 'probing';
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
      await request('POST', '/v1/admin/unlock', unlockBody(target, typed));
      const after = await get<Blocks>('/v1/admin/blocks');
      const still = stillThere(target, after);
      if (still) {
        setDialogError(still);
        return;
      }
      setHidden(new Set([...hidden, keyOf(target)]));
      setMessage(`Unlocked ${nameOf(target)}.`);
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
    (r) => !hidden.has(keyOf({ kind: 'recipient', row: r })),
  );
  const destinations = (b?.destinations ?? []).filter(
    (r) => !hidden.has(keyOf({ kind: 'destination', row: r })),
  );
  const logins = (b?.logins ?? []).filter((r) => !hidden.has(keyOf({ kind: 'login', row: r })));

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
      {b?.destinations !== undefined && (
        <section class="card" aria-labelledby="destinations-title">
          <h2 id="destinations-title">Suspended SMS destinations</h2>
          {destinations.length === 0 && <Empty>No SMS destination is suspended right now.</Empty>}
          {destinations.length > 0 && (
            <div class="table-wrap">
              <table data-testid="destinations">
                <thead>
                  <tr>
                    <th scope="col">Prefix</th>
                    <th scope="col">State</th>
                    <th scope="col">Time left</th>
                    <th scope="col">
                      <span class="sr-only">Action</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {destinations.map((r) => (
                    <tr key={r.prefix}>
                      <td>{r.prefix}</td>
                      <td>{r.state === 'open' ? 'open' : 'half-open'}</td>
                      <td>{breakerTimeLeft(r, now)}</td>
                      <td>
                        <button
                          type="button"
                          aria-label={`Unlock SMS destination ${r.prefix}`}
                          onClick={() => setTarget({ kind: 'destination', row: r })}
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
      )}
      {b?.logins !== undefined && (
        <section class="card" aria-labelledby="logins-title">
          <h2 id="logins-title">Throttled logins</h2>
          {logins.length === 0 && <Empty>No login is throttled right now.</Empty>}
          {logins.length > 0 && (
            <div class="table-wrap">
              <table data-testid="logins">
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Time left</th>
                    <th scope="col">
                      <span class="sr-only">Action</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {logins.map((r) => (
                    <tr key={`${r.email}|${r.lockedUntil}`}>
                      <td>{r.email}</td>
                      <td>{timeLeft(r.lockedUntil, now)}</td>
                      <td>
                        <button
                          type="button"
                          aria-label={`Unlock login ${r.email}`}
                          onClick={() => setTarget({ kind: 'login', row: r })}
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
                {unlockLine(e)}
              </li>
            ))}
          </ul>
        )}
      </section>
      {target && (
        <ConfirmDialog
          title={
            target.kind === 'ip' || target.kind === 'destination'
              ? `Unlock ${nameOf(target)}?`
              : target.kind === 'login'
                ? 'Unlock this login?'
                : 'Unlock this recipient?'
          }
          confirmLabel="Unlock"
          busy={busy}
          error={dialogError}
          onCancel={close}
          onConfirm={() => void confirm()}
        >
          <UnlockDetails target={target} typed={typed} setTyped={setTyped} />
        </ConfirmDialog>
      )}
    </div>
  );
}

function UnlockDetails({
  target,
  typed,
  setTyped,
}: {
  target: Target;
  typed: string;
  setTyped: (value: string) => void;
}) {
  switch (target.kind) {
    case 'ip':
      return (
        <p>
          Every endpoint block on {target.row.ip} is lifted at once. The unlock is recorded in the
          audit trail.
        </p>
      );
    case 'destination':
      return (
        <p>
          The SMS-pumping breaker of {target.row.prefix} closes: codes to numbers starting with{' '}
          {target.row.prefix} are sent again at once, and the breaker opens again if that traffic
          still does not convert. The unlock is recorded in the audit trail.
        </p>
      );
    case 'recipient':
    case 'login': {
      const what =
        target.kind === 'login' ? 'email' : target.row.channel === 'sms' ? 'phone number' : 'email';
      const masked = target.kind === 'login' ? target.row.email : target.row.recipient;
      return (
        <>
          <p>
            {target.kind === 'login'
              ? `${masked} can sign in again at once.`
              : `${masked} (${target.row.channel}) can verify again at once.`}{' '}
            The page only knows the masked value: type the full {what} to unlock it.
          </p>
          <label for="unlock-to">Full {what}</label>
          <input
            id="unlock-to"
            required
            autocomplete="off"
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </>
      );
    }
  }
}
