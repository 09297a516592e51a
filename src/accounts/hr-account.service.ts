import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '#src/common/clock/clock.js';
import { PasswordHasher } from './password-hasher.js';
import { HrAccountRepository, type ActivatedAccount } from './hr-account.repository.js';
import {
  HrRegistrationAttemptRepository,
  type RegistrationAttemptInput,
} from './hr-registration-attempt.repository.js';

/** One registration's credentials, stored until the code sent for it is verified. */
export type NewRegistration = Omit<RegistrationAttemptInput, 'now'>;

/** What the flows (registration, password reset) may do with HR accounts. */
@Injectable()
export class HrAccountService {
  constructor(
    private readonly clock: Clock,
    private readonly accounts: HrAccountRepository,
    private readonly attempts: HrRegistrationAttemptRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  /** The id of the active account for a normalised email, or null. */
  async findActiveId(email: string): Promise<string | null> {
    const account = await this.accounts.findByEmail(email);
    return account?.status === 'active' ? account.id : null;
  }

  /** Hashes the password with argon2id (see PasswordHasher). */
  hashPassword(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  /**
   * Stores a registration (password hash and names, keyed by the verificationId of the code sent
   * for it) apart from hr_accounts: nothing about the account changes until it is activated.
   */
  async storeRegistration(registration: NewRegistration): Promise<void> {
    await this.attempts.insert({ ...registration, now: this.clock.now() });
  }

  /**
   * Activates the account of a normalised email with the credentials of the registration
   * `verificationId`, in one statement that retires every registration of the email. Null when
   * that registration is unknown, expired or of another email, or the account is already active.
   * The caller must have verified the code sent for that very registration.
   */
  activateRegistration(verificationId: string, email: string): Promise<ActivatedAccount | null> {
    return this.accounts.activateRegistration(verificationId, email, this.clock.now());
  }

  /**
   * Stores a new password hash on the active account of a normalised email and moves
   * password_changed_at to now, which retires every access token issued before. Null when the
   * email has no active account.
   */
  async changePassword(email: string, passwordHash: string): Promise<{ id: string } | null> {
    return this.accounts.changePassword(email, passwordHash, this.clock.now());
  }

  @Interval('hr-registration-attempts-cleanup', 5 * 60_000)
  async purgeExpiredRegistrations(): Promise<void> {
    await this.attempts.purgeExpired(this.clock.now()).catch(() => undefined);
  }
}
