import type { ComponentChildren } from 'preact';
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

interface BlockTableProps<T> {
  id: string;
  title: string;
  testId: string;
  empty: string;
  /** Whether the list has been loaded (the empty state is shown only then). */
  loaded: boolean;
  headers: string[];
  rows: T[];
  rowKey: (row: T) => string;
  cells: (row: T) => ComponentChildren[];
  unlockLabel: (row: T) => string;
  onUnlock: (row: T) => void;
}

/** One kind of block: a titled table of rows with their time left and an Unlock button each. */
function BlockTable<T>(p: BlockTableProps<T>) {
  return (
    <section class="card" aria-labelledby={`${p.id}-title`}>
      <h2 id={`${p.id}-title`}>{p.title}</h2>
      {p.loaded && p.rows.length === 0 && <Empty>{p.empty}</Empty>}
      {p.rows.length > 0 && (
        <div class="table-wrap">
          <table data-testid={p.testId}>
            <thead>
              <tr>
                {p.headers.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
                <th scope="col">
                  <span class="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r) => (
                <tr key={p.rowKey(r)}>
                  {p.cells(r).map((c, i) => (
                    <td key={i}>{c}</td>
                  ))}
                  <td>
                    <button
                      type="button"
                      aria-label={p.unlockLabel(r)}
                      onClick={() => p.onUnlock(r)}
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
  );
}

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
      <BlockTable
        id="ips"
        title="Blocked IPs"
        testId="ip-blocks"
        empty="No IP is blocked right now."
        loaded={b !== undefined}
        headers={['IP', 'Endpoint', 'Time left']}
        rows={ips}
        rowKey={(r) => `${r.ip}|${r.endpoint}`}
        cells={(r) => [r.ip, r.endpoint, timeLeft(r.blockedUntil, now)]}
        unlockLabel={(r) => `Unlock IP ${r.ip}`}
        onUnlock={(r) => setTarget({ kind: 'ip', row: r })}
      />
      <BlockTable
        id="recipients"
        title="Locked recipients"
        testId="recipient-locks"
        empty="No recipient is locked right now."
        loaded={b !== undefined}
        headers={['Channel', 'Recipient', 'Time left']}
        rows={recipients}
        rowKey={(r) => `${r.channel}|${r.recipient}`}
        cells={(r) => [r.channel, r.recipient, timeLeft(r.lockedUntil, now)]}
        unlockLabel={(r) => `Unlock ${r.recipient}`}
        onUnlock={(r) => setTarget({ kind: 'recipient', row: r })}
      />
      {b?.destinations !== undefined && (
        <BlockTable
          id="destinations"
          title="Suspended SMS destinations"
          testId="destinations"
          empty="No SMS destination is suspended right now."
          loaded
          headers={['Prefix', 'State', 'Time left']}
          rows={destinations}
          rowKey={(r) => r.prefix}
          cells={(r) => [
            r.prefix,
            r.state === 'open' ? 'open' : 'half-open',
            breakerTimeLeft(r, now),
          ]}
          unlockLabel={(r) => `Unlock SMS destination ${r.prefix}`}
          onUnlock={(r) => setTarget({ kind: 'destination', row: r })}
        />
      )}
      {b?.logins !== undefined && (
        <BlockTable
          id="logins"
          title="Throttled logins"
          testId="logins"
          empty="No login is throttled right now."
          loaded
          headers={['Email', 'Time left']}
          rows={logins}
          rowKey={(r) => `${r.email}|${r.lockedUntil}`}
          cells={(r) => [r.email, timeLeft(r.lockedUntil, now)]}
          unlockLabel={(r) => `Unlock login ${r.email}`}
          onUnlock={(r) => setTarget({ kind: 'login', row: r })}
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
