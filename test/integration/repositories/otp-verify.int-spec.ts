import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditService } from '#src/audit/audit.service.js';
import { OtpHasher } from '#src/otp/otp-hasher.js';
import { OtpVerifyRepository } from '#src/otp/otp-verify.repository.js';
import type { AtomicVerifyResult } from '#src/otp/otp.ports.js';
import { OtpRepository } from '#src/otp/otp.repository.js';
import { DataSource } from 'typeorm';
import { createTestDatabase, serverUrl, type TestDatabase } from '../../support/databases.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

// The HMAC verify statement against a real PostgreSQL server, called from two instances (two
// connection pools) at once: right, replaced and wrong codes race on one recipient row.
const describeIfServer = serverUrl() ? describe : describe.skip;
const PURPOSES = ['hr_registration', 'password_reset', 'login'];
const MAX = 5;

describeIfServer('OtpVerifyRepository.verifyHmac under concurrency (PostgreSQL)', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp({ database: db });
    b = await startTestApp({ database: db });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  let seq = 0;
  const now = () => a.clock.now();

  /** Stores `previous` then replaces it with `current` for a fresh recipient; returns it. */
  async function twoSends(previous: string, current: string): Promise<string> {
    const to = `+99890170${String(++seq).padStart(4, '0')}`;
    const repo = a.app.get(OtpRepository);
    const hasher = a.app.get(OtpHasher);
    for (const code of [previous, current]) {
      const t = now();
      expect(
        await repo.claimSend({
          channel: 'sms',
          recipient: to,
          purpose: 'login',
          codeHash: await hasher.hash(code, `login:${to}`),
          verificationId: crypto.randomUUID(),
          now: t,
          expiresAt: new Date(t.getTime() + 600_000),
          cooldownUntil: t,
          maxSendsPerHour: 100,
        }),
      ).toBe(true);
      a.clock.advanceSeconds(1);
    }
    return to;
  }

  function attempt(app: TestApp, to: string, code: string): Promise<AtomicVerifyResult | null> {
    const hasher = app.app.get(OtpHasher);
    return app.app.get(OtpVerifyRepository).verifyHmac({
      channel: 'sms',
      recipient: to,
      purpose: 'login',
      candidates: hasher.hmacCandidates(code, `login:${to}`)!,
      staleCandidates: PURPOSES.flatMap((p) => hasher.hmacCandidates(code, `${p}:${to}`)!),
      now: now(),
      lockoutSeconds: 1800,
      maxFailures: MAX,
      audit: app.app.get(AuditService).prepare({
        type: 'otp.verify_failed',
        channel: 'sms',
        purpose: 'login',
        recipient: to,
        details: {},
      }),
    });
  }

  async function stored(to: string) {
    const hash = a.app.get(AuditService).hashRecipient(to);
    const ds = a.app.get(DataSource);
    const [row] = await ds.query(
      `SELECT failed_attempts, code_hash IS NULL AS used FROM phone_otps WHERE phone = $1`,
      [to],
    );
    const events: { type: string; n: number }[] = await ds.query(
      `SELECT type, count(*)::int AS n FROM audit_events WHERE recipient_hash = $1 GROUP BY type`,
      [hash],
    );
    const count = (type: string) => events.find((e) => e.type === type)?.n ?? 0;
    return { row, count };
  }

  it('gives exactly one success to parallel right guesses mixed with the replaced code, counting no failure', async () => {
    const to = await twoSends('111111', '222222');
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        attempt(i % 2 ? a : b, to, i % 4 < 2 ? '222222' : '111111'),
      ),
    );
    expect(results.filter((r) => r?.matched)).toHaveLength(1);
    // Every other one met a replaced (or just used) code: stale, nothing counted.
    expect(results.filter((r) => r && !r.matched && !r.stale)).toHaveLength(0);
    const { row, count } = await stored(to);
    expect(row).toEqual({ failed_attempts: 0, used: true });
    expect(count('otp.verified')).toBe(1);
    expect(count('otp.verify_failed')).toBe(0);
    // Each stale outcome wrote exactly its own audit row, in the same statement.
    expect(count('otp.verify_stale')).toBe(results.filter((r) => r?.stale).length);
  });

  it('compares at most MAX wrong codes while replaced-code guesses race with them', async () => {
    const to = await twoSends('333333', '444444');
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(i % 2 ? a : b, to, i % 2 ? '555555' : '333333')),
    );
    const failures = results.filter((r) => r && !r.matched && !r.stale);
    const stale = results.filter((r) => r?.stale);
    expect(failures).toHaveLength(MAX);
    expect(failures.filter((r) => r!.lockedUntil)).not.toHaveLength(0);
    const { row, count } = await stored(to);
    expect(row.failed_attempts).toBe(MAX);
    expect(count('otp.verify_failed')).toBe(MAX);
    expect(count('otp.locked')).toBe(1);
    expect(count('otp.verify_stale')).toBe(stale.length);
    // While locked, neither the right code nor the replaced one is compared.
    expect(await attempt(a, to, '444444')).toBeNull();
    expect(await attempt(b, to, '333333')).toBeNull();
  });
});
