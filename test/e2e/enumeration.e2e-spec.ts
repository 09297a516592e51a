import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Clock } from '#src/common/clock/clock.js';
import { FlowTasks } from '#src/flows/common/flow-tasks.js';
import { Sleeper } from '#src/flows/common/work-time-mimic.js';
import { FakeEmailProvider } from '#src/notification/email/fake.email-provider.js';
import type { EmailMessage } from '#src/notification/email/email-provider.js';
import { EmailProviderChain } from '#src/notification/provider-chain.js';
import { FakeClock } from '../support/fake-clock.js';
import { startTestApp, type HttpResult, type TestApp } from '../support/test-app.js';

// Whether an email has an active account must not show through any public endpoint, including
// the state a flow leaves behind (API.md, "No account enumeration, through any channel").
const ENV = {
  IP_VERIFY_MAX_PER_MINUTE: '100000',
  IP_SEND_MAX_PER_MINUTE: '100000',
  LOGIN_MAX_FAILURES: '100000',
};
const PASSWORD = 'correct horse battery staple';
const NO_ATTEMPT = '00000000-0000-4000-8000-000000000000';

let seq = 0;
const email = () => `enum${++seq}.${process.pid}@acme.example`;

/** What a client can compare between two answers: status, error code, counters, body keys. */
function visible(res: HttpResult): Record<string, unknown> {
  const body = (res.body ?? {}) as Record<string, unknown>;
  return {
    status: res.status,
    code: body.code,
    attemptsLeft: body.attemptsLeft,
    retryAfter: body.retryAfter,
    retryAfterHeader: res.headers.get('retry-after'),
    keys: Object.keys(body)
      .filter((k) => k !== 'requestId')
      .sort(),
  };
}

describe('No account enumeration through the state a flow leaves behind (e2e)', () => {
  let t: TestApp;
  const post = (path: string, body: unknown) => t.post(path, body);
  const settled = () => t.app.get(FlowTasks, { strict: false }).idle();
  /** A code that is wrong for the recipient (a decoy's code is never known: any code will do). */
  const wrongFor = (to: string) =>
    t.email.lastTo(to) && t.lastCode(to) === '000000' ? '111111' : '000000';

  /** A registered, verified account, past its registration's cooldown. */
  async function activeAccount(): Promise<string> {
    const to = email();
    const reg = await post('/v1/hr/register', {
      email: to,
      password: PASSWORD,
      fullName: 'Jane Doe',
      companyName: 'Acme',
    });
    const code = t.lastCode(to);
    const ok = await post('/v1/hr/register/verify', {
      email: to,
      code,
      verificationId: reg.body.verificationId,
    });
    expect(ok.status).toBe(200);
    t.clock.advanceSeconds(3600); // past every cooldown and the hourly quota
    return to;
  }

  /** Sends the same request for both emails and expects the same visible answer. */
  async function same(
    label: string,
    call: (to: string) => Promise<HttpResult>,
    pair: [string, string],
  ): Promise<Record<string, unknown>> {
    const a = visible(await call(pair[0]));
    const b = visible(await call(pair[1]));
    expect({ label, ...b }).toEqual({ label, ...a });
    return a;
  }

  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should leave the same state after a password-reset request for an active and an unknown email', async () => {
    const pair: [string, string] = [await activeAccount(), email()];

    const requested = await same(
      'reset request',
      (to) => post('/v1/password-reset/request', { email: to }),
      pair,
    );
    expect(requested.status).toBe(202);
    await settled();
    expect(t.email.lastTo(pair[1])).toBeUndefined(); // nothing delivered to the unknown email

    // The code state: a wrong code costs an attempt for both.
    const resetVerify = (to: string) =>
      post('/v1/password-reset/verify', { email: to, code: wrongFor(to) });
    expect(await same('reset verify', resetVerify, pair)).toMatchObject({
      status: 422,
      code: 'CODE_INVALID',
      attemptsLeft: 4,
    });
    // The cooldown, through every endpoint that sends.
    for (const purpose of ['password_reset', 'login', 'hr_registration']) {
      expect(
        await same(
          `otp send ${purpose}`,
          (to) => post('/v1/otp/send', { channel: 'email', to, purpose }),
          pair,
        ),
      ).toMatchObject({ status: 429, code: 'SEND_COOLDOWN', retryAfter: 60 });
    }
    expect(
      await same(
        'register',
        (to) =>
          post('/v1/hr/register', {
            email: to,
            password: PASSWORD,
            fullName: 'X',
            companyName: 'Y',
          }),
        pair,
      ),
    ).toMatchObject({ status: 429, code: 'SEND_COOLDOWN' });
    // The code's purpose, through the generic verify and the registration verify.
    expect(
      await same(
        'otp verify',
        (to) =>
          post('/v1/otp/verify', {
            channel: 'email',
            to,
            purpose: 'password_reset',
            code: wrongFor(to),
          }),
        pair,
      ),
    ).toMatchObject({ status: 422, attemptsLeft: 3 });
    expect(
      await same(
        'register verify',
        (to) =>
          post('/v1/hr/register/verify', { email: to, code: '123456', verificationId: NO_ATTEMPT }),
        pair,
      ),
    ).toMatchObject({ status: 404, code: 'CODE_NOT_FOUND' });

    // The hourly quota: four more requests an answer apart, then both are over it.
    for (let i = 0; i < 4; i++) {
      t.clock.advanceSeconds(61);
      await same('reset request', (to) => post('/v1/password-reset/request', { email: to }), pair);
      await settled();
    }
    t.clock.advanceSeconds(61);
    expect(
      await same(
        'otp send after the quota',
        (to) => post('/v1/otp/send', { channel: 'email', to, purpose: 'login' }),
        pair,
      ),
    ).toMatchObject({ status: 429, code: 'SEND_QUOTA_EXCEEDED' });

    // The lockout: wrong codes lock both the same way.
    for (let i = 0; i < 2; i++) {
      expect(await same('wrong reset code', resetVerify, pair)).toMatchObject({ status: 422 });
    }
    expect(await same('locking reset code', resetVerify, pair)).toMatchObject({
      status: 429,
      code: 'RECIPIENT_LOCKED',
    });
    expect(
      await same(
        'send while locked',
        (to) => post('/v1/otp/send', { channel: 'email', to, purpose: 'login' }),
        pair,
      ),
    ).toMatchObject({ status: 429, code: 'RECIPIENT_LOCKED' });
  });

  it('should leave the same state after a registration of an active and of a new email', async () => {
    const pair: [string, string] = [await activeAccount(), email()];
    const registrations = new Map<string, string>();
    const register = async (to: string) => {
      const res = await post('/v1/hr/register', {
        email: to,
        password: 'someone else entirely',
        fullName: 'Mallory',
        companyName: 'Evil Corp',
      });
      if (res.status === 202) registrations.set(to, res.body.verificationId);
      return res;
    };
    expect(await same('register', register, pair)).toMatchObject({
      status: 202,
      keys: ['expiresAt', 'verificationId'],
    });
    // A second registration within the cooldown.
    t.clock.advanceSeconds(10);
    expect(await same('register again', register, pair)).toMatchObject({
      status: 429,
      code: 'SEND_COOLDOWN',
      retryAfter: 50,
    });
    // A wrong code for the registration, through both verify endpoints.
    expect(
      await same(
        'register verify',
        (to) =>
          post('/v1/hr/register/verify', {
            email: to,
            code: wrongFor(to),
            verificationId: registrations.get(to),
          }),
        pair,
      ),
    ).toMatchObject({ status: 422, code: 'CODE_INVALID', attemptsLeft: 4 });
    expect(
      await same(
        'otp verify',
        (to) =>
          post('/v1/otp/verify', {
            channel: 'email',
            to,
            purpose: 'hr_registration',
            code: wrongFor(to),
          }),
        pair,
      ),
    ).toMatchObject({ status: 422, attemptsLeft: 3 });
    // No reset code exists for either.
    expect(
      await same(
        'reset verify',
        (to) => post('/v1/password-reset/verify', { email: to, code: '123456' }),
        pair,
      ),
    ).toMatchObject({ status: 404, code: 'CODE_NOT_FOUND' });
    // The cooldown through the generic send, for any purpose.
    expect(
      await same(
        'otp send',
        (to) => post('/v1/otp/send', { channel: 'email', to, purpose: 'login' }),
        pair,
      ),
    ).toMatchObject({ status: 429, code: 'SEND_COOLDOWN', retryAfter: 50 });
    // Only the new email received a code; the active account is unchanged.
    const login = await post('/v1/hr/login', { email: pair[0], password: PASSWORD });
    expect(login.status).toBe(200);
  });
});

