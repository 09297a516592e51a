import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock.js';
import { PasswordHasher } from './password-hasher.js';
import { HrAccountRepository } from './hr-account.repository.js';

/** What the flows (registration, password reset) may do with HR accounts. */
@Injectable()
export class HrAccountService {
  constructor(
    private readonly clock: Clock,
    private readonly accounts: HrAccountRepository,
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
   * Stores a new password hash on the active account of a normalised email and moves
   * password_changed_at to now, which retires every access token issued before. Null when the
   * email has no active account.
   */
  async changePassword(email: string, passwordHash: string): Promise<{ id: string } | null> {
    return this.accounts.changePassword(email, passwordHash, this.clock.now());
  }
}
