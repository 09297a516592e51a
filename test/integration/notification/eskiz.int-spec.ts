import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DeliveryError } from '#src/notification/notification.types.js';
import { EskizSmsProvider, type TokenStore } from '#src/notification/sms/eskiz.sms-provider.js';
import type { SmsMessage } from '#src/notification/sms/sms-provider.js';
import { FakeEskiz } from '../../support/fake-eskiz.js';

/** Stands in for the shared AppCache (several instances, one store). */
class MapStore implements TokenStore {
  readonly values = new Map<string, unknown>();
  readonly ttls: number[] = [];
  get<T>(key: string): Promise<T | undefined> {
    return Promise.resolve(this.values.get(key) as T | undefined);
  }
  set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    this.values.set(key, value);
    this.ttls.push(ttlMs);
    return Promise.resolve();
  }
}

const message = (n = 1): SmsMessage => ({
  to: '+998901234567',
  text: `Codeward login code: 10000${n}. Valid for 10 min.`,
  idempotencyKey: `key-${n}`,
});
const deadline = () => AbortSignal.timeout(5_000);

describe(EskizSmsProvider.name, () => {
  let eskiz: FakeEskiz;
  let store: MapStore;

  const provider = (over: { store?: TokenStore | null; password?: string } = {}) =>
    new EskizSmsProvider(
      {
        baseUrl: `${eskiz.url}/`,
        email: eskiz.email,
        password: over.password ?? eskiz.password,
        from: '4546',
        loginTimeoutMs: 2_000,
      },
      over.store === undefined ? store : over.store,
    );

  beforeEach(async () => {
    eskiz = await FakeEskiz.start();
    store = new MapStore();
  });
  afterEach(() => eskiz.close());

  it('should log in with form fields, then send the exact Eskiz form with the bearer token', async () => {
    const result = await provider().send(message(), deadline());

    expect(eskiz.logins).toEqual([
      {
        contentType: 'application/x-www-form-urlencoded',
        fields: { email: 'ops@example.uz', password: 'eskiz-secret' },
      },
    ]);
    expect(eskiz.sends).toHaveLength(1);
    const [send] = eskiz.sends;
    expect(send.contentType).toBe('application/x-www-form-urlencoded');
    expect(send.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(send.fields).toEqual({
      mobile_phone: '998901234567',
      message: 'Codeward login code: 100001. Valid for 10 min.',
      from: '4546',
    });
    expect(send.status).toBe(200);
    expect(result.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should reuse the token for later sends and keep it in the shared store', async () => {
    const sut = provider();
    await sut.send(message(1), deadline());
    await sut.send(message(2), deadline());

    expect(eskiz.logins).toHaveLength(1);
    expect(new Set(eskiz.sends.map((s) => s.authorization)).size).toBe(1);
    const stored = [...store.values.values()];
    expect(stored).toEqual([eskiz.sends[0].authorization?.replace('Bearer ', '')]);
    // The JWT's exp is 30 days out: the store keeps it about that long, not forever.
    expect(store.ttls[0]).toBeGreaterThan(29 * 86_400_000);
    expect(store.ttls[0]).toBeLessThanOrEqual(30 * 86_400_000);
  });

  it('should share one token between instances through the store', async () => {
    await provider().send(message(1), deadline());
    await provider().send(message(2), deadline());

    expect(eskiz.logins).toHaveLength(1);
    expect(eskiz.sends.map((s) => s.status)).toEqual([200, 200]);
  });

  it('should keep the token in memory when there is no store', async () => {
    const sut = provider({ store: null });
    await sut.send(message(1), deadline());
    await sut.send(message(2), deadline());

    expect(eskiz.logins).toHaveLength(1);
  });

  it('should log in again exactly once for concurrent sends whose token expired, then retry each', async () => {
    const sut = provider();
    await sut.send(message(0), deadline());
    eskiz.expireTokens();
    let release!: () => void;
    eskiz.loginGate = new Promise<void>((resolve) => (release = resolve));

    const sending = Promise.all([1, 2, 3, 4, 5].map((n) => sut.send(message(n), deadline())));
    // Hold the re-login until every send has seen its 401, so all five wait on the same login.
    await eskiz.waitFor(() => eskiz.sends.filter((s) => s.status === 401).length === 5);
    release();
    const results = await sending;

    expect(eskiz.logins).toHaveLength(2);
    expect(eskiz.sends.filter((s) => s.status === 401)).toHaveLength(5);
    expect(eskiz.sends.filter((s) => s.status === 200)).toHaveLength(6);
    expect(new Set(results.map((r) => r.providerMessageId)).size).toBe(5);
    const retried = eskiz.sends
      .slice(-5)
      .map((s) => s.fields.message)
      .sort();
    expect(retried).toEqual([1, 2, 3, 4, 5].map((n) => message(n).text));
  });

  it('should pick up a token another instance already renewed instead of logging in again', async () => {
    const a = provider();
    const b = provider();
    await a.send(message(1), deadline());
    await b.send(message(2), deadline());
    eskiz.expireTokens();

    await a.send(message(3), deadline()); // 401, logs in, stores the new token
    await b.send(message(4), deadline()); // 401 with its old token, finds the new one in the store

    expect(eskiz.logins).toHaveLength(2);
    expect(eskiz.sends.map((s) => s.status)).toEqual([200, 200, 401, 200, 401, 200]);
  });

  it('should log in again only once when even the fresh token is refused', async () => {
    const sut = provider();
    await sut.send(message(1), deadline());
    eskiz.refuseAllTokens = true;

    const err = await sut.send(message(2), deadline()).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(true);
    expect(eskiz.logins).toHaveLength(2);
    expect(eskiz.sends.map((s) => s.status)).toEqual([200, 401, 401]);
  });

  it('should fail over (retryable) when the login itself is refused', async () => {
    const err = await provider({ password: 'wrong' })
      .send(message(), deadline())
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(true);
    expect((err as Error).message).toMatch(/login failed: HTTP 401/);
    expect(eskiz.sends).toHaveLength(0);
  });

  it('should reject (no failover) a number Eskiz says is invalid', async () => {
    eskiz.invalidNumbers.add('998901234567');

    const err = await provider()
      .send(message(), deadline())
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(false);
    expect((err as Error).message).toMatch(/HTTP 400.*mobile_phone/);
  });

  it('should stop at the deadline when Eskiz does not answer, and cut the request', async () => {
    const sut = provider();
    await sut.send(message(1), deadline());
    eskiz.hangSends = true;

    const err = await sut.send(message(2), AbortSignal.timeout(100)).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(true);
    await eskiz.waitFor(() => eskiz.abortedSends === 1);
  });

  it('should report an unreachable server as a retryable failure', async () => {
    const sut = provider();
    await eskiz.close();

    const err = await sut.send(message(), deadline()).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(true);
    expect((err as Error).message).toMatch(/eskiz: request failed: ECONNREFUSED/);
    eskiz = await FakeEskiz.start(); // for afterEach
  });

  it('should not follow a redirect, and report it as a retryable failure', async () => {
    const followed: string[] = [];
    const elsewhere = createServer((req, res) => {
      followed.push(req.url ?? '');
      res.end('{}');
    });
    const redirecting = createServer((req, res) => {
      req.resume();
      res.writeHead(307, { location: `http://127.0.0.1:${port(elsewhere)}/steal` }).end();
    });
    await Promise.all([listen(elsewhere), listen(redirecting)]);
    try {
      const sut = new EskizSmsProvider(
        {
          baseUrl: `http://127.0.0.1:${port(redirecting)}/`,
          email: eskiz.email,
          password: eskiz.password,
          from: '4546',
          loginTimeoutMs: 2_000,
        },
        store,
      );

      const err = await sut.send(message(), deadline()).catch((e: unknown) => e);

      expect(err).toBeInstanceOf(DeliveryError);
      expect((err as DeliveryError).retryable).toBe(true);
      expect((err as Error).message).toMatch(/redirect \(307\) refused/);
      expect(followed).toEqual([]);
    } finally {
      elsewhere.close();
      redirecting.close();
    }
  });
});

const listen = (server: Server) =>
  new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server: Server) => (server.address() as AddressInfo).port;
