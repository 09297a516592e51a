import { Column, CreateDateColumn, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * One row per recipient: the current code (hash only) and the recipient's counters. Shared by
 * `email_otps` and `phone_otps`; every rule on it is enforced by single atomic statements in
 * the OTP repositories (otp.ports.ts lists them).
 */
export abstract class OtpRowColumns {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', nullable: true })
  purpose!: string | null;

  /** Self-describing hash of `purpose:recipient:code` (see OtpHasher); null when no active code. */
  @Column({ name: 'code_hash', type: 'text', nullable: true })
  codeHash!: string | null;

  /** Identifies the current send; replaced on every send. */
  @Column({ name: 'verification_id', type: 'uuid', nullable: true })
  verificationId!: string | null;

  @Column({ name: 'code_created_at', type: 'timestamptz', nullable: true })
  codeCreatedAt!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /**
   * The code this one replaced (or that was last used or invalidated), kept until it would have
   * expired so that entering it answers CODE_NOT_FOUND without counting a failure. Same hash format
   * and pepper as `code_hash`; its purpose is part of the hashed value and stored beside it.
   */
  @Column({ name: 'previous_code_hash', type: 'text', nullable: true })
  previousCodeHash!: string | null;

  @Column({ name: 'previous_purpose', type: 'text', nullable: true })
  previousPurpose!: string | null;

  @Column({ name: 'previous_verification_id', type: 'uuid', nullable: true })
  previousVerificationId!: string | null;

  @Column({ name: 'previous_expires_at', type: 'timestamptz', nullable: true })
  previousExpiresAt!: Date | null;

  /** Comparisons made against the current code (for first-attempt statistics). */
  @Column({ name: 'code_attempts', type: 'int', default: 0 })
  codeAttempts!: number;

  /** Failures within OTP_LOCKOUT_SECONDS of `last_failed_at`, across codes and purposes. */
  @Column({ name: 'failed_attempts', type: 'int', default: 0 })
  failedAttempts!: number;

  @Column({ name: 'last_failed_at', type: 'timestamptz', nullable: true })
  lastFailedAt!: Date | null;

  @Index({ where: 'locked_until IS NOT NULL' })
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** Times of sends in the rolling hour (pruned on every send). */
  @Column({ name: 'send_times', type: 'timestamptz', array: true, default: () => "'{}'" })
  sendTimes!: Date[];

  @Column({ name: 'last_sent_at', type: 'timestamptz', nullable: true })
  lastSentAt!: Date | null;

  @Column({ name: 'cooldown_until', type: 'timestamptz', nullable: true })
  cooldownUntil!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /**
   * Last send, lock or admin change (what purgeIdle ages rows by). Verify statements leave it, like
   * every other indexed column, unchanged, so PostgreSQL can update the row in place (HOT).
   */
  @Index()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
