import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The SMS-pumping breaker of one destination prefix: the authority every instance reads, changed
 * only by conditional statements (so it opens, and closes, once). A closed row stays as history.
 */
@Entity({ name: 'sms_breakers' })
@Check('CHK_sms_breakers_state', `"state" IN ('open', 'half_open', 'closed')`)
export class SmsBreakerEntity {
  /** `+` country code and the first SMS_BREAKER_PREFIX_DIGITS national digits, e.g. `+9989012`. */
  @PrimaryColumn({ type: 'text' })
  prefix!: string;

  @Column({ type: 'text' })
  state!: 'open' | 'half_open' | 'closed';

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  /** Sends answer DESTINATION_SUSPENDED until then; afterwards a few probe sends may go. */
  @Column({ name: 'open_until', type: 'timestamptz' })
  openUntil!: Date;

  /** Half-open: when the probes are judged (re-opened unless they converted). */
  @Column({ name: 'probe_until', type: 'timestamptz', nullable: true })
  probeUntil!: Date | null;

  @Column({ name: 'probe_sends', type: 'int', default: 0 })
  probeSends!: number;

  @Column({ name: 'probe_verified', type: 'int', default: 0 })
  probeVerified!: number;

  /** Sends and verifications counted in the window when it last opened. */
  @Column({ type: 'int', default: 0 })
  sends!: number;

  @Column({ type: 'int', default: 0 })
  verified!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
