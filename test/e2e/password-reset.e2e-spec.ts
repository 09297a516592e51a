import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AuditService } from '#src/audit/audit.service.js';
import { FlowTasks } from '#src/flows/common/flow-tasks.js';
import { PasswordHasher } from '#src/accounts/password-hasher.js';
import { SmtpReceiver } from '../support/smtp-receiver.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Flow rules; IP limits are raised here, and checked with the defaults in their own describe.
const ENV = { IP_VERIFY_MAX_PER_MINUTE: '100000', IP_SEND_MAX_PER_MINUTE: '100000' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OLD_PASSWORD = 'the old password';
const NEW_PASSWORD = 'a brand new passphrase';

let seq = 0;
const email = () => `reset${++seq}.${process.pid}@acme.example`;
const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Times POSTs from a separate process, as a remote client sees them: an in-process client would
// wait for the embedded database's queries (they run on the event loop) of the work a request
// does after answering, which no remote client can observe.
const TIMER_SCRIPT = `
process.on('message', async ({ url, body }) => {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.text();
  process.send({ status: res.status, ms: performance.now() - started });
});`;

class RemoteTimer {
  private readonly child: ChildProcess = spawn(process.execPath, ['-e', TIMER_SCRIPT], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

  async post(url: string, body: unknown): Promise<{ status: number; ms: number }> {
    const reply = once(this.child, 'message');
    this.child.send({ url, body });
    return (await reply)[0] as { status: number; ms: number };
  }

  close(): void {
    this.child.kill();
  }
}

/** HTTP helpers shared by the fake-outbox and the SMTP suites. */
function flows(t: TestApp) {
  // The verificationId of each email's last accepted registration.
  const registrations = new Map<string, string>();
  return {
    register: async (to: string, password = OLD_PASSWORD) => {
      const res = await t.post('/v1/hr/register', {
        email: to,
        password,
        fullName: 'Jane Doe',
        companyName: 'Acme',
      });
      if (res.status === 202) registrations.set(to, res.body.verificationId);
      return res;
    },
    activate: (to: string, code: string) =>
      t.post('/v1/hr/register/verify', {
        email: to,
        code,
        verificationId: registrations.get(to) ?? '00000000-0000-4000-8000-000000000000',
      }),
    login: (to: string, password: string) => t.post('/v1/hr/login', { email: to, password }),
    me: (token: string) => t.get('/v1/hr/me', { authorization: `Bearer ${token}` }),
    request: (to: string) => t.post('/v1/password-reset/request', { email: to }),
    verify: (to: string, code: string) => t.post('/v1/password-reset/verify', { email: to, code }),
    complete: (resetToken: string, newPassword = NEW_PASSWORD) =>
      t.post('/v1/password-reset/complete', { resetToken, newPassword }),
    /** Waits for the work a reset request does after answering (look-up, send, audit). */
    settled: () => t.app.get(FlowTasks, { strict: false }).idle(),
  };
}

describe('Password reset (e2e)', () => {
  let t: TestApp;
  let f: ReturnType<typeof flows>;
  const sentTo = (to: string) => t.email.outbox.filter((m) => m.to === to);

  /** A registered and verified account whose registration cooldown has passed. */
  async function activeAccount(to = email()): Promise<string> {
    expect((await f.register(to)).status).toBe(202);
    expect((await f.activate(to, t.lastCode(to))).status).toBe(200);
    t.clock.advanceSeconds(60);
    return to;
  }

  /** request → code from the outbox → verify; returns the reset token. */
  async function resetToken(to: string): Promise<string> {
    expect((await f.request(to)).status).toBe(202);
    await f.settled();
    const res = await f.verify(to, t.lastCode(to));
    expect(res.status).toBe(200);
    return res.body.resetToken;
  }

  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
    f = flows(t);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('the whole flow', () => {
    it('should reset the password once, retire the old password and older access tokens, and send a notice', async () => {
      const to = await activeAccount();
      const oldSession = await f.login(to, OLD_PASSWORD);
      expect((await f.me(oldSession.body.accessToken)).status).toBe(200);
      const mailsBefore = sentTo(to).length;

      const requested = await f.request(to);
      expect(requested.status).toBe(202);
      expect(Object.keys(requested.body).sort()).toEqual(['expiresAt', 'verificationId']);
      expect(requested.body.verificationId).toMatch(UUID);
      expect(new Date(requested.body.expiresAt).getTime()).toBe(t.clock.now().getTime() + 600_000);
      await f.settled();
      expect(sentTo(to)).toHaveLength(mailsBefore + 1);
      expect(sentTo(to).at(-1)!.subject).toMatch(/password reset/i);

      const verified = await f.verify(to, t.lastCode(to));
      expect(verified.status).toBe(200);
      expect(Object.keys(verified.body).sort()).toEqual(['expiresAt', 'resetToken']);
      expect(new Date(verified.body.expiresAt).getTime()).toBe(
        Math.floor(t.clock.now().getTime() / 1000) * 1000 + 600_000,
      );

      const done = await f.complete(verified.body.resetToken);
      expect(done.status).toBe(204);
      expect(done.body).toBeUndefined();
      const reused = await f.complete(verified.body.resetToken, 'yet another password');
      expect(reused.status).toBe(401);
      expect(reused.body.code).toBe('TOKEN_INVALID');

      expect((await f.login(to, OLD_PASSWORD)).body.code).toBe('INVALID_CREDENTIALS');
      expect((await f.login(to, 'yet another password')).status).toBe(401);
      const newSession = await f.login(to, NEW_PASSWORD);
      expect(newSession.status).toBe(200);
      expect((await f.me(newSession.body.accessToken)).status).toBe(200);
      // Issued before the reset, in the same (frozen) millisecond of the FakeClock.
      const stale = await f.me(oldSession.body.accessToken);
      expect(stale.status).toBe(401);
      expect(stale.body.code).toBe('TOKEN_INVALID');

      await f.settled();
      const notice = sentTo(to).at(-1)!;
      expect(notice.subject).toMatch(/password was changed/i);
      expect(notice.text).not.toMatch(/\b\d{6}\b/);
      expect(sentTo(to)).toHaveLength(mailsBefore + 2);
    });

    it('should answer a request for an unknown or pending address the same way, and email nothing', async () => {
      const active = await activeAccount();
      const pending = email();
      await f.register(pending);
      const unknown = email();
      const pendingMails = sentTo(pending).length;

      const answers = [await f.request(active), await f.request(unknown), await f.request(pending)];
      await f.settled();
      for (const res of answers) {
        expect(res.status).toBe(202);
        expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'verificationId']);
        expect(res.body.verificationId).toMatch(UUID);
        expect(res.body.expiresAt).toBe(answers[0].body.expiresAt);
      }
      expect(sentTo(active).at(-1)!.subject).toMatch(/password reset/i);
      expect(sentTo(unknown)).toHaveLength(0);
      expect(sentTo(pending)).toHaveLength(pendingMails);
    });

    it('should answer 202 again within the cooldown and send only one code', async () => {
      const to = await activeAccount();
      const before = sentTo(to).length;
      expect((await f.request(to)).status).toBe(202);
      expect((await f.request(to)).status).toBe(202);
      await f.settled();
      expect(sentTo(to)).toHaveLength(before + 1);
      expect((await f.verify(to, t.lastCode(to))).status).toBe(200);
    });

    it('should take about as long for an unknown address as for an active one (median of 15 interleaved calls each)', async () => {
      const actives: string[] = [];
      for (let i = 0; i < 18; i++) actives.push(await activeAccount());
      const forActive: number[] = [];
      const forUnknown: number[] = [];
      const timer = new RemoteTimer();
      const url = `${t.baseUrl}/v1/password-reset/request`;
      try {
        for (let i = 0; i < 18; i++) {
          // Each answer is timed alone: the work done after an answer stays out of the next sample.
          const active = await timer.post(url, { email: actives[i] });
          await f.settled();
          const unknown = await timer.post(url, { email: email() });
          await f.settled();
          expect([active.status, unknown.status]).toEqual([202, 202]);
          if (i < 3) continue; // warm-up
          forActive.push(active.ms);
          forUnknown.push(unknown.ms);
        }
      } finally {
        timer.close();
      }
      const ratio = median(forUnknown) / median(forActive);
      console.info(
        `reset request timing: active median ${median(forActive).toFixed(1)} ms, unknown median ${median(forUnknown).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`,
      );
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
      expect(
        actives.every((to) =>
          sentTo(to)
            .at(-1)!
            .subject.match(/password reset/i),
        ),
      ).toBe(true);
    });
  });

  describe('errors', () => {
    it('should reject malformed bodies with 400', async () => {
      const cases: [string, unknown, string][] = [
        ['/v1/password-reset/request', {}, 'email'],
        ['/v1/password-reset/request', { email: 'a@acme.example', extra: 1 }, 'extra'],
        ['/v1/password-reset/verify', { email: 'a@acme.example', code: '12 34' }, 'code'],
        ['/v1/password-reset/verify', { email: 'a@acme.example' }, 'code'],
        ['/v1/password-reset/complete', { resetToken: 'x', newPassword: 'short' }, 'newPassword'],
        [
          '/v1/password-reset/complete',
          { resetToken: 'x', newPassword: 'p'.repeat(129) },
          'newPassword',
        ],
        ['/v1/password-reset/complete', { newPassword: NEW_PASSWORD }, 'resetToken'],
        [
          '/v1/password-reset/complete',
          { resetToken: 'x'.repeat(4097), newPassword: NEW_PASSWORD },
          'resetToken',
        ],
      ];
      for (const [path, body, field] of cases) {
        const res = await t.post(path, body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      }
      const invalid = await f.request('not-an-email');
      expect(invalid.status).toBe(400);
      expect(invalid.body.code).toBe('INVALID_RECIPIENT');
    });

    it('should pass code errors through: wrong, expired, missing, and the lockout', async () => {
      const to = await activeAccount();
      await f.request(to);
      await f.settled();
      const code = t.lastCode(to);
      const bad = await f.verify(to, wrong(code));
      expect(bad.status).toBe(422);
      expect(bad.body).toMatchObject({ code: 'CODE_INVALID', attemptsLeft: 4 });
      t.clock.advanceSeconds(601);
      expect((await f.verify(to, code)).status).toBe(410);
      expect((await f.verify(email(), '123456')).body.code).toBe('CODE_NOT_FOUND');

      await f.request(to);
      await f.settled();
      const fresh = t.lastCode(to);
      for (let i = 0; i < 3; i++) expect((await f.verify(to, wrong(fresh))).status).toBe(422);
      const locked = await f.verify(to, wrong(fresh));
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('RECIPIENT_LOCKED');
      expect(locked.headers.get('retry-after')).toBe(String(locked.body.retryAfter));
      expect((await f.verify(to, fresh)).body.code).toBe('RECIPIENT_LOCKED');
      expect((await f.login(to, OLD_PASSWORD)).status).toBe(200);
    });

    it('should refuse a reset token that is forged, expired, or for another purpose', async () => {
      const to = await activeAccount();
      const token = await resetToken(to);
      const [h, p, s] = token.split('.');
      const forged = await f.complete(
        `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`,
      );
      expect(forged.body.code).toBe('TOKEN_INVALID');
      expect((await f.complete('not-a-token')).body.code).toBe('TOKEN_INVALID');

      // A verification token for hr_registration is not a reset token.
      t.clock.advanceSeconds(60);
      await t.post('/v1/otp/send', { channel: 'email', to, purpose: 'hr_registration' });
      const registration = await t.post('/v1/otp/verify', {
        channel: 'email',
        to,
        purpose: 'hr_registration',
        code: t.lastCode(to),
      });
      const foreign = await f.complete(registration.body.verificationToken);
      expect(foreign.status).toBe(401);
      expect(foreign.body.code).toBe('TOKEN_INVALID');

      t.clock.advanceSeconds(601);
      const expired = await f.complete(token);
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('TOKEN_INVALID');
      expect((await f.login(to, OLD_PASSWORD)).status).toBe(200);
      expect((await f.login(to, NEW_PASSWORD)).status).toBe(401);
    });

    it('should refuse a valid reset token for an address without an active account', async () => {
      const to = email();
      await t.post('/v1/otp/send', { channel: 'email', to, purpose: 'password_reset' });
      const token = (await f.verify(to, t.lastCode(to))).body.resetToken;
      const res = await f.complete(token);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('TOKEN_INVALID');
      expect((await f.login(to, NEW_PASSWORD)).status).toBe(401);
    });
  });

  describe('token kinds (issue 15.3)', () => {
    it('should refuse a verification token from /v1/otp/verify (purpose password_reset) and an access token at /complete', async () => {
      const to = await activeAccount();
      await t.post('/v1/otp/send', { channel: 'email', to, purpose: 'password_reset' });
      const verification = await t.post('/v1/otp/verify', {
        channel: 'email',
        to,
        purpose: 'password_reset',
        code: t.lastCode(to),
      });
      expect(verification.status).toBe(200);
      const generic = await f.complete(verification.body.verificationToken);
      expect(generic.status).toBe(401);
      expect(generic.body.code).toBe('TOKEN_INVALID');

      const session = await f.login(to, OLD_PASSWORD);
      const access = await f.complete(session.body.accessToken);
      expect(access.status).toBe(401);
      expect(access.body.code).toBe('TOKEN_INVALID');

      expect((await f.login(to, NEW_PASSWORD)).status).toBe(401);
      expect((await f.login(to, OLD_PASSWORD)).status).toBe(200);
    });

    it('should refuse a reset token everywhere else: /v1/otp/tokens/consume and /v1/hr/me', async () => {
      const to = await activeAccount();
      const token = await resetToken(to);
      for (const purpose of ['password_reset', 'hr_registration', 'login']) {
        const consumed = await t.post('/v1/otp/tokens/consume', {
          verificationToken: token,
          purpose,
        });
        expect(consumed.status).toBe(401);
        expect(consumed.body.code).toBe('TOKEN_INVALID');
      }
      const me = await f.me(token);
      expect(me.status).toBe(401);
      expect(me.body.code).toBe('TOKEN_INVALID');
      // Still a good reset token: nothing above used it up.
      expect((await f.complete(token)).status).toBe(204);
    });

    it('should check the token before hashing the new password: a garbage or foreign token costs no hash', async () => {
      const to = await activeAccount();
      const hasher = t.app.get(PasswordHasher, { strict: false });
      let hashes = 0;
      const original = hasher.hash.bind(hasher);
      hasher.hash = (password: string) => {
        hashes++;
        return original(password);
      };
      try {
        const session = await f.login(to, OLD_PASSWORD);
        for (const token of ['garbage', 'a.b.c', session.body.accessToken]) {
          expect((await f.complete(token)).body.code).toBe('TOKEN_INVALID');
        }
        expect(hashes).toBe(0);
        expect((await f.complete(await resetToken(to))).status).toBe(204);
        expect(hashes).toBe(1);
      } finally {
        hasher.hash = original;
      }
    });
  });

  describe('purposes', () => {
    it('should not accept a registration code for a reset, nor a reset code for a registration', async () => {
      const pending = email();
      await f.register(pending);
      const registrationCode = t.lastCode(pending);
      const crossed = await f.verify(pending, registrationCode);
      expect(crossed.status).toBe(404);
      expect(crossed.body.code).toBe('CODE_NOT_FOUND');
      // Still the registration's code: it activates the account.
      expect((await f.activate(pending, registrationCode)).status).toBe(200);

      t.clock.advanceSeconds(60);
      await f.request(pending); // now active: a reset code is sent
      await f.settled();
      const resetCode = t.lastCode(pending);
      expect(t.email.lastTo(pending)!.subject).toMatch(/password reset/i);
      const other = await f.activate(pending, resetCode);
      expect(other.status).toBe(404);
      expect(other.body.code).toBe('CODE_NOT_FOUND');
      expect((await f.verify(pending, resetCode)).status).toBe(200);
    });
  });

  describe('audit trail', () => {
    it('should record requests (sent or not) and completions without tokens or passwords', async () => {
      const to = await activeAccount();
      const unknown = email();
      await f.request(unknown);
      const token = await resetToken(to);
      expect((await f.complete(token)).status).toBe(204);

      const audit = t.app.get(AuditService);
      const rowsFor = (recipient: string): Promise<{ type: string; details: any }[]> =>
        t.app.get(DataSource).query(
          `SELECT type, details FROM audit_events
             WHERE recipient_hash = $1 AND type LIKE 'password_reset.%' ORDER BY occurred_at, id`,
          [audit.hashRecipient(recipient)],
        );
      const mine = await rowsFor(to);
      expect(mine.map((r) => r.type)).toEqual([
        'password_reset.requested',
        'password_reset.completed',
      ]);
      expect(mine[0].details).toMatchObject({
        outcome: 'sent',
        activeAccount: true,
        accountId: expect.stringMatching(UUID),
      });
      expect(mine[1].details).toEqual({ accountId: mine[0].details.accountId });
      const theirs = await rowsFor(unknown);
      // No active account: a decoy code (same state, nothing delivered), audited as such.
      expect(theirs).toEqual([
        {
          type: 'password_reset.requested',
          details: {
            verificationId: expect.stringMatching(UUID),
            outcome: 'decoy',
            activeAccount: false,
            sentVerificationId: expect.stringMatching(UUID),
          },
        },
      ]);
      const decoys = await t.admin(
        'GET',
        `/v1/admin/audit-events?type=otp.decoy_sent&recipient=${encodeURIComponent(unknown)}`,
      );
      expect(decoys.body.items).toHaveLength(1);
      expect(decoys.body.items[0]).toMatchObject({
        purpose: 'password_reset',
        details: { verificationId: theirs[0].details.sentVerificationId, decoy: true },
      });
      const text = JSON.stringify([mine, theirs]);
      expect(text).not.toContain(token);
      expect(text).not.toContain(NEW_PASSWORD);
    });
  });
});

describe('Password reset with the default IP limits (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('should limit /v1/password-reset/request to 10 per minute and /v1/password-reset/complete to 3', async () => {
    for (let i = 0; i < 10; i++) {
      expect(
        (await t.post('/v1/password-reset/request', { email: `ip${i}@acme.example` })).status,
      ).toBe(202);
    }
    const limited = await t.post('/v1/password-reset/request', { email: 'ip@acme.example' });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'IP_RATE_LIMITED', retryAfter: 900 });

    const complete = () =>
      t.post('/v1/password-reset/complete', { resetToken: 'x', newPassword: NEW_PASSWORD });
    for (let i = 0; i < 3; i++) expect((await complete()).status).toBe(401);
    expect((await complete()).body.code).toBe('IP_RATE_LIMITED');
    await t.app.get(FlowTasks, { strict: false }).idle();
  });
});

