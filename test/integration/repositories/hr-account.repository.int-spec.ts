import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HrAccountRepository } from '#src/accounts/hr-account.repository.js';
import { HrRegistrationAttemptEntity } from '#src/accounts/hr-registration-attempt.entity.js';
import { HrRegistrationAttemptRepository } from '#src/accounts/hr-registration-attempt.repository.js';
import { insertHrAccount, registrationAttempt } from '../../factories/hr-account.factory.js';
import {
  openMigratedDatabase,
  type MigratedDatabase,
} from '../../factories/migrated-database.factory.js';

// Every hr_accounts statement (and the registration attempts it consumes) driven directly, on
// PGlite or on the PostgreSQL server in DATABASE_URL (where parallel activations really race on a
// connection pool). Each test uses its own email.
const T0 = new Date('2026-01-15T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe(HrAccountRepository.name, () => {
  let db: MigratedDatabase;
  let sut: HrAccountRepository;
  let attempts: HrRegistrationAttemptRepository;
  let seq = 0;
  const freshEmail = () => `hr-${++seq}@example.com`;

  beforeAll(async () => {
    db = await openMigratedDatabase();
    sut = new HrAccountRepository(db.ds);
    attempts = new HrRegistrationAttemptRepository(db.ds);
  });
  afterAll(async () => {
    await db?.close();
  });

  /** How many registrations of `email` are stored. */
  const attemptsOf = (email: string) =>
    db.ds.getRepository(HrRegistrationAttemptEntity).countBy({ email });

  /** Stores one live registration of `email` and returns it. */
  async function register(email: string, expiresAt = at(600_000)) {
    const attempt = registrationAttempt({ email, expiresAt });
    await attempts.insert(attempt);
    return attempt;
  }

  describe('activateRegistration', () => {
    it('should create the active account with the credentials of the named registration', async () => {
      const email = freshEmail();
      const attempt = await register(email);

      const activated = await sut.activateRegistration(attempt.verificationId, email, at(1_000));

      const account = await sut.findByEmail(email);
      expect(activated).toEqual({ id: account?.id, email });
      expect(account).toEqual({
        id: activated?.id,
        email,
        passwordHash: attempt.passwordHash,
        fullName: attempt.fullName,
        companyName: attempt.companyName,
        status: 'active',
        passwordChangedAt: at(1_000),
      });
      expect(await sut.findById(activated!.id)).toEqual(account);
    });

    it('should retire every registration of the email, the activated one and the others', async () => {
      const email = freshEmail();
      const other = freshEmail();
      await register(email);
      const second = await register(email);
      await register(other);

      await sut.activateRegistration(second.verificationId, email, at(1_000));

      expect(await attemptsOf(email)).toBe(0);
      expect(await attemptsOf(other)).toBe(1);
      expect((await sut.findByEmail(email))?.passwordHash).toBe(second.passwordHash);
    });

    it('should activate a pending account (from an earlier version) with the registration credentials', async () => {
      const email = freshEmail();
      const id = await insertHrAccount(db.ds, { email, status: 'pending' });
      const attempt = await register(email);

      const activated = await sut.activateRegistration(attempt.verificationId, email, at(1_000));

      expect(activated).toEqual({ id, email });
      expect(await sut.findByEmail(email)).toMatchObject({
        id,
        status: 'active',
        passwordHash: attempt.passwordHash,
        fullName: attempt.fullName,
        passwordChangedAt: at(1_000),
      });
    });

    it('should never touch an active account: no takeover by a later registration', async () => {
      const email = freshEmail();
      await insertHrAccount(db.ds, { email, status: 'active', passwordHash: 'owner-hash' });
      const attempt = await register(email);

      const activated = await sut.activateRegistration(attempt.verificationId, email, at(1_000));

      expect(activated).toBeNull();
      expect(await attemptsOf(email)).toBe(0);
      expect(await sut.findByEmail(email)).toMatchObject({
        status: 'active',
        passwordHash: 'owner-hash',
        passwordChangedAt: T0,
      });
    });

    it('should activate until one millisecond before the code expires and not at its expiry', async () => {
      const live = freshEmail();
      const expired = freshEmail();
      const a = await register(live, at(600_000));
      const b = await register(expired, at(600_000));

      const justBefore = await sut.activateRegistration(a.verificationId, live, at(599_999));
      const atExpiry = await sut.activateRegistration(b.verificationId, expired, at(600_000));

      expect(justBefore).toMatchObject({ email: live });
      expect(atExpiry).toBeNull();
      expect(await sut.findByEmail(expired)).toBeNull();
    });

    it("should not activate a registration named with another email, nor retire that email's registrations", async () => {
      const owner = freshEmail();
      const other = freshEmail();
      const attempt = await register(owner);

      const crossed = await sut.activateRegistration(attempt.verificationId, other, at(1_000));
      const own = await sut.activateRegistration(attempt.verificationId, owner, at(2_000));

      expect(crossed).toBeNull();
      expect(await sut.findByEmail(other)).toBeNull();
      expect(own).toMatchObject({ email: owner });
    });

    it('should let exactly one of two parallel activations of the same registration win', async () => {
      const email = freshEmail();
      await insertHrAccount(db.ds, { email, status: 'pending' });
      const attempt = await register(email);

      const results = await Promise.all([
        sut.activateRegistration(attempt.verificationId, email, at(1_000)),
        sut.activateRegistration(attempt.verificationId, email, at(1_000)),
      ]);

      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await attemptsOf(email)).toBe(0);
      expect(await sut.findByEmail(email)).toMatchObject({
        status: 'active',
        passwordHash: attempt.passwordHash,
      });
    });

    it.each([
      ['a pending account', true],
      ['no account yet', false],
    ])(
      'should let exactly one of two parallel activations of two registrations win, for %s',
      async (_, pending) => {
        const email = freshEmail();
        if (pending) await insertHrAccount(db.ds, { email, status: 'pending' });
        const regs = [await register(email), await register(email)];

        const results = await Promise.all(
          regs.map((r) => sut.activateRegistration(r.verificationId, email, at(1_000))),
        );

        const winners = regs.filter((_, i) => results[i] !== null);
        expect(winners).toHaveLength(1);
        expect(await attemptsOf(email)).toBe(0);
        expect(await sut.findByEmail(email)).toMatchObject({
          status: 'active',
          passwordHash: winners[0].passwordHash,
        });
      },
    );
  });

  describe('changePassword', () => {
    it('should set the hash on an active account and move password_changed_at to now', async () => {
      const email = freshEmail();
      const id = await insertHrAccount(db.ds, { email, status: 'active' });

      const changed = await sut.changePassword(email, 'new-hash', at(60_000));

      expect(changed).toEqual({ id, passwordChangedAt: at(60_000) });
      expect(await sut.findByEmail(email)).toMatchObject({
        passwordHash: 'new-hash',
        passwordChangedAt: at(60_000),
      });
    });

    it('should move password_changed_at forward by 1 ms when the clock has not moved past it', async () => {
      const email = freshEmail();
      await insertHrAccount(db.ds, { email, status: 'active', passwordChangedAt: at(5_000) });

      const same = await sut.changePassword(email, 'h1', at(5_000));
      const earlier = await sut.changePassword(email, 'h2', at(1_000));

      expect(same?.passwordChangedAt).toEqual(at(5_001));
      expect(earlier?.passwordChangedAt).toEqual(at(5_002));
    });

    it('should change nothing for a pending or unknown account', async () => {
      const email = freshEmail();
      await insertHrAccount(db.ds, { email, status: 'pending', passwordHash: 'pending-hash' });

      expect(await sut.changePassword(email, 'new-hash', at(1_000))).toBeNull();
      expect(await sut.changePassword(freshEmail(), 'new-hash', at(1_000))).toBeNull();
      expect((await sut.findByEmail(email))?.passwordHash).toBe('pending-hash');
    });
  });
});

describe(HrRegistrationAttemptRepository.name, () => {
  let db: MigratedDatabase;
  let sut: HrRegistrationAttemptRepository;
  let accounts: HrAccountRepository;

  beforeAll(async () => {
    db = await openMigratedDatabase();
    sut = new HrRegistrationAttemptRepository(db.ds);
    accounts = new HrAccountRepository(db.ds);
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('purgeExpired', () => {
    it('should delete the registrations whose code has expired and keep the others', async () => {
      const expired = registrationAttempt({ email: 'gone@example.com', expiresAt: at(600_000) });
      const live = registrationAttempt({ email: 'kept@example.com', expiresAt: at(600_001) });
      await sut.insert(expired);
      await sut.insert(live);

      const purged = await sut.purgeExpired(at(600_000));

      expect(purged).toBe(1);
      // The live one can still be activated (before its expiry); the expired one is gone.
      expect(
        await accounts.activateRegistration(live.verificationId, live.email, at(1_000)),
      ).toMatchObject({ email: live.email });
      expect(
        await accounts.activateRegistration(expired.verificationId, expired.email, at(1_000)),
      ).toBeNull();
    });
  });
});
