import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Failed logins per email (existing account or not), counted within LOGIN_LOCKOUT_SECONDS of the
 * last failure. At LOGIN_MAX_FAILURES the email is throttled until that window has passed.
 */
@Entity({ name: 'login_throttles' })
export class LoginThrottleEntity {
  /** Trimmed, lower-cased address as submitted (normalised when it is a valid email). */
  @PrimaryColumn({ type: 'text' })
  email!: string;

  @Column({ type: 'integer' })
  failures!: number;

  @Index()
  @Column({ name: 'last_failed_at', type: 'timestamptz' })
  lastFailedAt!: Date;
}
