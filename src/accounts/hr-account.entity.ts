import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type HrAccountStatus = 'pending' | 'active';

/** An HR user's account: pending until the emailed code is verified, then active. */
@Entity({ name: 'hr_accounts' })
@Check('CHK_hr_accounts_status', `"status" IN ('pending', 'active')`)
export class HrAccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Trimmed, lower-cased address; one account per address. */
  @Column({ type: 'text', unique: true })
  email!: string;

  /** argon2id, in the PHC string format (parameters and salt included). */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ name: 'full_name', type: 'text' })
  fullName!: string;

  @Column({ name: 'company_name', type: 'text' })
  companyName!: string;

  @Column({ type: 'text' })
  status!: HrAccountStatus;

  /** Access tokens minted before this instant are refused. */
  @Column({ name: 'password_changed_at', type: 'timestamptz' })
  passwordChangedAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
