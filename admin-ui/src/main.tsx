import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { request, session, setUnauthorizedHandler, type Blocks } from './api.js';
import { errorText } from './format.js';
import { AlertsView } from './views/alerts.js';
import { AuditView } from './views/audit.js';
import { BlocksView } from './views/blocks.js';
import { OverviewView } from './views/overview.js';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'blocks', label: 'Blocks' },
  { id: 'audit', label: 'Audit trail' },
  { id: 'alerts', label: 'Alerts' },
] as const;
type Tab = (typeof TABS)[number]['id'];

function tabFromHash(): Tab {
  const id = location.hash.replace(/^#/, '');
  return TABS.some((t) => t.id === id) ? (id as Tab) : 'overview';
}

function SignIn({ onSignedIn, notice }: { onSignedIn: () => void; notice: string | null }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(notice);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // Checked against the API before it is kept: a refused key is never stored.
      await request<Blocks>('GET', '/v1/admin/blocks', undefined, key.trim());
      session.set(key.trim());
      onSignedIn();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <form class="card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">Codeward admin</h1>
        <p class="muted">Sign in with a key from ADMIN_API_KEYS. It is kept for this tab only.</p>
        <label for="admin-key">Admin key</label>
        <input
          id="admin-key"
          ref={input}
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
        {error && (
          <p class="error" role="alert" data-testid="signin-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function App() {
  const [signedIn, setSignedIn] = useState(session.get() !== null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>(tabFromHash());
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  useEffect(() => {
    setUnauthorizedHandler((message) => {
      session.clear();
      setNotice(message);
      setSignedIn(false);
    });
    const onHash = () => setTab(tabFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  if (!signedIn) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={() => {
          setNotice(null);
          setSignedIn(true);
        }}
      />
    );
  }

  const select = (id: Tab, focus = false) => {
    setTab(id);
    history.replaceState(null, '', `#${id}`);
    if (focus) tabRefs.current[id]?.focus();
  };
  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab moves into the panel.
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % TABS.length
        : e.key === 'ArrowLeft'
          ? (i + TABS.length - 1) % TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : -1;
    if (next >= 0) {
      e.preventDefault();
      select(TABS[next].id, true);
    }
  };

  return (
    <div class="app">
      <header class="topbar">
        <h1>Codeward admin</h1>
        <nav role="tablist" aria-label="Dashboard views" onKeyDown={onKey}>
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              ref={(el) => {
                tabRefs.current[t.id] = el;
              }}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => select(t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            session.clear();
            setNotice(null);
            setSignedIn(false);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} class="panel">
          {tab === 'overview' && <OverviewView />}
          {tab === 'blocks' && <BlocksView />}
          {tab === 'audit' && <AuditView />}
          {tab === 'alerts' && <AlertsView />}
        </div>
      </main>
    </div>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
