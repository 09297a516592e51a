import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AuditService } from '#src/audit/audit.service.js';
import { SmtpReceiver } from '../support/smtp-receiver.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Flow rules; IP limits are raised here, and checked with the defaults in their own describe.
const ENV = {
  IP_VERIFY_MAX_PER_MINUTE: '100000',
  IP_SEND_MAX_PER_MINUTE: '100000',
  LOGIN_MAX_FAILURES: '100000',
};
const NO_ATTEMPT = '00000000-0000-4000-8000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PASSWORD = 'correct horse battery staple';

let seq = 0;
const email = () => `hr${++seq}.${process.pid}@acme.example`;
const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds one request takes, end to end over HTTP. */
async function timed(call: () => Promise<{ status: number }>, status: number): Promise<number> {
  const started = performance.now();
  const res = await call();
  const ms = performance.now() - started;
  expect(res.status).toBe(status);
  return ms;
}

describe('HR registration and login (e2e)', () => {
  let t: TestApp;
  // The verificationId of each email's last accepted registration.
  const attempts = new Map<string, string>();
  const key = (to: string) => to.trim().toLowerCase();
  const register = async (to: string, extra: Record<string, unknown> = {}) => {
    const res = await t.post('/v1/hr/register', {
      email: to,
      password: PASSWORD,
      fullName: 'Jane Doe',
      companyName: 'Acme LLC',
      ...extra,
    });
    if (res.status === 202) attempts.set(key(to), res.body.verificationId);
    return res;
  };
  const verify = (to: string, code: string, verificationId = attempts.get(key(to)) ?? NO_ATTEMPT) =>
    t.post('/v1/hr/register/verify', { email: to, code, verificationId });
  const login = (to: string, password = PASSWORD) =>
    t.post('/v1/hr/login', { email: to, password });
  const me = (token: string) => t.get('/v1/hr/me', { authorization: `Bearer ${token}` });
  const sentTo = (to: string) => t.email.outbox.filter((m) => m.to === to).length;

  /** A registered and verified account. */
  async function activeAccount(to = email(), password = PASSWORD): Promise<string> {
    expect((await register(to, { password })).status).toBe(202);
    expect((await verify(to, t.lastCode(to))).status).toBe(200);
    return to;
  }

  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('register and verify', () => {
    it('should create a pending account, email a code, activate it and then log in', async () => {
      const to = email();

      const res = await register(to);
      expect(res.status).toBe(202);
      expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'verificationId']);
      expect(res.body.verificationId).toMatch(UUID);
      expect(new Date(res.body.expiresAt).getTime()).toBe(t.clock.now().getTime() + 600_000);
      expect(sentTo(to)).toBe(1);
      expect(t.email.lastTo(to)!.subject).toMatch(/registration/i);

      // Pending: the right password does not log in yet.
      expect((await login(to)).body.code).toBe('INVALID_CREDENTIALS');

      const activated = await verify(to, t.lastCode(to));
      expect(activated.status).toBe(200);
      expect(activated.body).toEqual({
        accountId: expect.stringMatching(UUID),
        email: to,
        status: 'active',
      });

      const session = await login(to);
      expect(session.status).toBe(200);
      expect(Object.keys(session.body).sort()).toEqual(['accessToken', 'expiresAt']);
      expect(new Date(session.body.expiresAt).getTime()).toBe(
        Math.floor(t.clock.now().getTime() / 1000) * 1000 + 3_600_000,
      );
      const profile = await me(session.body.accessToken);
      expect(profile.status).toBe(200);
      expect(profile.body).toEqual({
        accountId: activated.body.accountId,
        email: to,
        fullName: 'Jane Doe',
        companyName: 'Acme LLC',
      });
    });

    it('should treat the email in any case and padding as one account', async () => {
      const res = await register('  Mixed.Case@ACME.example ');
      expect(res.status).toBe(202);
      const code = t.lastCode('mixed.case@acme.example');
      const activated = await verify('MIXED.case@acme.EXAMPLE', code);
      expect(activated.body).toMatchObject({ email: 'mixed.case@acme.example', status: 'active' });
      expect((await login(' MIXED.CASE@acme.example')).status).toBe(200);
    });

    it('should refresh a pending account on a later registration, keeping only the newest code and password', async () => {
      const to = email();
      await register(to, { password: 'first password 1', fullName: 'Old Name' });
      const firstCode = t.lastCode(to);
      t.clock.advanceSeconds(60);
      expect(
        (await register(to, { password: 'second password 2', fullName: 'New Name' })).status,
      ).toBe(202);
      const secondCode = t.lastCode(to);
      // The replaced code answers CODE_NOT_FOUND and counts no failure (API.md "OTP").
      if (firstCode !== secondCode) expect((await verify(to, firstCode)).status).toBe(404);

      expect((await verify(to, secondCode)).status).toBe(200);
      expect((await login(to, 'first password 1')).status).toBe(401);
      const session = await login(to, 'second password 2');
      expect(session.status).toBe(200);
      expect((await me(session.body.accessToken)).body.fullName).toBe('New Name');
    });

    it('should surface the send cooldown for a pending account and then leave the account unchanged', async () => {
      const to = email();
      await register(to, { password: 'the first password' });
      const code = t.lastCode(to);
      t.clock.advanceSeconds(10);

      const again = await register(to, { password: 'an intruder password' });
      expect(again.status).toBe(429);
      expect(again.body).toMatchObject({ code: 'SEND_COOLDOWN', retryAfter: 50 });
      expect(again.headers.get('retry-after')).toBe('50');
      expect(sentTo(to)).toBe(1);

      // The live code still activates the password it was sent for, not the refused one.
      expect((await verify(to, code)).status).toBe(200);
      expect((await login(to, 'an intruder password')).status).toBe(401);
      expect((await login(to, 'the first password')).status).toBe(200);
    });

    it('should accept a code once: a second verify finds no code', async () => {
      const to = email();
      await register(to);
      const code = t.lastCode(to);
      expect((await verify(to, code)).status).toBe(200);
      const again = await verify(to, code);
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('CODE_NOT_FOUND');
    });
  });

  describe('takeover of a pending registration (issue 15.2)', () => {
    it("should never activate another party's password with the owner's newest code, and let the owner finish by registering again", async () => {
      const to = email();
      // The owner registers.
      const owner = await register(to, { password: 'the owner password', fullName: 'Owner' });
      expect(owner.status).toBe(202);
      const ownerCode = t.lastCode(to);
      // Another party re-registers the same email after the cooldown, with their own password.
      t.clock.advanceSeconds(60);
      const other = await register(to, { password: 'the other password', fullName: 'Mallory' });
      expect(other.status).toBe(202);
      expect(other.body.verificationId).not.toBe(owner.body.verificationId);
      const newestCode = t.lastCode(to); // lands in the owner's inbox

      // The owner enters the newest code from the inbox into their own registration.
      const crossed = await verify(to, newestCode, owner.body.verificationId);
      expect(crossed.status).toBe(404);
      expect(crossed.body.code).toBe('CODE_NOT_FOUND');
      // Their own older code does not activate anything either.
      expect((await verify(to, ownerCode, owner.body.verificationId)).status).not.toBe(200);
      // The other party's registration cannot be activated with the code, now used up.
      expect((await verify(to, newestCode, other.body.verificationId)).status).toBe(404);
      expect((await login(to, 'the other password')).body.code).toBe('INVALID_CREDENTIALS');
      expect((await login(to, 'the owner password')).body.code).toBe('INVALID_CREDENTIALS');

      // The owner registers again and finishes with the code sent for that registration.
      t.clock.advanceSeconds(60);
      const again = await register(to, { password: 'the owner password', fullName: 'Owner' });
      expect(again.status).toBe(202);
      const activated = await verify(to, t.lastCode(to), again.body.verificationId);
      expect(activated.status).toBe(200);
      expect((await login(to, 'the other password')).status).toBe(401);
      const session = await login(to, 'the owner password');
      expect(session.status).toBe(200);
      expect((await me(session.body.accessToken)).body.fullName).toBe('Owner');
    });

    it("should activate the registration a code was sent for with that registration's password, whatever came after", async () => {
      const to = email();
      await register(to, { password: 'the owner password' });
      const first = attempts.get(to)!;
      // Someone else's registration within the cooldown is refused and stores nothing.
      expect((await register(to, { password: 'the other password' })).status).toBe(429);
      expect((await verify(to, t.lastCode(to), first)).status).toBe(200);
      expect((await login(to, 'the other password')).status).toBe(401);
      expect((await login(to, 'the owner password')).status).toBe(200);
      // Once active, a later registration changes nothing, even with its own (decoy) attempt.
      t.clock.advanceSeconds(60);
      const later = await register(to, { password: 'the other password' });
      expect(later.status).toBe(202);
      expect((await login(to, 'the other password')).status).toBe(401);
    });
  });

  describe('an email that already has an active account', () => {
    it('should answer like a new registration but send nothing and change nothing', async () => {
      const to = await activeAccount();
      const before = await login(to);
      const outboxBefore = sentTo(to);
      t.clock.advanceSeconds(60); // past the cooldown of the registration that created it

      const fresh = await register(email());
      const res = await register(to, {
        password: 'attacker password',
        fullName: 'Mallory',
        companyName: 'Evil Corp',
      });
      expect(res.status).toBe(fresh.status);
      expect(Object.keys(res.body).sort()).toEqual(Object.keys(fresh.body).sort());
      expect(res.body.verificationId).toMatch(UUID);
      expect(res.body.verificationId).not.toBe(fresh.body.verificationId);
      expect(res.body.expiresAt).toBe(fresh.body.expiresAt);
      expect(sentTo(to)).toBe(outboxBefore);

      // Untouched: same password, same details, same account, tokens still valid.
      expect((await login(to, 'attacker password')).status).toBe(401);
      const profile = await me(before.body.accessToken);
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ fullName: 'Jane Doe', companyName: 'Acme LLC' });
      // A decoy code exists for it, never delivered: a guess answers like any wrong code.
      const guess = await verify(to, '123456', res.body.verificationId);
      expect(guess.status).toBe(422);
      expect(guess.body).toMatchObject({ code: 'CODE_INVALID', attemptsLeft: 4 });
    });
  });

  describe('errors', () => {
    it('should reject malformed registrations with 400 VALIDATION_FAILED naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ password: 'seven77' }, 'password'],
        [{ password: 'x'.repeat(129) }, 'password'],
        [{ password: 12345678 }, 'password'],
        [{ fullName: '   ' }, 'fullName'],
        [{ fullName: 'x'.repeat(201) }, 'fullName'],
        [{ companyName: undefined }, 'companyName'],
        [{ companyName: 'x'.repeat(201) }, 'companyName'],
        [{ email: 42 }, 'email'],
        [{ role: 'admin' }, 'role'],
      ];
      for (const [extra, field] of cases) {
        const res = await register(email(), extra);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      }
      // The bounds themselves are allowed.
      expect((await register(email(), { password: '8 chars!' })).status).toBe(202);
      expect((await register(email(), { password: 'p'.repeat(128) })).status).toBe(202);
      const invalid = await register('not-an-email');
      expect(invalid.status).toBe(400);
      expect(invalid.body.code).toBe('INVALID_RECIPIENT');
      expect((await t.post('/v1/hr/register', '{"email":')).body.code).toBe('VALIDATION_FAILED');
      expect((await verify(email(), '12ab')).body.code).toBe('VALIDATION_FAILED');
      for (const verificationId of [undefined, 'not-a-uuid', 42]) {
        const res = await t.post('/v1/hr/register/verify', {
          email: email(),
          code: '123456',
          verificationId,
        });
        expect(res.status).toBe(400);
        expect(res.body.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: 'verificationId' })]),
        );
      }
    });

    it('should pass code errors through: wrong code, expired code, no code', async () => {
      const to = email();
      await register(to);
      const code = t.lastCode(to);
      const bad = await verify(to, wrong(code));
      expect(bad.status).toBe(422);
      expect(bad.body).toMatchObject({ code: 'CODE_INVALID', attemptsLeft: 4 });

      t.clock.advanceSeconds(601);
      const expired = await verify(to, code);
      expect(expired.status).toBe(410);
      expect(expired.body.code).toBe('CODE_EXPIRED');

      const none = await verify(email(), '123456');
      expect(none.status).toBe(404);
      expect(none.body.code).toBe('CODE_NOT_FOUND');
      expect((await login(to)).status).toBe(401);
    });

    it('should pass the lockout through and leave the account pending', async () => {
      const to = email();
      await register(to);
      const code = t.lastCode(to);
      for (let i = 0; i < 4; i++) expect((await verify(to, wrong(code))).status).toBe(422);
      const locked = await verify(to, wrong(code));
      expect(locked.status).toBe(429);
      expect(locked.body).toMatchObject({ code: 'RECIPIENT_LOCKED', retryAfter: 1800 });
      expect(locked.headers.get('retry-after')).toBe('1800');
      expect((await verify(to, code)).body.code).toBe('RECIPIENT_LOCKED');
      expect((await register(to)).body.code).toBe('RECIPIENT_LOCKED');
      expect((await login(to)).status).toBe(401);
    });

    it('should not activate anything with a registration code sent through the generic OTP API', async () => {
      const to = email();
      const sent = await t.post('/v1/otp/send', {
        channel: 'email',
        to,
        purpose: 'hr_registration',
      });
      const res = await verify(to, t.lastCode(to), sent.body.verificationId);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('CODE_NOT_FOUND');
      expect((await login(to)).status).toBe(401);
    });
  });

  describe('login', () => {
    it('should give one answer for an unknown email, a wrong password, a pending account and a malformed email', async () => {
      const active = await activeAccount();
      const pending = email();
      await register(pending);
      const answers = [
        await login(email()),
        await login(active, 'wrong password'),
        await login(pending),
        await login('not an email'),
      ];
      for (const res of answers) {
        expect(res.status).toBe(401);
        const { requestId, ...body } = res.body;
        expect(typeof requestId).toBe('string');
        expect(body).toEqual({
          statusCode: 401,
          code: 'INVALID_CREDENTIALS',
          message: answers[0].body.message,
        });
      }
      expect((await t.post('/v1/hr/login', { email: active })).body.code).toBe('VALIDATION_FAILED');
    });

    it('should take about as long for an unknown email or a pending account as for a wrong password', async () => {
      const active = await activeAccount();
      const pending = email();
      await register(pending);
      const samples: Record<'unknown' | 'wrong' | 'pending', number[]> = {
        unknown: [],
        wrong: [],
        pending: [],
      };
      for (let i = 0; i < 18; i++) {
        const round = [
          await timed(() => login(email()), 401),
          await timed(() => login(active, 'wrong password'), 401),
          await timed(() => login(pending), 401),
        ];
        if (i < 3) continue; // warm-up
        samples.unknown.push(round[0]);
        samples.wrong.push(round[1]);
        samples.pending.push(round[2]);
      }
      const wrongMedian = median(samples.wrong);
      console.info(
        `login timing (median ms): wrong password ${wrongMedian.toFixed(1)}, unknown ${median(samples.unknown).toFixed(1)}, pending ${median(samples.pending).toFixed(1)}`,
      );
      for (const other of [samples.unknown, samples.pending]) {
        expect(median(other) / wrongMedian).toBeGreaterThan(0.5);
        expect(median(other) / wrongMedian).toBeLessThan(2);
      }
    });
  });

  describe('access tokens and /v1/hr/me', () => {
    it('should refuse a missing, malformed, forged, expired or foreign token with 401 TOKEN_INVALID', async () => {
      const to = await activeAccount();
      const { accessToken } = (await login(to)).body;
      const [header, payload, signature] = accessToken.split('.');
      const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
      const other = email();
      await t.post('/v1/otp/send', { channel: 'email', to: other, purpose: 'login' });
      const verification = await t.post('/v1/otp/verify', {
        channel: 'email',
        to: other,
        purpose: 'login',
        code: t.lastCode(other),
      });

      const answers = [
        await t.get('/v1/hr/me'),
        await t.get('/v1/hr/me', { authorization: accessToken }),
        await me('not.a.jwt'),
        await me(forged),
        await me(verification.body.verificationToken),
      ];
      for (const res of answers) {
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('TOKEN_INVALID');
      }
      expect((await me(accessToken)).status).toBe(200);
      t.clock.advanceSeconds(3601);
      expect((await me(accessToken)).body.code).toBe('TOKEN_INVALID');
    });
  });

  describe('audit trail', () => {
    it('should record account.registered and account.activated without passwords or tokens', async () => {
      const to = await activeAccount(email(), 'an audited password');
      const recipientHash = t.app.get(AuditService).hashRecipient(to);
      const rows: { type: string; recipient_masked: string; purpose: string; details: object }[] =
        await t.app.get(DataSource).query(
          `SELECT type, recipient_masked, purpose, details FROM audit_events
             WHERE recipient_hash = $1 AND type LIKE 'account.%' ORDER BY occurred_at, id`,
          [recipientHash],
        );
      expect(rows.map((r) => r.type)).toEqual(['account.registered', 'account.activated']);
      for (const row of rows) {
        expect(row.purpose).toBe('hr_registration');
        expect(row.recipient_masked).not.toContain(to);
        expect(JSON.stringify(row)).not.toContain('an audited password');
      }
      expect(rows[0].details).toEqual({
        verificationId: attempts.get(to),
        activeAccount: false,
      });
      expect(rows[1].details).toEqual({
        accountId: expect.stringMatching(UUID),
        verificationId: attempts.get(to),
      });
    });
  });
});

