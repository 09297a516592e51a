import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { affectedOf } from '../../common/database/sql.js';

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
 * code sent for that very registration is verified.
 */
@Injectable()
export class HrRegistrationAttemptRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(a: RegistrationAttemptInput): Promise<void> {
    await this.db.query(
      `INSERT INTO hr_registration_attempts
         (verification_id, email, password_hash, full_name, company_name, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [a.verificationId, a.email, a.passwordHash, a.fullName, a.companyName, a.now, a.expiresAt],
    );
  }

  /**
   * Activates the account with the credentials of the attempt `verificationId`, in one statement:
   * every attempt of the email is deleted (a verified code retires them all); the named one, if it
   * is still alive, creates the active account or activates a pending one (from an earlier
   * version). An active account is never touched: then, as when the attempt is unknown, expired or
   * of another email, null comes back.
   */
  async activate(
    verificationId: string,
    email: string,
    now: Date,
  ): Promise<{ id: string; email: string } | null> {
    const rows: { id: string; email: string }[] = await this.db.query(
      `WITH gone AS (
         DELETE FROM hr_registration_attempts WHERE email = $2
         RETURNING verification_id, email, password_hash, full_name, company_name, expires_at
       ), chosen AS (
         SELECT * FROM gone WHERE verification_id = $1 AND expires_at > $3
       )
       INSERT INTO hr_accounts AS t (email, password_hash, full_name, company_name, status,
                                     password_changed_at, created_at, updated_at)
       SELECT email, password_hash, full_name, company_name, 'active', $3, $3, $3 FROM chosen
       ON CONFLICT (email) DO UPDATE SET
         password_hash = EXCLUDED.password_hash,
         full_name = EXCLUDED.full_name,
         company_name = EXCLUDED.company_name,
         status = 'active',
         password_changed_at = EXCLUDED.password_changed_at,
         updated_at = EXCLUDED.updated_at
       WHERE t.status = 'pending'
       RETURNING t.id, t.email`,
      [verificationId, email, now],
    );
    return rows[0] ?? null;
  }

  /** Deletes attempts past their code's expiry. */
  async purgeExpired(now: Date): Promise<number> {
    return affectedOf(
      await this.db.query(
        `DELETE FROM hr_registration_attempts WHERE verification_id IN (
           SELECT verification_id FROM hr_registration_attempts WHERE expires_at <= $1 LIMIT 5000)`,
        [now],
      ),
    );
  }
}
