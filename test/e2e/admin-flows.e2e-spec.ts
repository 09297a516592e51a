import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AlertEvaluator } from '#src/audit/alerts/alert.evaluator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Real OTP flows through HTTP; the admin API must see exactly what happened.
describe('admin API over real OTP flows', () => {
  let t: TestApp;
  let ds: DataSource;
  const codes = new Set<string>();
  const tokens = new Set<string>();

  const send = async (channel: 'sms' | 'email', to: string, ip: string, purpose = 'login') => {
    const res = await t.post(
      '/v1/otp/send',
      { channel, to, purpose },
      { 'x-forwarded-for': ip, 'user-agent': 'flow-test' },
    );
    return res;
  };
  const verify = async (channel: 'sms' | 'email', to: string, code: string, ip: string) => {
    const res = await t.post(
      '/v1/otp/verify',
      { channel, to, purpose: 'login', code },
      { 'x-forwarded-for': ip },
    );
    if (res.body?.verificationToken) tokens.add(res.body.verificationToken);
    return res;
  };
  const code = (normalised: string) => {
    const c = t.lastCode(normalised);
    codes.add(c);
    return c;
  };
  const wrong = (c: string) => String((Number(c) + 1) % 10 ** c.length).padStart(c.length, '0');
  const events = async (query: string) => {
    const res = await t.admin('GET', `/v1/admin/audit-events?limit=500&${query}`);
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        TRUST_PROXY: 'loopback',
        IP_VERIFY_MAX_PER_MINUTE: '1000',
        IP_SEND_MAX_PER_MINUTE: '1000',
        OTP_SEND_COOLDOWN_SECONDS: '0',
        OTP_MAX_SENDS_PER_HOUR: '1000',
        OTP_MAX_FAILED_ATTEMPTS: '3',
      },
    });
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  it('should record send, failed verify, verify and token consumption with request metadata', async () => {
    const ip = '203.0.113.10';
    const sent = await send('sms', '+998 90 123 45 67', ip);
    expect(sent.status).toBe(202);
    const c = code('+998901234567');
    expect((await verify('sms', '998901234567', wrong(c), ip)).status).toBe(422);
    const ok = await verify('sms', '90 123 45 67', c, ip);
    expect(ok.status).toBe(200);
    const consumed = await t.post('/v1/otp/tokens/consume', {
      verificationToken: ok.body.verificationToken,
      purpose: 'login',
    });
    expect(consumed.status).toBe(200);

    const items = await events(`recipient=${encodeURIComponent('+998-90-123-45-67')}`);
    expect(items.map((e) => e.type)).toEqual([
      'token.consumed',
      'otp.verified',
      'otp.verify_failed',
      'otp.sent',
    ]);
    for (const e of items) {
      expect(e).toMatchObject({ channel: 'sms', purpose: 'login', recipient: '+998*******67' });
    }
    const [, verified, failed, sentEvent] = items;
    expect(sentEvent).toMatchObject({
      ip,
      requestId: sent.headers.get('x-request-id'),
      details: { verificationId: sent.body.verificationId },
    });
    expect(failed.details).toMatchObject({ verificationId: sent.body.verificationId });
    expect(verified.details).toMatchObject({ verificationId: sent.body.verificationId });
    expect((await events(`ip=${ip}&type=otp.verify_failed`)).map((e) => e.id)).toEqual([failed.id]);
  });

  it('should show a lockout in /blocks, lift it with /unlock {channel,to} and audit it', async () => {
    const ip = '203.0.113.11';
    const to = 'Locked.User@Example.com';
    expect((await send('email', to, ip)).status).toBe(202);
    const c = code('locked.user@example.com');
    for (let i = 0; i < 2; i++) expect((await verify('email', to, wrong(c), ip)).status).toBe(422);
    expect((await verify('email', to, wrong(c), ip)).body.code).toBe('RECIPIENT_LOCKED');
    expect((await send('email', to, ip)).body.code).toBe('RECIPIENT_LOCKED');

    const blocks = await t.admin('GET', '/v1/admin/blocks');
    expect(blocks.status).toBe(200);
    expect(blocks.body.recipients).toContainEqual({
      channel: 'email',
      recipient: 'l***@example.com',
      lockedUntil: expect.any(String),
    });
    expect(JSON.stringify(blocks.body)).not.toContain('locked.user@');
    const locked = await events(`type=otp.locked&recipient=${encodeURIComponent(to)}`);
    expect(locked).toHaveLength(1);

    const res = await t.admin('POST', '/v1/admin/unlock', {
      channel: 'email',
      to: ' LOCKED.user@example.COM ',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ unlocked: true });
    expect((await t.admin('GET', '/v1/admin/blocks')).body.recipients).not.toContainEqual(
      expect.objectContaining({ recipient: 'l***@example.com' }),
    );
    expect((await send('email', to, ip)).status).toBe(202);
    expect((await verify('email', to, code('locked.user@example.com'), ip)).status).toBe(200);

    const unlocks = await events(`type=admin.unlock&recipient=${encodeURIComponent(to)}`);
    expect(unlocks).toHaveLength(1);
    expect(unlocks[0]).toMatchObject({
      channel: 'email',
      recipient: 'l***@example.com',
      ip: '127.0.0.1',
      details: { target: 'recipient', wasLocked: true },
    });
  });

  it('should show an IP block in /blocks, lift it with /unlock {ip} and audit it', async () => {
    const blocked = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
    try {
      const ip = '198.51.100.77';
      const body = { channel: 'sms', to: '+998901112233', purpose: 'login', code: '000000' };
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (await blocked.post('/v1/otp/verify', body, { 'x-forwarded-for': ip })).status,
        );
      }
      expect(statuses).toEqual([404, 404, 404, 429]);
      const list = await blocked.admin('GET', '/v1/admin/blocks');
      expect(list.body.ips).toEqual([
        { ip, endpoint: expect.stringContaining('verify'), blockedUntil: expect.any(String) },
      ]);
      const ipBlocked = await blocked.admin(
        'GET',
        `/v1/admin/audit-events?type=ip.blocked&ip=${ip}`,
      );
      expect(ipBlocked.body.items).toHaveLength(1);

      expect((await blocked.admin('POST', '/v1/admin/unlock', { ip })).body).toEqual({
        unlocked: true,
      });
      expect((await blocked.admin('GET', '/v1/admin/blocks')).body.ips).toEqual([]);
      const again = await blocked.post('/v1/otp/verify', body, { 'x-forwarded-for': ip });
      expect(again.body.code).toBe('CODE_NOT_FOUND');
      const unlocks = await blocked.admin('GET', '/v1/admin/audit-events?type=admin.unlock');
      expect(unlocks.body.items[0].details).toMatchObject({ target: 'ip', unblockedIp: ip });
      const stats = await blocked.admin('GET', '/v1/admin/stats');
      expect(stats.body.ipBlocks).toBe(1);
    } finally {
      await blocked.close();
    }
  });

  it.each([
    [{}],
    [{ ip: '10.0.0.1', channel: 'sms', to: '+998901234567' }],
    [{ channel: 'sms' }],
    [{ to: '+998901234567' }],
    [{ ip: 'nope' }],
    [{ ip: '10.0.0.1', extra: 1 }],
  ])('should answer 400 VALIDATION_FAILED for unlock body %j', async (body) => {
    const res = await t.admin('POST', '/v1/admin/unlock', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('should require the admin key on /blocks and /unlock', async () => {
    expect((await t.get('/v1/admin/blocks')).status).toBe(401);
    expect((await t.post('/v1/admin/unlock', { ip: '10.0.0.1' })).status).toBe(401);
  });

  it('should compute stats that match a known sequence of real actions', async () => {
    t.clock.advanceSeconds(7 * 86_400); // a fresh 24 h window
    const since = t.clock.now().toISOString();
    const ip = '203.0.113.20';
    // sms: right first time; wrong then right. email: right first time; wrong twice, left.
    await send('sms', '+998935550001', ip);
    await verify('sms', '+998935550001', code('+998935550001'), ip);
    await send('sms', '+998935550002', ip);
    await verify('sms', '+998935550002', wrong(code('+998935550002')), ip);
    await verify('sms', '+998935550002', code('+998935550002'), ip);
    await send('email', 'first@example.com', ip);
    await verify('email', 'first@example.com', code('first@example.com'), ip);
    await send('email', 'loser@example.com', ip);
    await verify('email', 'loser@example.com', wrong(code('loser@example.com')), ip);
    await verify('email', 'loser@example.com', wrong(code('loser@example.com')), ip);
    t.clock.advanceSeconds(1);
    const res = await t.admin(
      'GET',
      `/v1/admin/stats?since=${since}&until=${t.clock.now().toISOString()}`,
    );
    expect(res.body.channels).toEqual({
      sms: {
        sends: 2,
        deliveryFailures: 0,
        verificationsSucceeded: 2,
        verificationsFailed: 1,
        lockouts: 0,
        codesAttempted: 2,
        firstAttemptVerified: 1,
        firstAttemptSuccessRate: 0.5,
      },
      email: {
        sends: 2,
        deliveryFailures: 0,
        verificationsSucceeded: 1,
        verificationsFailed: 2,
        lockouts: 0,
        codesAttempted: 2,
        firstAttemptVerified: 1,
        firstAttemptSuccessRate: 0.5,
      },
    });
  });

  it('should raise ip_distinct_recipients from real sends', async () => {
    const ip = '203.0.113.99';
    for (let i = 0; i < 10; i++) {
      expect((await send('sms', `+99893555010${i}`, ip)).status).toBe(202);
    }
    await t.app.get(AlertEvaluator, { strict: false }).drain();
    const alerts = await events(`type=alert.raised&ip=${ip}`);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].details).toMatchObject({ rule: 'ip_distinct_recipients', count: 10 });
  });

  it('should never store a code, token or clear-text recipient in any audit row', async () => {
    expect(codes.size).toBeGreaterThan(5);
    expect(tokens.size).toBeGreaterThan(3);
    const rows = await ds.query('SELECT * FROM audit_events');
    expect(rows.length).toBeGreaterThan(20);
    const clear = [
      '+998901234567',
      'locked.user@example.com',
      'first@example.com',
      '+998935550001',
    ];
    for (const row of rows) {
      const text = JSON.stringify(row);
      for (const c of codes) expect(text).not.toMatch(new RegExp(`(^|\\D)${c}(\\D|$)`));
      for (const tok of tokens) expect(text).not.toContain(tok);
      for (const r of clear) expect(text.toLowerCase()).not.toContain(r);
    }
  });
});