describe('HR registration with the default IP limits (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('should limit /v1/hr/login like /v1/otp/verify: 3 per minute, then 429 IP_RATE_LIMITED', async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (await t.post('/v1/hr/login', { email: 'x@acme.example', password: PASSWORD })).status,
      ).toBe(401);
    }
    const limited = await t.post('/v1/hr/login', { email: 'x@acme.example', password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'IP_RATE_LIMITED', retryAfter: 900 });
    expect(limited.headers.get('retry-after')).toBe('900');
    // Its own counter: the registration verify route still answers.
    expect(
      (
        await t.post('/v1/hr/register/verify', {
          email: 'x@acme.example',
          code: '123456',
          verificationId: NO_ATTEMPT,
        })
      ).status,
    ).toBe(404);
  });
});

describe('HR registration over a real SMTP server (e2e)', () => {
  let receiver: SmtpReceiver;
  let t: TestApp;
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
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('should register with the code read from the delivered email, then log in', async () => {
    const to = email();
    const res = await t.post('/v1/hr/register', {
      email: to,
      password: PASSWORD,
      fullName: 'Smtp User',
      companyName: 'Mail Co',
    });
    expect(res.status).toBe(202);
    await receiver.waitFor(() => receiver.messages.some((m) => m.envelopeTo.includes(to)));
    const mail = receiver.messages.find((m) => m.envelopeTo.includes(to))!;
    expect(mail.envelopeFrom).toBe('no-reply@codeward.test');
    const code = /\b(\d{6})\b/.exec(mail.parsed.text ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);

    const activated = await t.post('/v1/hr/register/verify', {
      email: to,
      code,
      verificationId: res.body.verificationId,
    });
    expect(activated.status).toBe(200);
    expect(activated.body.status).toBe('active');
    const session = await t.post('/v1/hr/login', { email: to, password: PASSWORD });
    expect(session.status).toBe(200);
    expect(
      (await t.get('/v1/hr/me', { authorization: `Bearer ${session.body.accessToken}` })).body
        .email,
    ).toBe(to);

    // An active account: same answer, and the SMTP server receives nothing more.
    t.clock.advanceSeconds(60);
    const count = receiver.messages.length;
    const again = await t.post('/v1/hr/register', {
      email: to,
      password: PASSWORD,
      fullName: 'Smtp User',
      companyName: 'Mail Co',
    });
    expect(again.status).toBe(202);
    expect(receiver.messages.length).toBe(count); // a real registration answers after delivery
  });
});
