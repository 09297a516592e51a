import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { HrAccountEntity } from '#src/accounts/hr-account.entity.js';
import type { RegistrationAttemptInput } from '#src/accounts/hr-registration-attempt.repository.js';

const T0 = new Date('2026-01-15T10:00:00.000Z');

/** A live registration (its code expires 10 minutes after T0); override what the test is about. */
export function registrationAttempt(
  overrides: Partial<RegistrationAttemptInput> = {},
): RegistrationAttemptInput {
  return {
    verificationId: randomUUID(),
    email: 'hr@example.com',
    passwordHash: `$argon2id$factory$${randomUUID()}`,
    fullName: 'Dana Factory',
    companyName: 'Factory LLC',
    now: T0,
    expiresAt: new Date(T0.getTime() + 600_000),
    ...overrides,
  };
}

/**
 * Stores an hr_accounts row directly (the service only creates active accounts through
 * activateRegistration; `pending` rows come from earlier versions). Returns its id.
 */
export async function insertHrAccount(
  ds: DataSource,
  overrides: Partial<Omit<HrAccountEntity, 'id'>> = {},
): Promise<string> {
  const row = {
    email: 'hr@example.com',
    passwordHash: '$argon2id$factory$account',
    fullName: 'Dana Account',
    companyName: 'Account LLC',
    status: 'pending' as const,
    passwordChangedAt: T0,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
  const result = await ds.getRepository(HrAccountEntity).insert(row);
  return String(result.identifiers[0].id);
}
