import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rowsOf } from '../common/database/sql.js';
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

const COLUMNS = `id, email, password_hash AS "passwordHash", full_name AS "fullName",
  company_name AS "companyName", status, password_changed_at AS "passwordChangedAt"`;

/**
 * Every hr_accounts query; each state change is one conditional statement. Accounts are created
 * active by HrRegistrationAttemptRepository.activate (`pending` rows come from earlier versions).
 */
@Injectable()
export class HrAccountRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findByEmail(email: string): Promise<HrAccount | null> {
    const rows: HrAccount[] = await this.db.query(
      `SELECT ${COLUMNS} FROM hr_accounts WHERE email = $1`,
      [email],
    );
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<HrAccount | null> {
    const rows: HrAccount[] = await this.db.query(
      `SELECT ${COLUMNS} FROM hr_accounts WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
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
    const rows = rowsOf<{ id: string; passwordChangedAt: Date }>(
      await this.db.query(
        `UPDATE hr_accounts
         SET password_hash = $2,
             password_changed_at = GREATEST($3::timestamptz, password_changed_at + interval '1 millisecond'),
             updated_at = $3
         WHERE email = $1 AND status = 'active'
         RETURNING id, password_changed_at AS "passwordChangedAt"`,
        [email, passwordHash, now],
      ),
    );
    return rows[0] ?? null;
  }
}
