import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Per-IP, per-endpoint counter and block; the authority when Redis is absent or down. */
@Entity({ name: 'ip_rate_limits' })
export class IpRateLimitEntity {
  @PrimaryColumn({ type: 'text' })
  ip!: string;

  @PrimaryColumn({ type: 'text' })
  endpoint!: string;

  @Column({ type: 'int' })
  count!: number;

  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Index()
  @Column({ name: 'last_attempt_at', type: 'timestamptz' })
  lastAttemptAt!: Date;

  @Index({ where: 'blocked_until IS NOT NULL' })
  @Column({ name: 'blocked_until', type: 'timestamptz', nullable: true })
  blockedUntil!: Date | null;
}
