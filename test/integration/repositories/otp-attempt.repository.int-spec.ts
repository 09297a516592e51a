import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OtpAttemptRepository } from '#src/otp/otp-attempt.repository.js';
import { OtpVerifyRepository } from '#src/otp/otp-verify.repository.js';
import type { WrittenAuditEvent } from '#src/otp/otp.ports.js';
import { OtpRepository } from '#src/otp/otp.repository.js';
import { auditEventRow } from '../../factories/audit-event.factory.js';
import {
  openMigratedDatabase,
  type MigratedDatabase,
} from '../../factories/migrated-database.factory.js';

// The PBKDF2 path's settling statements (claim, then settle) against the HMAC path's single
// statement, on PGlite or on the PostgreSQL server in DATABASE_URL: for the same recipient state
// and the same code, both must leave the same row and write the same audit events (one SQL
// definition, otp-verify-events.ts). Stored "hashes" are plain markers: both statements only
// compare them, the hashing itself is OtpHasher's (unit-tested).
const T0 = new Date('2026-01-15T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MAX = 5;
const LOCKOUT = 1800;
const hashOf = (code: string) => `hmac-sha256$test$${code}`;

type Path = 'statement' | 'claim';

describe(OtpAttemptRepository.name, () => {
  let db: MigratedDatabase;
  let sends: OtpRepository;
  let hmac: OtpVerifyRepository;
  let sut: OtpAttemptRepository;

  beforeAll(async () => {
    db = await openMigratedDatabase();
    sends = new OtpRepository(db.ds);
    hmac = new OtpVerifyRepository(db.ds);
    sut = new OtpAttemptRepository(db.ds);
  });
  afterAll(async () => {
    await db?.close();
  });

  let seq = 0;

  /** A recipient whose code `previous` was replaced by `current`; returns both sends' ids. */
  async function recipientWith(previous: string, current: string) {
    const to = `+99890180${String(++seq).padStart(4, '0')}`;
    const ids: string[] = [];
    for (const [i, code] of [previous, current].entries()) {
      ids.push(crypto.randomUUID());
      const now = at(-2000 + i * 1000);
      const claimed = await sends.claimSend({
        channel: 'sms',
        recipient: to,
        purpose: 'login',
        codeHash: hashOf(code),
        verificationId: ids[i],
        now,
        expiresAt: at(600_000),
        cooldownUntil: now,
        maxSendsPerHour: 100,
      });
      expect(claimed).toBe(true);
    }
    return { to, previousId: ids[0], currentId: ids[1] };
  }

  const audit = (to: string) => auditEventRow({ occurredAt: T0, requestId: `req-${to}` });

  /** One verification of `code` through either path, at T0; its events, or null (refused). */
  async function verify(path: Path, to: string, code: string): Promise<WrittenAuditEvent[] | null> {
    if (path === 'statement') {
      const r = await hmac.verifyHmac({
        channel: 'sms',
        recipient: to,
        purpose: 'login',
        candidates: [hashOf(code)],
        staleCandidates: [hashOf(code)],
        now: T0,
        lockoutSeconds: LOCKOUT,
        maxFailures: MAX,
        audit: audit(to),
      });
      return r && r.events;
    }
    const claim = await sut.claimAttempt('sms', to, 'login', T0, LOCKOUT, MAX);
    if (!claim) return null;
    const s = { channel: 'sms' as const, claim, now: T0, maxFailures: MAX, audit: audit(to) };
    if (claim.codeHash === hashOf(code)) return sut.settleRight(s);
    if (claim.previous?.codeHash === hashOf(code)) return sut.settleStale(s);
    const lockedUntil = claim.failedAttempts >= MAX ? at(LOCKOUT * 1000) : null;
    return sut.settleWrong(s, lockedUntil);
  }

  /** Types and details, with the sends' ids named, and the stored rows they claim to be. */
  async function described(
    events: WrittenAuditEvent[] | null,
    ids: { previousId: string; currentId: string },
  ) {
    if (!events) return null;
    const stored: { id: string; type: string; details: unknown }[] = await db.ds.query(
      `SELECT id::text AS id, type, details FROM audit_events WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [events.map((e) => e.id)],
    );
    expect(stored).toEqual(events);
    const named = JSON.stringify(events.map(({ type, details }) => ({ type, details })))
      .replaceAll(ids.currentId, '<current>')
      .replaceAll(ids.previousId, '<previous>');
    return JSON.parse(named) as unknown;
  }

  async function rowOf(to: string) {
    const [row] = await db.ds.query(
      `SELECT purpose, code_hash, expires_at, failed_attempts, code_attempts, last_failed_at,
              locked_until, previous_code_hash, previous_expires_at
       FROM phone_otps WHERE phone = $1`,
      [to],
    );
    return row as Record<string, unknown>;
  }

  /** Runs `codes` through both paths on twin recipients; expects the same events and rows. */
  async function bothPaths(codes: string[]) {
    const twins = {
      statement: await recipientWith('111111', '222222'),
      claim: await recipientWith('111111', '222222'),
    };
    const events: Record<Path, unknown[]> = { statement: [], claim: [] };
    for (const code of codes) {
      for (const path of ['statement', 'claim'] as const) {
        const t = twins[path];
        events[path].push(await described(await verify(path, t.to, code), t));
      }
    }
    expect(events.claim).toEqual(events.statement);
    expect(await rowOf(twins.claim.to)).toEqual(await rowOf(twins.statement.to));
    return events.statement;
  }

  it('should use a right code and write the same otp.verified event on both paths', async () => {
    const events = await bothPaths(['222222']);

    expect(events).toEqual([
      [{ type: 'otp.verified', details: { verificationId: '<current>', attempt: 1 } }],
    ]);
  });

  it('should count wrong codes up to the lock and write the same events on both paths', async () => {
    const events = await bothPaths(Array.from({ length: MAX + 1 }, () => '999999'));

    expect(events[0]).toEqual([
      {
        type: 'otp.verify_failed',
        details: { verificationId: '<current>', attempt: 1, failures: 1, attemptsLeft: MAX - 1 },
      },
    ]);
    expect(events[MAX - 1]).toEqual([
      {
        type: 'otp.verify_failed',
        details: { verificationId: '<current>', attempt: MAX, failures: MAX, attemptsLeft: 0 },
      },
      {
        type: 'otp.locked',
        details: {
          verificationId: '<current>',
          attempt: MAX,
          failures: MAX,
          lockedUntil: at(LOCKOUT * 1000).toISOString(),
        },
      },
    ]);
    // Locked: nothing is claimed any more.
    expect(events[MAX]).toBeNull();
  });

  it('should answer the replaced code without counting it, with the same event on both paths', async () => {
    const events = await bothPaths(['111111', '222222']);

    expect(events).toEqual([
      [
        {
          type: 'otp.verify_stale',
          details: { verificationId: '<previous>', currentVerificationId: '<current>' },
        },
      ],
      [{ type: 'otp.verified', details: { verificationId: '<current>', attempt: 1 } }],
    ]);
  });

  it('should write nothing when the claimed code was used by another request first', async () => {
    const t = await recipientWith('111111', '222222');
    const first = await sut.claimAttempt('sms', t.to, 'login', T0, LOCKOUT, MAX);
    const second = await sut.claimAttempt('sms', t.to, 'login', T0, LOCKOUT, MAX);
    const settle = (claim: NonNullable<typeof first>) =>
      sut.settleRight({ channel: 'sms', claim, now: T0, maxFailures: MAX, audit: audit(t.to) });

    const won = await settle(first!);
    const lost = await settle(second!);

    expect(won).toHaveLength(1);
    expect(lost).toBeNull();
    const [{ n }] = await db.ds.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1`,
      [`req-${t.to}`],
    );
    expect(n).toBe(1);
  });

  it('should give back an attempt that was claimed but never compared', async () => {
    const t = await recipientWith('111111', '222222');
    const claim = await sut.claimAttempt('sms', t.to, 'login', T0, LOCKOUT, MAX);

    await sut.releaseAttempt('sms', claim!);

    expect(await rowOf(t.to)).toMatchObject({ failed_attempts: 0, code_attempts: 0 });
  });
});