/** A fake email provider whose delivery takes `ms` on the injected clock. */
class SlowEmailProvider extends FakeEmailProvider {
  constructor(
    private readonly clock: FakeClock,
    private readonly ms: number,
  ) {
    super('slow-fake-email');
  }

  override send(message: EmailMessage): Promise<{ providerMessageId: string }> {
    this.clock.advance(this.ms);
    return super.send(message);
  }
}

/** Waits on the injected clock: advances it instead of sleeping, and records each wait. */
class ClockSleeper extends Sleeper {
  readonly waits: number[] = [];
  constructor(private readonly clock: FakeClock) {
    super();
  }
  sleep(ms: number): Promise<void> {
    this.waits.push(ms);
    this.clock.advance(ms);
    return Promise.resolve();
  }
}

describe('Registration timing on the injected clock (e2e)', () => {
  const DELIVERY_MS = 37;
  const clock = new FakeClock();
  const outbox = new SlowEmailProvider(clock, DELIVERY_MS);
  const sleeper = new ClockSleeper(clock);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: ENV,
      override: (b) =>
        b
          .overrideProvider(Clock)
          .useValue(clock)
          .overrideProvider(EmailProviderChain)
          .useValue({ providers: [outbox] })
          .overrideProvider(Sleeper)
          .useValue(sleeper),
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const register = (to: string, password = PASSWORD) =>
    t.post('/v1/hr/register', { email: to, password, fullName: 'Jane Doe', companyName: 'Acme' });

  /** Clock time a registration took, start to answer (the clock moves only by delivery and waits). */
  async function elapsed(to: string): Promise<number> {
    const started = clock.now().getTime();
    expect((await register(to)).status).toBe(202);
    return clock.now().getTime() - started;
  }

  it('should answer a registration of an active email at the same scheduled deadline as a new one', async () => {
    const active = email();
    const reg = await register(active);
    const code = /\b(\d{6})\b/.exec(outbox.lastTo(active)!.text)![1];
    const ok = await t.post('/v1/hr/register/verify', {
      email: active,
      code,
      verificationId: reg.body.verificationId,
    });
    expect(ok.status).toBe(200);

    const forNew: number[] = [];
    const forActive: number[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(721_000); // past the active email's cooldown, within its hourly quota
      forNew.push(await elapsed(email()));
      forActive.push(await elapsed(active));
    }
    // The real path delivers (37 ms on the clock); the decoy waits for the same deadline.
    expect(forNew).toEqual(Array(5).fill(DELIVERY_MS));
    expect(forActive).toEqual(Array(5).fill(DELIVERY_MS));
    expect(sleeper.waits.slice(-5)).toEqual(Array(5).fill(DELIVERY_MS));
    expect(outbox.outbox.filter((m) => m.to === active)).toHaveLength(1);
  });
});
