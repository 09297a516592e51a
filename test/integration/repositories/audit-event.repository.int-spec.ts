import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditEventRepository, type AuditEventListRow } from '#src/audit/audit-event.repository.js';
import { auditEventRow } from '../../factories/audit-event.factory.js';
import {
  openMigratedDatabase,
  type MigratedDatabase,
} from '../../factories/migrated-database.factory.js';

// Every statement on audit_events driven directly, on PGlite or on the PostgreSQL server in
// DATABASE_URL. Each test writes under its own ip, type or time range so the tests stay apart.
const T0 = new Date('2026-01-15T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe(AuditEventRepository.name, () => {
  let db: MigratedDatabase;
  let sut: AuditEventRepository;

  beforeAll(async () => {
    db = await openMigratedDatabase();
    sut = new AuditEventRepository(db.ds);
  });
  afterAll(async () => {
    await db?.close();
  });

  /** Every row of a filter, following the keyset pages the way the admin API does. */
  async function readAll(ip: string, limit: number): Promise<AuditEventListRow[]> {
    const all: AuditEventListRow[] = [];
    let after: { occurredAt: Date; id: string } | undefined;
    for (let page = 0; page < 100; page++) {
      const rows = await sut.findPage({ ip, limit, after });
      all.push(...rows.slice(0, limit));
      if (rows.length <= limit) return all;
      const last = rows[limit - 1];
      after = { occurredAt: last.occurredAt, id: last.id };
    }
    throw new Error('more than 100 pages');
  }

  describe('insert and findPage', () => {
    it('should keep every one of N parallel inserts and page through them once each, newest first', async () => {
      const ip = '198.51.100.1';
      const n = 40;
      // Many rows share one instant: the id breaks the tie, so no page repeats or skips a row.
      const ids = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          sut.insert(auditEventRow({ ip, occurredAt: at(Math.floor(i / 8)), requestId: `r${i}` })),
        ),
      );

      const rows = await readAll(ip, 7);

      expect(new Set(ids).size).toBe(n);
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      const keys = rows.map((r) => [r.occurredAt.getTime(), BigInt(r.id)] as const);
      for (let i = 1; i < keys.length; i++) {
        const [prevAt, prevId] = keys[i - 1];
        const [curAt, curId] = keys[i];
        expect(prevAt > curAt || (prevAt === curAt && prevId > curId)).toBe(true);
      }
    });

    it('should include `since` and exclude `until` to the millisecond', async () => {
      const ip = '198.51.100.2';
      for (const ms of [-1, 0, 59_999, 60_000]) {
        await sut.insert(auditEventRow({ ip, occurredAt: at(ms), requestId: `at${ms}` }));
      }

      const rows = await sut.findPage({ ip, since: at(0), until: at(60_000), limit: 10 });

      expect(rows.map((r) => r.requestId)).toEqual(['at59999', 'at0']);
    });

    it('should return the row as the service wrote it, details included', async () => {
      const row = auditEventRow({
        ip: '198.51.100.3',
        type: 'otp.verify_failed',
        channel: 'email',
        purpose: 'password_reset',
        recipientMasked: 'j***@example.com',
        details: { attemptsLeft: 2, verificationId: 'v-1' },
      });
      const id = await sut.insert(row);

      const [stored] = await sut.findPage({ ip: '198.51.100.3', limit: 1 });

      expect(stored).toEqual({
        id,
        occurredAt: row.occurredAt,
        type: 'otp.verify_failed',
        channel: 'email',
        purpose: 'password_reset',
        recipientMasked: 'j***@example.com',
        ip: '198.51.100.3',
        requestId: row.requestId,
        details: { attemptsLeft: 2, verificationId: 'v-1' },
      });
    });
  });

  describe('channelStats', () => {
    it('should count [since, until) per channel, a first-attempt success only without a failure', async () => {
      const since = new Date('2027-03-01T00:00:00.000Z');
      const until = new Date('2027-03-02T00:00:00.000Z');
      const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);
      const sms = (type: string, occurredAt: Date, verificationId: string) =>
        sut.insert(
          auditEventRow({ type, occurredAt, channel: 'sms', details: { verificationId } }),
        );
      await sms('otp.sent', ms(since, -1), 'before'); // outside
      await sms('otp.sent', since, 'a');
      await sms('otp.verified', ms(since, 1), 'a'); // first attempt
      await sms('otp.sent', ms(since, 2), 'b');
      await sms('otp.verify_failed', ms(since, 3), 'b');
      await sms('otp.verified', ms(since, 4), 'b'); // second attempt
      await sms('otp.sent', ms(until, -1), 'c');
      await sms('otp.sent', until, 'after'); // outside
      await sut.insert(
        auditEventRow({ type: 'ip.blocked', occurredAt: ms(since, 5), channel: null }),
      );

      const stats = await sut.channelStats(since, until);

      expect(stats).toEqual([
        {
          channel: 'sms',
          sends: 3,
          deliveryFailures: 0,
          verified: 2,
          verifyFailed: 1,
          lockouts: 0,
          codesAttempted: 2,
          firstAttemptVerified: 1,
          ipBlocks: 1,
        },
        {
          channel: 'email',
          sends: 0,
          deliveryFailures: 0,
          verified: 0,
          verifyFailed: 0,
          lockouts: 0,
          codesAttempted: 0,
          firstAttemptVerified: 0,
          ipBlocks: 1,
        },
      ]);
    });
  });

  describe('purgeBatch', () => {
    it('should delete only rows strictly before the cutoff, oldest first, at most one batch', async () => {
      const base = new Date('2020-06-01T00:00:00.000Z');
      const ip = '198.51.100.4';
      for (const delta of [-3, -2, -1, 0, 1]) {
        await sut.insert(
          auditEventRow({
            ip,
            occurredAt: new Date(base.getTime() + delta),
            requestId: `d${delta}`,
          }),
        );
      }

      const first = await sut.purgeBatch(base, 2);
      const second = await sut.purgeBatch(base, 2);
      const left = await sut.findPage({ ip, limit: 10 });

      expect([first, second]).toEqual([2, 1]);
      expect(left.map((r) => r.requestId)).toEqual(['d1', 'd0']);
    });

    it('should delete each row at most once when purges run in parallel', async () => {
      const cutoff = new Date('2019-01-01T00:00:00.000Z');
      const ip = '198.51.100.5';
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          sut.insert(auditEventRow({ ip, occurredAt: new Date(cutoff.getTime() - 1000 - i) })),
        ),
      );

      // Two purges may pick the same batch; the one that waits then deletes nothing of it.
      const deleted = await Promise.all(
        Array.from({ length: 6 }, () => sut.purgeBatch(cutoff, 10)),
      );
      const left = await readAll(ip, 50);

      expect(deleted.reduce((a, b) => a + b, 0) + left.length).toBe(30);
    });
  });
});
