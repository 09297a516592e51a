import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One registration request: the password hash and names it submitted, kept apart from
 * hr_accounts until the code sent for this very request is verified. Keyed by the verificationId
 * of that code.
 */
@Entity({ name: 'hr_registration_attempts' })
export class HrRegistrationAttemptEntity {
  @PrimaryColumn({ name: 'verification_id', type: 'uuid' })
  verificationId!: string;

  /** Trimmed, lower-cased address. */
  @Index()
  @Column({ type: 'text' })
  email!: string;

  /** argon2id, in the PHC string format. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ name: 'full_name', type: 'text' })
  fullName!: string;

  @Column({ name: 'company_name', type: 'text' })
  companyName!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The code's expiry: after it the attempt can no longer be activated, and is purged. */
  @Index()
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
