import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { execute } from '#src/common/database/query.js';

export interface RegistrationAttemptInput {
  verificationId: string;
  email: string;
  passwordHash: string;
  fullName: string;
  companyName: string;
  now: Date;
  expiresAt: Date;
}

/**
 * hr_registration_attempts: each registration's credentials, kept apart from hr_accounts until the
 * code sent for that very registration is verified. They are consumed by
 * HrAccountRepository.activateRegistration, the one statement that moves them into hr_accounts.
 */
@Injectable()
export class HrRegistrationAttemptRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(a: RegistrationAttemptInput): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO hr_registration_attempts
         (verification_id, email, password_hash, full_name, company_name, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [a.verificationId, a.email, a.passwordHash, a.fullName, a.companyName, a.now, a.expiresAt],
    );
  }

  /** Deletes attempts past their code's expiry. */
  async purgeExpired(now: Date): Promise<number> {
    return execute(
      this.db,
      `DELETE FROM hr_registration_attempts WHERE verification_id IN (
         SELECT verification_id FROM hr_registration_attempts WHERE expires_at <= $1 LIMIT 5000)`,
      [now],
    );
  }
}