describe('Password reset over a real SMTP server (e2e)', () => {
  let receiver: SmtpReceiver;
  let t: TestApp;
  let f: ReturnType<typeof flows>;
  beforeAll(async () => {
    receiver = await SmtpReceiver.start();
    t = await startTestApp({
      realProviders: true,
      env: {
        ...ENV,
        EMAIL_PROVIDERS: 'smtp',
        SMS_PROVIDERS: 'console',
        SMTP_URL: receiver.url,
        EMAIL_FROM: 'no-reply@codeward.test',
      },
    });
    f = flows(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const mailsTo = (to: string) => receiver.messages.filter((m) => m.envelopeTo.includes(to));
  const codeIn = (text: string | undefined) => /\b(\d{6})\b/.exec(text ?? '')?.[1] ?? '';

  it('should reset a password with the code read from the delivered email and deliver the notice', async () => {
    const to = email();
    expect((await f.register(to)).status).toBe(202);
    await receiver.waitFor(() => mailsTo(to).length === 1);
    expect((await f.activate(to, codeIn(mailsTo(to)[0].parsed.text))).status).toBe(200);
    const oldSession = await f.login(to, OLD_PASSWORD);
    t.clock.advanceSeconds(60);

    expect((await f.request(to)).status).toBe(202);
    await receiver.waitFor(() => mailsTo(to).length === 2);
    const resetMail = mailsTo(to)[1];
    expect(resetMail.parsed.subject).toMatch(/password reset/i);
    const verified = await f.verify(to, codeIn(resetMail.parsed.text));
    expect(verified.status).toBe(200);
    expect((await f.complete(verified.body.resetToken)).status).toBe(204);

    await receiver.waitFor(() => mailsTo(to).length === 3);
    expect(mailsTo(to)[2].parsed.subject).toMatch(/password was changed/i);
    expect((await f.login(to, OLD_PASSWORD)).status).toBe(401);
    expect((await f.login(to, NEW_PASSWORD)).status).toBe(200);
    expect((await f.me(oldSession.body.accessToken)).status).toBe(401);

    // An unknown address: 202, and the SMTP server receives nothing once the request has settled.
    const before = receiver.messages.length;
    expect((await f.request(email())).status).toBe(202);
    await f.settled();
    expect(receiver.messages.length).toBe(before);
  });
});
