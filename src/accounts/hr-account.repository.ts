import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryOne } from '#src/common/database/query.js';
import type { HrAccountStatus } from './hr-account.entity.js';

export interface HrAccount {
  id: string;
  email: string;
  passwordHash: string;
  fullName: string;
  companyName: string;
  status: HrAccountStatus;
  passwordChangedAt: Date;
}

/** The account a registration activated. */
export interface ActivatedAccount {
  id: string;
  email: string;
}

const COLUMNS = `id, email, password_hash AS "passwordHash", full_name AS "fullName",
  company_name AS "companyName", status, password_changed_at AS "passwordChangedAt"`;

/**
 * Every statement that reads or writes hr_accounts; each state change is one conditional
 * statement. Accounts are created active by `activateRegistration` (`pending` rows come from
 * earlier versions).
 */
@Injectable()
export class HrAccountRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findByEmail(email: string): Promise<HrAccount | null> {
    const row = await queryOne<HrAccount>(
      this.db,
      `SELECT ${COLUMNS} FROM hr_accounts WHERE email = $1`,
      [email],
    );
    return row ?? null;
  }

  async findById(id: string): Promise<HrAccount | null> {
    const row = await queryOne<HrAccount>(
      this.db,
      `SELECT ${COLUMNS} FROM hr_accounts WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /**
   * Activates the account with the credentials of the registration attempt `verificationId`, in
   * one statement: every attempt of the email is deleted (a verified code retires them all); the
   * named one, if it is still alive, creates the active account or activates a pending one (from
   * an earlier version). An active account is never touched: then, as when the attempt is unknown,
   * expired or of another email, null comes back. Of parallel activations of one email, the first
   * to delete the attempts wins; the others find none left.
   */
  async activateRegistration(
    verificationId: string,
    email: string,
    now: Date,
  ): Promise<ActivatedAccount | null> {
    const row = await queryOne<ActivatedAccount>(
      this.db,
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
    return row ?? null;
  }

  /**
   * Sets a new password on an active account. password_changed_at always moves forward (by at
   * least 1 ms), so every access token minted under the old password is refused afterwards.
   */
  async changePassword(
    email: string,
    passwordHash: string,
    now: Date,
  ): Promise<{ id: string; passwordChangedAt: Date } | null> {
    const row = await queryOne<{ id: string; passwordChangedAt: Date }>(
      this.db,
      `UPDATE hr_accounts
       SET password_hash = $2,
           password_changed_at = GREATEST($3::timestamptz, password_changed_at + interval '1 millisecond'),
           updated_at = $3
       WHERE email = $1 AND status = 'active'
       RETURNING id, password_changed_at AS "passwordChangedAt"`,
      [email, passwordHash, now],
    );
    return row ?? null;
  }
}
